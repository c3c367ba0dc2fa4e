/** A reader's name for an attachment's type ("PDF", "Word", "image"…), from its sniffed or declared MIME type. */
export function attachmentKind(mime: string, filename: string | null): string {
  const m = mime.toLowerCase();
  const ext = (filename ?? '').toLowerCase().split('.').pop() ?? '';
  if (m === 'application/pdf' || ext === 'pdf') return 'PDF';
  if (m.startsWith('image/')) return 'image';
  if (/msword|wordprocessing|opendocument\.text|rtf/.test(m) || ['doc', 'docx', 'odt', 'rtf'].includes(ext)) return 'Word / text document';
  if (/excel|spreadsheet|csv/.test(m) || ['xls', 'xlsx', 'ods', 'csv'].includes(ext)) return 'spreadsheet';
  if (/powerpoint|presentation/.test(m) || ['ppt', 'pptx', 'odp'].includes(ext)) return 'presentation';
  if (/zip|rar|7z|tar|gzip|bzip/.test(m) || ['zip', 'rar', '7z', 'tar', 'gz', 'tgz'].includes(ext)) return 'archive';
  if (m === 'message/rfc822' || ext === 'eml') return 'e-mail';
  if (m === 'text/calendar' || ext === 'ics') return 'calendar';
  if (m.startsWith('audio/') || m.startsWith('video/')) return 'audio / video';
  if (m.startsWith('text/')) return 'text';
  return m || 'unknown';
}
