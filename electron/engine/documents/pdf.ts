import { isoDate, pdfDate } from './dates';
import { lacksPdfStructure, PDF_NO_STRUCTURE } from './pdf-precheck';
import { type ChildBytes, Deadline, type DocMeta, type Extracted, ExtractError, LIMITS, TextSink } from './types';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjsPromise: Promise<PdfJs> | null = null;
// pdf.js's Node ("legacy") build; loaded on first use so that workers without PDFs never pay for it.
// Its "fake worker" (pdf.js in Node runs on the calling thread) would import ./pdf.worker.mjs beside pdf.mjs,
// a file that does not exist in the bundled app: handing it the worker module first makes esbuild bundle it.
export const pdfjs = () =>
  (pdfjsPromise ??= (async () => {
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker ??= await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
    return import('pdfjs-dist/legacy/build/pdf.mjs');
  })());

/**
 * PDF through pdf.js: text per page, the Info dictionary and XMP (dates with their written offsets),
 * page count, encryption, JavaScript/actions, embedded files. Revisions (incremental updates) are counted
 * from the raw bytes: each update appends a new cross-reference section ending in %%EOF.
 * pdf.js never runs the document's JavaScript here (no scripting, isEvalSupported off).
 */
export async function extractPdf(bytes: Uint8Array, deadline: Deadline, precheck = true): Promise<Extracted> {
  // `precheck` off only in the test that proves it changes nothing.
  if (precheck && lacksPdfStructure(bytes)) throw new ExtractError('pdf-invalid', `not a readable PDF: ${PDF_NO_STRUCTURE}`);
  const lib = await pdfjs();
  const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const meta: DocMeta = { revisions: revisionsOf(raw) };
  if (/\/Encrypt\s*\d+\s+\d+\s+R|\/Encrypt\s*<</.test(raw)) meta.encrypted = true;
  if (/\/(JavaScript|JS|Launch)\b/.test(raw)) meta.javascript = true;
  const task = lib.getDocument({
    data: new Uint8Array(bytes), // pdf.js takes ownership of (detaches) the buffer it is given
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    enableXfa: false,
    stopAtErrors: false,
    verbosity: 0,
  });
  let doc: Awaited<typeof task.promise>;
  try {
    doc = await withDeadline(task.promise, deadline, () => task.destroy());
  } catch (err) {
    if ((err as Error)?.name === 'PasswordException') throw new ExtractError('encrypted', 'password-protected PDF: text and metadata not readable');
    throw err instanceof ExtractError ? err : new ExtractError('pdf-invalid', `not a readable PDF: ${(err as Error)?.message ?? err}`);
  }
  const errors: Extracted['errors'] = [];
  const sink = new TextSink();
  const children: ChildBytes[] = [];
  try {
    meta.pageCount = doc.numPages;
    const { info, metadata } = (await doc.getMetadata().catch(() => ({ info: {}, metadata: null }))) as { info: Record<string, any>; metadata: any };
    readInfo(info ?? {}, meta);
    if (metadata) readXmp(metadata, meta);
    if (await doc.getJSActions().catch(() => null)) meta.javascript = true;
    const attachments = (await doc.getAttachments().catch(() => null)) as Record<string, { filename: string; content: Uint8Array }> | null;
    for (const a of Object.values(attachments ?? {}).slice(0, LIMITS.maxChildren)) if (a?.content) children.push({ name: a.filename || 'embedded', bytes: a.content });
    const pages = Math.min(doc.numPages, LIMITS.maxPdfPages);
    for (let n = 1; n <= pages; n++) {
      if (deadline.expired()) {
        // Keep what was read (metadata, embedded files, the first pages) and say where it stopped.
        errors.push({ code: 'extract-timeout', message: `text read for ${n - 1} of ${doc.numPages} pages: the ${LIMITS.timeMs / 1000} s budget ran out` });
        break;
      }
      const page = await doc.getPage(n);
      const content = await withDeadline(page.getTextContent(), deadline);
      let text = '';
      for (const item of content.items as { str?: string; hasEOL?: boolean }[]) {
        if (typeof item.str !== 'string') continue;
        text += item.str + (item.hasEOL ? '\n' : '');
      }
      sink.add(text.trim());
      if (!meta.javascript && (await page.getJSActions().catch(() => null))) meta.javascript = true;
      page.cleanup();
    }
    if (doc.numPages > pages && !errors.length) errors.push({ code: 'text-truncated', message: `only the first ${pages} of ${doc.numPages} pages were read` });
    if (sink.truncated) errors.push({ code: 'text-truncated', message: `text longer than ${LIMITS.maxTextChars} characters; the start is kept` });
  } finally {
    await doc.destroy().catch(() => {});
  }
  return { type: 'pdf', meta, pages: sink.pages, errors, children };
}

function readInfo(info: Record<string, any>, meta: DocMeta): void {
  const s = (k: string) => (typeof info[k] === 'string' && info[k].trim() ? (info[k] as string).trim() : undefined);
  meta.title = s('Title');
  meta.author = s('Author');
  meta.subject = s('Subject');
  meta.keywords = s('Keywords');
  meta.creatorTool = s('Creator');
  meta.producer = s('Producer');
  meta.created = pdfDate(s('CreationDate'));
  meta.modified = pdfDate(s('ModDate'));
  const custom: Record<string, string> = {};
  for (const [k, v] of Object.entries(info.Custom ?? {})) if (typeof v === 'string' || typeof v === 'number') custom[k] = String(v);
  if (Object.keys(custom).length) meta.custom = custom;
}

/** XMP fills what the Info dictionary lacks (Info wins: it is what most readers show). */
function readXmp(xmp: { get(name: string): unknown }, meta: DocMeta): void {
  const get = (k: string) => {
    const v = xmp.get(k);
    const t = Array.isArray(v) ? v.join(', ') : typeof v === 'string' ? v : undefined;
    return t && t.trim() ? t.trim() : undefined;
  };
  meta.title ??= get('dc:title');
  meta.author ??= get('dc:creator');
  meta.subject ??= get('dc:description');
  meta.keywords ??= get('pdf:keywords');
  meta.creatorTool ??= get('xmp:creatortool');
  meta.producer ??= get('pdf:producer');
  meta.created ??= isoDate(get('xmp:createdate'));
  meta.modified ??= isoDate(get('xmp:modifydate'));
}

/** Incremental updates: one %%EOF per save; a linearized file has one extra for its first-page section. */
function revisionsOf(raw: string): number {
  const eofs = raw.match(/%%EOF/g)?.length ?? 0;
  const linearized = /\/Linearized\b/.test(raw.slice(0, 2048)) ? 1 : 0;
  return Math.max(0, eofs - 1 - linearized);
}

async function withDeadline<T>(p: Promise<T>, deadline: Deadline, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const tick = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      try {
        deadline.check('PDF');
      } catch (e) {
        onTimeout?.();
        reject(e);
      }
    }, 250);
  });
  try {
    return await Promise.race([p, tick]);
  } finally {
    clearInterval(timer);
  }
}
