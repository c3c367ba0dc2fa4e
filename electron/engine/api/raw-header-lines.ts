/** Header bytes read when the parser cannot help (a header block may never end). */
const MAX_HEADER_BYTES = 1024 * 1024;

/**
 * The top-level header lines straight from the raw bytes, unfolded, in order: what the reading pane shows
 * when a message cannot be re-parsed. Bytes that are not UTF-8 are read as Windows-1252 (Latin-1 here).
 */
export function rawHeaderLines(raw: Buffer, maxLines: number): { headers: { name: string; value: string }[]; more: number } {
  const head = raw.subarray(0, MAX_HEADER_BYTES);
  const end = /\r?\n\r?\n/.exec(head.toString('latin1'))?.index ?? head.length;
  const block = head.subarray(0, end);
  const utf8 = block.toString('utf8');
  const text = utf8.includes('\ufffd') ? block.toString('latin1') : utf8;
  const headers: { name: string; value: string }[] = [];
  let count = 0;
  for (const line of text.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && count > 0) {
      if (count <= maxLines) headers[headers.length - 1]!.value += ' ' + line.trim();
      continue;
    }
    if (!line) continue;
    count++;
    if (count > maxLines) continue;
    const colon = line.indexOf(':');
    headers.push(colon > 0 ? { name: line.slice(0, colon), value: line.slice(colon + 1).trim() } : { name: '', value: line });
  }
  return { headers, more: Math.max(0, count - maxLines) };
}
