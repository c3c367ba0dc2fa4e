import MsgReaderModule, { type FieldsData } from '@kenjiuno/msgreader';
import { LZFu } from 'pst-extractor/dist/LZFu.class';
import { cleanAddress, MAX_ATTACHMENT_BYTES, MAX_EMBED_DEPTH, type OutlookAddress, type OutlookAttachment, type OutlookItem } from './outlook-item';
import { quietly } from './quietly';

// The package is CommonJS with a default export; under tsx/esbuild it may arrive wrapped once more.
const MsgReader = ((MsgReaderModule as unknown as { default?: typeof MsgReaderModule }).default ?? MsgReaderModule) as typeof MsgReaderModule;

/** .msg files larger than this are refused with a clear error: @kenjiuno/msgreader reads the whole file in memory. */
export const MAX_MSG_BYTES = 256 * 1024 * 1024;

/** Read a .msg file's bytes (an OLE compound file) as an Outlook item, embedded .msg attachments included. */
export function readMsg(bytes: Buffer): OutlookItem {
  if (bytes.length > MAX_MSG_BYTES) throw new Error(`.msg file of ${bytes.length} bytes is larger than the ${MAX_MSG_BYTES}-byte limit`);
  const reader = new MsgReader(new DataView(bytes.buffer, bytes.byteOffset, bytes.length));
  const data = quietly(() => reader.getFileData());
  if (data.error) throw new Error(`not a readable .msg file: ${data.error}`);
  return itemOf(reader, data, 0);
}

function itemOf(reader: InstanceType<typeof MsgReader>, d: FieldsData, depth: number): OutlookItem {
  const problems: OutlookItem['problems'] = [];
  const recipients = (d.recipients ?? []).map((r) => ({ type: r.recipType ?? 'to', addr: cleanAddress(r.name, r.smtpAddress || r.email) }));
  const pick = (t: string) => recipients.filter((r) => r.type === t && r.addr).map((r) => r.addr as OutlookAddress);
  const attachments: OutlookAttachment[] = [];
  for (const a of d.attachments ?? []) {
    const filename = a.fileName || a.fileNameShort || a.name || 'attachment';
    const base = { filename, contentType: a.attachMimeTag || 'application/octet-stream', contentId: a.pidContentId || null };
    if (a.innerMsgContent && a.innerMsgContentFields) {
      if (depth + 1 > MAX_EMBED_DEPTH) {
        problems.push({ code: 'outlook-embedded-unreadable', message: `embedded item "${filename}" nested too deep` });
        continue;
      }
      attachments.push({ ...base, filename: filename.endsWith('.msg') ? filename : `${filename}.msg`, content: itemOf(reader, a.innerMsgContentFields, depth + 1) });
      continue;
    }
    if ((a.contentLength ?? 0) > MAX_ATTACHMENT_BYTES) {
      problems.push({ code: 'outlook-attachment-too-large', message: `attachment "${filename}" (${a.contentLength} bytes) is larger than ${MAX_ATTACHMENT_BYTES} bytes and was left out` });
      continue;
    }
    try {
      attachments.push({ ...base, content: Buffer.from(quietly(() => reader.getAttachment(a)).content) });
    } catch (err) {
      problems.push({ code: 'outlook-attachment-unreadable', message: `attachment "${filename}": ${(err as Error).message}` });
    }
  }
  const date = parseDate(d.clientSubmitTime) ?? parseDate(d.messageDeliveryTime);
  const html = d.bodyHtml ?? (d.html ? Buffer.from(d.html).toString('utf8') : null);
  let rtf: string | null = null;
  if (!d.body && !html && d.compressedRtf) {
    try {
      rtf = quietly(() => LZFu.decode(Buffer.from(d.compressedRtf!)));
    } catch (err) {
      problems.push({ code: 'outlook-rtf-unreadable', message: `RTF body: ${(err as Error).message}` });
    }
  }
  return {
    messageClass: d.messageClass ?? '',
    transportHeaders: d.headers || null,
    subject: d.subject ?? '',
    from: cleanAddress(d.senderName, d.senderSmtpAddress || d.senderEmail),
    to: pick('to'),
    cc: pick('cc'),
    bcc: pick('bcc'),
    date,
    messageId: d.messageId || null,
    inReplyTo: (d as { inReplyToId?: string }).inReplyToId || null,
    text: d.body || null,
    html: html || null,
    rtf,
    attachments,
    problems,
  };
}

function parseDate(s: string | undefined): Date | null {
  if (!s) return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d;
}
