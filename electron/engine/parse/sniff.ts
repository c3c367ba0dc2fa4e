import { fileTypeFromBuffer } from 'file-type';
import { declaredBinary, sniffTextual, TEXTUAL_TYPES } from './sniff-text';

/** Bytes file-type needs to recognise every format it knows. */
export const SNIFF_BYTES = 4100;

/** Declared types that say nothing, or aliases of what the magic bytes say. */
const GENERIC = new Set(['application/octet-stream', 'application/x-download', 'application/force-download', 'binary/octet-stream']);
const ALIASES: Record<string, string> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'application/x-pdf': 'application/pdf',
  'application/x-zip-compressed': 'application/zip',
  'application/x-zip': 'application/zip',
  'audio/mp3': 'audio/mpeg',
  'image/x-png': 'image/png',
};
/** Containers whose magic bytes are a ZIP/OLE envelope: a declared Office type inside them is fine. */
const CONTAINER_OK: Record<string, RegExp> = {
  'application/zip': /officedocument|opendocument|epub|java-archive|vnd\.ms-|x-xpinstall|zip/,
  'application/x-cfb': /msword|ms-excel|ms-powerpoint|vnd\.ms-|x-msi|outlook/,
};

export async function sniffType(head: Buffer): Promise<string | null> {
  if (head.length === 0) return null;
  try {
    const t = await fileTypeFromBuffer(head);
    // file-type calls any XML "application/xml"; an SVG inside matters (it carries script).
    if (t?.mime === 'application/xml') return sniffTextual(head) === 'image/svg+xml' ? 'image/svg+xml' : t.mime;
    if (t) return t.mime;
  } catch {
    // Unrecognisable by magic number: maybe text.
  }
  return sniffTextual(head);
}

/** True when the magic bytes contradict the declared content type (a classic disguise). */
export function isTypeMismatch(declared: string, sniffed: string | null): boolean {
  if (!sniffed) return false;
  const d = normalize(declared);
  const s = normalize(sniffed);
  if (GENERIC.has(d) || d === s) return false;
  // Text (SVG, HTML, scripts, plain) is a disguise only under a type that is never text.
  if (TEXTUAL_TYPES.has(s)) return declaredBinary(d);
  if (CONTAINER_OK[s]?.test(d)) return false;
  // Declared as text but recognised as XML-ish (svg, xml): same family, not a disguise.
  if (s.endsWith('+xml') && d.includes('xml')) return false;
  return true;
}

function normalize(type: string): string {
  const t = type.split(';', 1)[0]!.trim().toLowerCase();
  return ALIASES[t] ?? t;
}
