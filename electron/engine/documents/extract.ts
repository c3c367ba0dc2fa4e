import { createHash } from 'node:crypto';
import path from 'node:path';
import { extractEmail } from './email';
import { extractImage } from './image';
import { extractOdf } from './odf';
import { extractOle2 } from './ole2';
import { extractOoxml } from './ooxml';
import { extractPdf, pdfjs } from './pdf';
import { extractPlain } from './plain';
import { extractRtf } from './rtf';
import { Deadline, type Extracted, ExtractError, LIMITS } from './types';
import { readZip } from './zip-entries';

/** One document as extraction leaves it: its own facts, then its embedded files (depth-first). */
export interface DocumentRecord extends Extracted {
  sha256: string;
  size: number;
  name: string;
  /** SHA-256 of the document this one was embedded in, for child documents. */
  parentSha256?: string;
}

export interface ExtractHint {
  name?: string | null;
  contentType?: string | null;
}

/**
 * Extract a document and its embedded files (to LIMITS.maxDepth). Never throws: a failure becomes an
 * entry in `errors` (code + plain reason) and the document is still recorded with its hash and type.
 */
export async function extractDocuments(bytes: Uint8Array, hint: ExtractHint, sha256?: string): Promise<DocumentRecord[]> {
  const out: DocumentRecord[] = [];
  const seen = new Set<string>();
  await visit(bytes, hint, sha256 ?? sha(bytes), undefined, 0, out, seen);
  return out;
}

async function visit(bytes: Uint8Array, hint: ExtractHint, digest: string, parent: string | undefined, depth: number, out: DocumentRecord[], seen: Set<string>): Promise<void> {
  if (seen.has(digest)) return; // a quine contains itself
  seen.add(digest);
  const name = hint.name ?? '';
  const ext = extractOne(bytes, hint);
  const record: DocumentRecord = { ...(await ext), sha256: digest, size: bytes.length, name, parentSha256: parent };
  const children = record.children ?? [];
  delete record.children;
  out.push(record);
  if (children.length === 0) return;
  if (depth + 1 > LIMITS.maxDepth) {
    record.errors.push({ code: 'depth-limit', message: `${children.length} embedded file(s) not opened: nesting deeper than ${LIMITS.maxDepth}` });
    return;
  }
  for (const child of children) await visit(child.bytes, { name: child.name }, sha(child.bytes), digest, depth + 1, out, seen);
}

async function extractOne(bytes: Uint8Array, hint: ExtractHint): Promise<Extracted> {
  const format = detect(bytes, hint);
  if (bytes.length > LIMITS.maxInputBytes) {
    return empty(format.type, { code: 'too-large', message: `${Math.round(bytes.length / 1048576)} MiB: larger than the ${LIMITS.maxInputBytes / 1048576} MiB extraction limit (hashed, not opened)` });
  }
  try {
    // Loading pdf.js (seconds on a busy machine, once per worker) is not the document's time.
    if (format.kind === 'pdf') await pdfjs();
    const deadline = new Deadline();
    switch (format.kind) {
      case 'pdf':
        return await extractPdf(bytes, deadline);
      case 'ooxml':
        return extractOoxml(bytes);
      case 'odf':
        return extractOdf(bytes);
      case 'zip':
        return extractZip(bytes);
      case 'ole2':
        return await extractOle2(bytes);
      case 'rtf':
        return extractRtf(bytes);
      case 'image':
        return await extractImage(bytes);
      case 'email':
        return await extractEmail(bytes);
      case 'text':
      case 'csv':
      case 'html':
        return extractPlain(bytes, format.kind);
      default:
        return empty(format.type);
    }
  } catch (err) {
    const e = err instanceof ExtractError ? err : new ExtractError('extract-failed', `${format.kind}: ${(err as Error)?.message ?? String(err)}`);
    const doc = empty(format.type, { code: e.code, message: e.message });
    if (e.code === 'encrypted') doc.meta.encrypted = true;
    return doc;
  }
}

function empty(type: string, error?: { code: string; message: string }): Extracted {
  return { type, meta: {}, pages: [], errors: error ? [error] : [] };
}

type Kind = 'pdf' | 'ooxml' | 'odf' | 'zip' | 'ole2' | 'rtf' | 'image' | 'email' | 'text' | 'csv' | 'html' | 'other';

/** The format from the magic bytes first, then the declared type and the file name. */
export function detect(bytes: Uint8Array, hint: ExtractHint): { kind: Kind; type: string } {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 4096));
  const ext = path.extname(hint.name ?? '').toLowerCase();
  const ct = (hint.contentType ?? '').toLowerCase();
  const head = b.toString('latin1');
  if (head.slice(0, 1024).includes('%PDF-')) return { kind: 'pdf', type: 'pdf' };
  if (head.startsWith('PK\u0003\u0004') || head.startsWith('PK\u0005\u0006')) {
    if (head.includes('[Content_Types].xml') || /\.(docx|docm|dotx|xlsx|xlsm|xltx|pptx|pptm|potx)$/.test(ext)) return { kind: 'ooxml', type: officeFamily(ext) };
    if (head.includes('mimetypeapplication/vnd.oasis.opendocument') || /\.(odt|ods|odp)$/.test(ext)) return { kind: 'odf', type: officeFamily(ext) };
    return { kind: 'zip', type: 'archive' };
  }
  if (b.length >= 8 && b.readUInt32BE(0) === 0xd0cf11e0) return { kind: 'ole2', type: officeFamily(ext) };
  if (head.startsWith('{\\rtf')) return { kind: 'rtf', type: 'word' };
  if (/^(\xFF\xD8\xFF|\x89PNG|GIF8|II\*\0|MM\0\*|RIFF....WEBP)/s.test(head) || /^....ftyp(heic|heix|mif1)/s.test(head)) return { kind: 'image', type: 'image' };
  if (ct === 'message/rfc822' || ext === '.eml') return { kind: 'email', type: 'email' };
  if (ct.includes('html') || ext === '.html' || ext === '.htm' || /^\s*<(!doctype html|html)/i.test(head)) return { kind: 'html', type: 'html' };
  if (ct.includes('csv') || ext === '.csv') return { kind: 'csv', type: 'csv' };
  if (ct.startsWith('text/') || /\.(txt|text|md|log|json|xml)$/.test(ext) || looksLikeText(b)) return { kind: 'text', type: 'text' };
  return { kind: 'other', type: 'other' };
}

function officeFamily(ext: string): string {
  if (/^\.(xl|od[s])/.test(ext)) return 'excel';
  if (/^\.(pp|pot|odp)/.test(ext)) return 'powerpoint';
  if (/^\.(doc|dot|odt|rtf)/.test(ext)) return 'word';
  return 'other';
}

function looksLikeText(b: Buffer): boolean {
  if (b.length === 0) return false;
  let bad = 0;
  for (const c of b) if (c === 0 || (c < 9 && c !== 0)) bad++;
  return bad === 0;
}

/** A zip attachment: its entries become child documents (bounded by readZip). */
function extractZip(bytes: Uint8Array): Extracted {
  const entries = readZip(bytes, (n) => !n.endsWith('/'));
  const names = [...entries.keys()];
  const children = names.slice(0, LIMITS.maxChildren).map((n) => ({ name: n, bytes: entries.get(n)! }));
  const errors = names.length > LIMITS.maxChildren ? [{ code: 'children-limit', message: `only the first ${LIMITS.maxChildren} of ${names.length} entries were opened` }] : [];
  return { type: 'archive', meta: {}, pages: [names.join('\n')], errors, children };
}

function sha(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}
