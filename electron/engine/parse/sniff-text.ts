/**
 * Types file-type cannot see because they have no magic number: text formats that are dangerous under an
 * image name (SVG carries script; HTML; shell and batch scripts). A disguised attachment is the classic
 * trick ("photo.jpg" that is a .bat); the magic-number sniffer answers "unknown" for all of them.
 */

/** Text-based types this module reports (all are a mismatch under a raster image, audio, video or PDF type). */
export const TEXTUAL_TYPES = new Set(['text/plain', 'text/html', 'image/svg+xml', 'application/x-sh', 'application/x-bat']);

export function sniffTextual(head: Buffer): string | null {
  let bytes = head;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  if (bytes.length === 0 || !looksLikeText(bytes)) return null;
  const text = bytes.toString('latin1').replace(/^\s+/, '');
  if (/^(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*(?:<!doctype\s+svg[^>]*>\s*)?<svg[\s>/]/i.test(text)) return 'image/svg+xml';
  if (/^(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body|script|iframe|meta)[\s>]/i.test(text)) return 'text/html';
  if (text.startsWith('#!')) return 'application/x-sh';
  if (/^(?:@\s*echo\s+(?:off|on)\b|@?rem\b|::)/i.test(text)) return 'application/x-bat';
  return 'text/plain';
}

/** No NUL and almost no other control bytes: text in some 8-bit or UTF-8 encoding. */
function looksLikeText(bytes: Buffer): boolean {
  let control = 0;
  for (const b of bytes) {
    if (b === 0) return false;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) control++;
  }
  return control <= bytes.length / 100;
}

/** Declared types whose real content is never text: text bytes under them are a disguise. */
export function declaredBinary(type: string): boolean {
  return (/^(image|audio|video)\//.test(type) && type !== 'image/svg+xml') || type === 'application/pdf';
}
