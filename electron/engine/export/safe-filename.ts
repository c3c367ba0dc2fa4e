/**
 * File names for attachments written to disk from hostile mail. The result is one path component that is
 * valid on Windows, macOS and Linux: no separators, no "." or "..", no control characters (NUL
 * included), no bidirectional overrides (an RTL override can disguise "exe.pdf" as "fdp.exe"), no
 * Windows reserved device names (CON, NUL, COM1…), no trailing dots or spaces, at most 180 UTF-8 bytes
 * with the extension kept. Other Unicode is kept (NFC), so "Procès-verbal.pdf" stays readable.
 */
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f<>:"/\\|?*\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ufeff]/g;
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
const MAX_BYTES = 180;

export function safeFileName(name: string | null | undefined, fallback: string): string {
  let n = (name ?? '').normalize('NFC').replace(FORBIDDEN, '_').trim();
  // No hidden files, no "..": leading dots go; Windows drops trailing dots and spaces, so they go too.
  n = n.replace(/^[. ]+/, '').replace(/[. ]+$/, '');
  if (/^[._]*$/.test(n)) n = fallback;
  if (RESERVED.test(n)) n = `_${n}`;
  return truncateUtf8(n, MAX_BYTES);
}

/** Keep the extension (up to 16 bytes) and cut the stem on a code-point boundary. */
function truncateUtf8(name: string, max: number): string {
  if (Buffer.byteLength(name) <= max) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && Buffer.byteLength(name.slice(dot)) <= 16 ? name.slice(dot) : '';
  let stem = '';
  for (const ch of name.slice(0, ext ? dot : undefined)) {
    if (Buffer.byteLength(stem + ch) + Buffer.byteLength(ext) > max) break;
    stem += ch;
  }
  return stem + ext;
}

/**
 * Hands out names unique within one folder, case-insensitively (Windows and macOS folders are):
 * "a.pdf", "a (2).pdf", "a (3).pdf"…
 */
export class NameAllocator {
  private readonly taken = new Set<string>();

  allocate(name: string): string {
    const dot = name.lastIndexOf('.');
    const stem = dot > 0 ? name.slice(0, dot) : name;
    const ext = dot > 0 ? name.slice(dot) : '';
    let candidate = name;
    for (let i = 2; this.taken.has(candidate.toLowerCase()); i++) candidate = `${stem} (${i})${ext}`;
    this.taken.add(candidate.toLowerCase());
    return candidate;
  }
}
