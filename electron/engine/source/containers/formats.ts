/** Container formats recognised by their first bytes (never by extension alone). */
export type ContainerFormat = 'zip' | 'tar' | 'gzip' | 'bzip2' | '7z' | 'rar';

export const CONTAINER_FORMATS: readonly ContainerFormat[] = ['zip', 'tar', 'gzip', 'bzip2', '7z', 'rar'];

export function isContainerKind(kind: string): kind is ContainerFormat {
  return (CONTAINER_FORMATS as readonly string[]).includes(kind);
}

/** How many leading bytes `sniffContainer` needs (a tar header's magic is at 257). */
export const SNIFF_BYTES = 512;

export function sniffContainer(head: Buffer): ContainerFormat | null {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0x50, 0x4b, 0x05, 0x06) || starts(0x50, 0x4b, 0x07, 0x08)) return 'zip';
  if (starts(0x1f, 0x8b)) return 'gzip';
  if (starts(0x42, 0x5a, 0x68) && head[3] !== undefined && head[3] >= 0x31 && head[3] <= 0x39) return 'bzip2';
  if (starts(0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c)) return '7z';
  if (starts(0x52, 0x61, 0x72, 0x21, 0x1a, 0x07)) return 'rar';
  if (isTarHeader(head)) return 'tar';
  return null;
}

/** POSIX/GNU `ustar` magic, or a v7 header whose checksum adds up. */
export function isTarHeader(head: Buffer): boolean {
  if (head.length < 512) return false;
  if (head.toString('latin1', 257, 262) === 'ustar') return true;
  const stored = parseInt(head.toString('latin1', 148, 156).replace(/\0.*$/, '').trim(), 8);
  if (!Number.isFinite(stored) || head[0] === 0) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : head[i]!;
  return sum === stored;
}

/**
 * Zip-based document formats (Office Open XML, OpenDocument, EPUB, Java/Android packages) are documents,
 * not folders of evidence: they stay whole leaves for the document handling.
 */
const ZIP_DOCUMENT_EXT = /\.(docx|docm|dotx|xlsx|xlsm|xltx|pptx|pptm|potx|ppsx|odt|ods|odp|odg|odf|ott|ots|otp|sxw|sxc|sxi|epub|jar|apk|xpi|vsdx|key|pages|numbers)$/i;

export function isZipDocument(name: string, head: Buffer): boolean {
  if (ZIP_DOCUMENT_EXT.test(name)) return true;
  // The first local header's name: ODF starts with "mimetype", OOXML usually with "[Content_Types].xml".
  const nameLen = head.length >= 30 ? head.readUInt16LE(26) : 0;
  const first = head.toString('latin1', 30, 30 + nameLen);
  return first === 'mimetype' || first === '[Content_Types].xml';
}
