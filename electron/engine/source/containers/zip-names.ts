import iconv from 'iconv-lite';
import yauzl from 'yauzl';

/**
 * Entry names. The zip spec says CP437 unless bit 11 (UTF-8) or an Info-ZIP Unicode Path field says
 * otherwise (yauzl handles those). Real archives ignore the spec: Windows writes the OEM code page of the
 * machine (GBK in China), macOS and many tools write UTF-8 without the flag. Without a flag we take
 * valid UTF-8 as UTF-8, then GBK when every non-ASCII byte pairs up inside GB2312's double-byte range
 * (Western OEM names put single accented bytes between ASCII letters, which GBK never does), then CP437.
 */
export function zipEntryName(flags: number, raw: Buffer, extraFields: { id: number; data: Buffer }[]): string {
  const unicodePath = extraFields.some((f) => f.id === 0x7075);
  if ((flags & 0x800) !== 0 || unicodePath) return yauzl.getFileNameLowLevel(flags, raw, extraFields, false);
  if (raw.every((b) => b < 0x80)) return raw.toString('latin1');
  const utf8 = raw.toString('utf8');
  if (!utf8.includes('\uFFFD')) return utf8;
  if (looksGb2312(raw)) return iconv.decode(raw, 'gbk');
  return iconv.decode(raw, 'cp437');
}

function looksGb2312(raw: Buffer): boolean {
  for (let i = 0; i < raw.length; i++) {
    if (raw[i]! < 0x80) continue;
    const lead = raw[i]!;
    const trail = raw[i + 1];
    if (lead < 0x81 || lead > 0xfe || trail === undefined || trail < 0x40 || trail === 0x7f || trail > 0xfe) return false;
    if (trail < 0x80) return false; // lead + ASCII letter: an accented Western name, not Chinese
    i++;
  }
  return true;
}
