import CFB from 'cfb';
import WordExtractor from 'word-extractor';
import { utcDate } from './dates';
import { pptText } from './ppt-text';
import { readPropertySet, type PropValue } from './property-set';
import { type DocMeta, type Extracted, ExtractError } from './types';
import { xlsText } from './xls-text';

/** Legacy OLE2 Office files (doc, xls, ppt): property sets, and text for .doc through word-extractor. */
export async function extractOle2(bytes: Uint8Array): Promise<Extracted> {
  let cfb: CFB.CFB$Container;
  try {
    cfb = CFB.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { type: 'buffer' });
  } catch (err) {
    throw new ExtractError('ole2-invalid', `not a readable OLE2 file: ${(err as Error).message}`);
  }
  const has = (name: string) => cfb.FullPaths.some((p) => p.toLowerCase().endsWith(`/${name.toLowerCase()}`));
  if (has('EncryptedPackage')) throw new ExtractError('encrypted', 'password-protected Office document (encrypted package)');
  const type = has('WordDocument') ? 'word' : has('Workbook') || has('Book') ? 'excel' : has('PowerPoint Document') ? 'powerpoint' : cfb.FullPaths.some((p) => p.includes('__substg1.0_')) ? 'email' : 'other';
  const meta: DocMeta = {};
  const si = stream(cfb, '\u0005SummaryInformation');
  const dsi = stream(cfb, '\u0005DocumentSummaryInformation');
  if (si) summary(readPropertySet(si)[0] ?? new Map(), meta);
  if (dsi) {
    const [first, customSection] = readPropertySet(dsi);
    docSummary(first ?? new Map(), meta);
    if (customSection) custom(dsi, meta);
  }
  const errors: Extracted['errors'] = [];
  let text = '';
  if (type === 'word') {
    const wd = stream(cfb, 'WordDocument');
    // FIB flags: fEncrypted is bit 8 of the 16-bit word at 0x0A.
    if (wd && wd.length > 12 && (wd[11]! & 0x01) !== 0) {
      meta.encrypted = true;
      errors.push({ code: 'encrypted', message: 'password-protected Word document: text not readable' });
    } else {
      try {
        const doc = await new WordExtractor().extract(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        text = [doc.getBody(), doc.getFootnotes(), doc.getEndnotes(), doc.getHeaders({ includeFooters: true })].filter((t) => t && t.trim()).join('\n\n');
      } catch (err) {
        errors.push({ code: 'text-failed', message: `Word text not readable: ${(err as Error).message}` });
      }
    }
  } else if (type === 'excel' || type === 'powerpoint') {
    text = otherText(cfb, type, meta, errors);
  } else if (type !== 'email') {
    errors.push({ code: 'no-text', message: 'text of this OLE2 file is not extracted (metadata only)' });
  }
  return { type, meta, pages: [text.trim()], errors };
}

/** Cell text of .xls (BIFF8) and slide text of .ppt; a failure is the document's error, metadata is kept. */
function otherText(cfb: CFB.CFB$Container, type: 'excel' | 'powerpoint', meta: DocMeta, errors: Extracted['errors']): string {
  try {
    if (type === 'powerpoint') {
      if (stream(cfb, 'EncryptedSummary')) throw new ExtractError('encrypted', 'password-protected PowerPoint file: text not readable');
      return pptText(stream(cfb, 'PowerPoint Document') ?? new Uint8Array());
    }
    const workbook = stream(cfb, 'Workbook');
    if (!workbook) {
      errors.push({ code: 'no-text', message: 'Excel 5/95 workbook (BIFF5): text is not extracted (metadata only)' });
      return '';
    }
    return xlsText(workbook);
  } catch (err) {
    const e = err instanceof ExtractError ? err : new ExtractError('text-failed', `${type} text not readable: ${(err as Error).message}`);
    if (e.code === 'encrypted') meta.encrypted = true;
    errors.push({ code: e.code, message: e.message });
    return '';
  }
}

function stream(cfb: CFB.CFB$Container, name: string): Uint8Array | null {
  const e = CFB.find(cfb, name);
  return e?.content ? Uint8Array.from(e.content as ArrayLike<number>) : null;
}

const str = (v: PropValue | undefined) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const date = (v: PropValue | undefined) => (v instanceof Date ? utcDate(v) : undefined);

function summary(p: Map<number, PropValue>, meta: DocMeta): void {
  meta.title = str(p.get(2));
  meta.subject = str(p.get(3));
  meta.author = str(p.get(4));
  meta.keywords = str(p.get(5));
  meta.template = str(p.get(7));
  meta.lastModifiedBy = str(p.get(8));
  meta.revision = str(p.get(9));
  const edit = p.get(10);
  if (edit && typeof edit === 'object' && 'durationMinutes' in edit) meta.totalEditMinutes = edit.durationMinutes;
  meta.lastPrinted = date(p.get(11));
  meta.created = date(p.get(12));
  meta.modified = date(p.get(13));
  const pages = p.get(14);
  if (typeof pages === 'number' && pages > 0) meta.pageCount = pages;
  meta.application = str(p.get(18));
  const cp = p.get(1);
  if (typeof cp === 'number') meta.codePage = cp & 0xffff;
}

function docSummary(p: Map<number, PropValue>, meta: DocMeta): void {
  meta.company = str(p.get(15));
  const lang = p.get(0x1c);
  if (typeof lang === 'number' && lang > 0) meta.language = String(lang);
  const cp = p.get(1);
  if (meta.codePage === undefined && typeof cp === 'number') meta.codePage = cp & 0xffff;
}

/** The user-defined section of DocumentSummaryInformation: names come from its dictionary (property 0). */
function custom(dsi: Uint8Array, meta: DocMeta): void {
  const b = Buffer.from(dsi.buffer, dsi.byteOffset, dsi.byteLength);
  try {
    const at = b.readUInt32LE(28 + 20 + 16);
    const count = b.readUInt32LE(at + 4);
    let dictAt = -1;
    let codePage = 1252;
    const offsets = new Map<number, number>();
    for (let i = 0; i < Math.min(count, 1000); i++) {
      const id = b.readUInt32LE(at + 8 + i * 8);
      const off = at + b.readUInt32LE(at + 12 + i * 8);
      if (id === 0) dictAt = off;
      else offsets.set(id, off);
      if (id === 1) codePage = b.readUInt16LE(off + 4);
    }
    if (dictAt < 0) return;
    const values = readPropertySet(dsi)[1]!;
    const n = b.readUInt32LE(dictAt);
    let pos = dictAt + 4;
    const out: Record<string, string> = {};
    for (let i = 0; i < Math.min(n, 1000); i++) {
      const id = b.readUInt32LE(pos);
      const len = b.readUInt32LE(pos + 4);
      const unicode = codePage === 1200;
      const raw = b.subarray(pos + 8, pos + 8 + (unicode ? len * 2 : len));
      const name = (unicode ? raw.toString('utf16le') : raw.toString('latin1')).replace(/\0+$/, '');
      pos += 8 + (unicode ? Math.ceil((len * 2) / 4) * 4 : len);
      const v = values.get(id);
      if (name && v !== undefined) out[name] = v instanceof Date ? utcDate(v)! : typeof v === 'object' ? String(v.durationMinutes) : String(v);
    }
    if (Object.keys(out).length) meta.custom = out;
  } catch {
    // Custom properties are best effort; the standard ones are already read.
  }
}
