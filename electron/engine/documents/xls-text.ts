import { ExtractError, LIMITS } from './types';

/**
 * Cell text of a legacy Excel 97–2003 workbook: the BIFF8 records of its `Workbook` stream ([MS-XLS]).
 * Hand-written because the only npm reader of the format is SheetJS `xlsx`, which the project excludes
 * (unpatched CVE), and text needs few records: the shared string table (SST + CONTINUE), LABELSST, LABEL,
 * NUMBER, RK, MULRK, FORMULA (+ STRING) and BOOLERR, plus BOUNDSHEET for sheet names. Values are written
 * as stored: numbers without formatting (a date is its serial number), a row's cells tab-separated from
 * column 0, as Tika writes them. Excel 5/95 (`Book` stream, BIFF5) is not read.
 */
export function xlsText(workbook: Uint8Array): string {
  const b = Buffer.from(workbook.buffer, workbook.byteOffset, workbook.byteLength);
  const sst: string[] = [];
  const sheetNames: string[] = [];
  const sheets: Map<number, Map<number, string>>[] = [];
  let cells: Map<number, Map<number, string>> | null = null;
  let pendingFormula: { row: number; col: number } | null = null;
  let pos = 0;
  let chars = 0;
  while (pos + 4 <= b.length) {
    const type = b.readUInt16LE(pos);
    const len = b.readUInt16LE(pos + 2);
    const data = b.subarray(pos + 4, pos + 4 + len);
    pos += 4 + len;
    const set = (row: number, col: number, value: string) => {
      if (!cells || chars > LIMITS.maxTextChars) return;
      let r = cells.get(row);
      if (!r) cells.set(row, (r = new Map()));
      r.set(col, value);
      chars += value.length + 1;
    };
    switch (type) {
      case 0x002f: // FILEPASS
        throw new ExtractError('encrypted', 'password-protected Excel workbook: cell text not readable');
      case 0x0809: // BOF: a sheet's substream starts (the workbook globals come first)
        if (data.length >= 4 && data.readUInt16LE(2) === 0x0010) sheets.push((cells = new Map()));
        else cells = null;
        break;
      case 0x0085: // BOUNDSHEET: sheet names, in the order of the sheet substreams
        if (data.length >= 8) sheetNames.push(shortString(data, 6));
        break;
      case 0x00fc: {
        // SST, continued by the CONTINUE records that follow it
        const segs = [data];
        while (pos + 4 <= b.length && b.readUInt16LE(pos) === 0x003c) {
          const l = b.readUInt16LE(pos + 2);
          segs.push(b.subarray(pos + 4, pos + 4 + l));
          pos += 4 + l;
        }
        readSst(segs, sst);
        break;
      }
      case 0x00fd: // LABELSST
        if (data.length >= 10) set(data.readUInt16LE(0), data.readUInt16LE(2), sst[data.readUInt32LE(6)] ?? '');
        break;
      case 0x0204: // LABEL (older writers): XLUnicodeString with a 16-bit count
        if (data.length >= 9) set(data.readUInt16LE(0), data.readUInt16LE(2), new Segments([data.subarray(6)]).unicodeString(data.readUInt16LE(6), 2));
        break;
      case 0x0203: // NUMBER
        if (data.length >= 14) set(data.readUInt16LE(0), data.readUInt16LE(2), num(data.readDoubleLE(6)));
        break;
      case 0x027e: // RK
        if (data.length >= 10) set(data.readUInt16LE(0), data.readUInt16LE(2), num(rk(data.readUInt32LE(6))));
        break;
      case 0x00bd: {
        // MULRK: several RK cells of one row
        const row = data.readUInt16LE(0);
        const first = data.readUInt16LE(2);
        for (let i = 0; 4 + i * 6 + 6 <= data.length - 2; i++) set(row, first + i, num(rk(data.readUInt32LE(4 + i * 6 + 2))));
        break;
      }
      case 0x0006: {
        // FORMULA: the cached result; a string result follows in a STRING record
        if (data.length < 14) break;
        const row = data.readUInt16LE(0);
        const col = data.readUInt16LE(2);
        if (data.readUInt16LE(12) !== 0xffff) set(row, col, num(data.readDoubleLE(6)));
        else if (data[6] === 0) pendingFormula = { row, col };
        else if (data[6] === 1) set(row, col, data[8] ? 'TRUE' : 'FALSE');
        break;
      }
      case 0x0207: // STRING: the text result of the FORMULA before it
        if (pendingFormula && data.length >= 3) set(pendingFormula.row, pendingFormula.col, new Segments([data]).unicodeString(data.readUInt16LE(0), 2));
        pendingFormula = null;
        break;
      case 0x0205: // BOOLERR
        if (data.length >= 8 && data[7] === 0) set(data.readUInt16LE(0), data.readUInt16LE(2), data[6] ? 'TRUE' : 'FALSE');
        break;
    }
  }
  return sheets
    .map((rows, i) => {
      const lines = [...rows.keys()].sort((a, c) => a - c).map((r) => {
        const row = rows.get(r)!;
        const width = Math.max(...row.keys()) + 1;
        return Array.from({ length: width }, (_, c) => row.get(c) ?? '').join('\t');
      });
      return [sheetNames[i] ?? `Sheet${i + 1}`, ...lines].join('\n');
    })
    .join('\n\n');
}

/** An RK number: a 30-bit integer or the top 30 bits of a double, optionally divided by 100. */
function rk(v: number): number {
  let n: number;
  if (v & 0x02) n = v >> 2;
  else {
    const d = Buffer.alloc(8);
    d.writeUInt32LE(v & 0xfffffffc, 4);
    n = d.readDoubleLE(0);
  }
  return v & 0x01 ? n / 100 : n;
}

const num = (n: number) => (Number.isFinite(n) ? String(Math.round(n * 1e10) / 1e10) : '');

/** ShortXLUnicodeString (8-bit count), as in BOUNDSHEET. */
function shortString(data: Buffer, at: number): string {
  return new Segments([data.subarray(at)]).unicodeString(data[at]!, 1);
}

function readSst(segs: Buffer[], out: string[]): void {
  const r = new Segments(segs);
  const unique = r.u32(4);
  for (let i = 0; i < unique && !r.done(); i++) out.push(r.richString());
}

/**
 * Bytes of a record and its CONTINUE records. A string's characters may break across a CONTINUE
 * boundary, where a new option byte says whether the rest is 8-bit or 16-bit.
 */
class Segments {
  private i = 0;
  private pos = 0;
  constructor(private readonly segs: Buffer[]) {}

  done(): boolean {
    this.next();
    return this.i >= this.segs.length;
  }
  private next(): void {
    while (this.i < this.segs.length && this.pos >= this.segs[this.i]!.length) {
      this.i++;
      this.pos = 0;
    }
  }
  private byte(): number {
    this.next();
    const seg = this.segs[this.i];
    if (!seg) throw new ExtractError('xls-invalid', 'truncated string table');
    return seg[this.pos++]!;
  }
  u32(skip = 0): number {
    this.skip(skip);
    return this.byte() | (this.byte() << 8) | (this.byte() << 16) | (this.byte() * 0x1000000);
  }
  private u16(): number {
    return this.byte() | (this.byte() << 8);
  }
  skip(n: number): void {
    for (let left = n; left > 0; ) {
      this.next();
      const seg = this.segs[this.i];
      if (!seg) return;
      const step = Math.min(left, seg.length - this.pos);
      this.pos += step;
      left -= step;
    }
  }

  /** XLUnicodeRichExtendedString (the SST's entries). */
  richString(): string {
    const cch = this.u16();
    const flags = this.byte();
    const runs = flags & 0x08 ? this.u16() : 0;
    const ext = flags & 0x04 ? this.u32() : 0;
    const s = this.chars(cch, (flags & 0x01) !== 0);
    this.skip(runs * 4 + ext);
    return s;
  }

  /** XLUnicodeString whose count (of `countBytes` bytes) was already read by the caller. */
  unicodeString(cch: number, countBytes: number): string {
    this.skip(countBytes);
    const flags = this.byte();
    return this.chars(cch, (flags & 0x01) !== 0);
  }

  private chars(cch: number, wide: boolean): string {
    const out: string[] = [];
    for (let k = 0; k < cch; k++) {
      const seg = this.i;
      this.next();
      if (this.i !== seg && this.i < this.segs.length) wide = (this.byte() & 0x01) !== 0; // crossed into a CONTINUE
      out.push(String.fromCharCode(wide ? this.u16() : this.byte()));
    }
    return out.join('');
  }
}
