import iconv from 'iconv-lite';

/**
 * OLE property sets ([MS-OLEPS]): the SummaryInformation / DocumentSummaryInformation streams of legacy
 * Office files. Written here because no kept npm library reads them apart from SheetJS `xlsx`, which the
 * project excludes (unpatched CVE); the format is small and fixed. Returns property id → value per
 * section; strings are decoded in the section's own code page (property 1).
 */
export type PropValue = string | number | boolean | Date | { durationMinutes: number };

export function readPropertySet(buf: Uint8Array): Map<number, PropValue>[] {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 48 || b.readUInt16LE(0) !== 0xfffe) return [];
  const sections = Math.min(b.readUInt32LE(24), 4);
  const out: Map<number, PropValue>[] = [];
  for (let s = 0; s < sections; s++) {
    const at = b.readUInt32LE(28 + s * 20 + 16);
    if (at + 8 > b.length) break;
    out.push(readSection(b, at));
  }
  return out;
}

function readSection(b: Buffer, start: number): Map<number, PropValue> {
  const props = new Map<number, PropValue>();
  const count = Math.min(b.readUInt32LE(start + 4), 1000);
  const entries: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    const p = start + 8 + i * 8;
    if (p + 8 > b.length) break;
    entries.push([b.readUInt32LE(p), start + b.readUInt32LE(p + 4)]);
  }
  // The code page first: it decides how 8-bit strings are read.
  let codePage = 1252;
  for (const [id, at] of entries) {
    if (id === 1 && at + 6 <= b.length && b.readUInt16LE(at) === 2) codePage = b.readUInt16LE(at + 4);
  }
  for (const [id, at] of entries) {
    if (id === 0 || at + 4 > b.length) continue;
    try {
      const v = readValue(b, at, codePage);
      if (v !== undefined) props.set(id, v);
    } catch {
      // A malformed property is skipped; the others stay.
    }
  }
  return props;
}

function readValue(b: Buffer, at: number, codePage: number): PropValue | undefined {
  const type = b.readUInt16LE(at);
  const v = at + 4;
  switch (type) {
    case 2: // VT_I2
      return b.readInt16LE(v);
    case 3: // VT_I4
    case 22:
      return b.readInt32LE(v);
    case 19:
    case 23:
      return b.readUInt32LE(v);
    case 11: // VT_BOOL
      return b.readUInt16LE(v) !== 0;
    case 30: {
      // VT_LPSTR: byte count, then bytes in the code page (NUL-terminated)
      const n = Math.min(b.readUInt32LE(v), b.length - v - 4);
      const raw = b.subarray(v + 4, v + 4 + n);
      const enc = codePage === 1200 ? 'utf16le' : codePage === 65001 ? 'utf8' : `cp${codePage}`;
      const text = iconv.encodingExists(enc) ? iconv.decode(raw, enc) : raw.toString('latin1');
      return text.replace(/\0+$/, '');
    }
    case 31: {
      const n = Math.min(b.readUInt32LE(v) * 2, b.length - v - 4);
      return b.subarray(v + 4, v + 4 + n).toString('utf16le').replace(/\0+$/, '');
    }
    case 64: {
      // VT_FILETIME: 100 ns since 1601 (UTC); small values are durations (total editing time)
      const ticks = b.readBigUInt64LE(v);
      if (ticks === 0n) return undefined;
      const ms = Number(ticks / 10000n);
      const epochDiff = 11644473600000;
      if (ms < epochDiff) return { durationMinutes: Math.round(ms / 60000) };
      return new Date(ms - epochDiff);
    }
    default:
      return undefined;
  }
}
