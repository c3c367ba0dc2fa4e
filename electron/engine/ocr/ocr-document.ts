import type { Worker as TesseractWorker } from 'tesseract.js';
import { pdfjs } from '../documents/pdf';

/** Bounds of OCR per document (README, Documents → OCR). */
export const OCR_LIMITS = {
  /** Pages of a scanned PDF recognised; the rest are named in the error. */
  maxPages: 100,
  /** Rendering scale of a PDF page (2 ≈ 144 dpi), lowered for pages that would exceed maxPixels. */
  scale: 2,
  maxPixels: 16_000_000,
};

/** Which pages of the document to recognise and what came out; `error` says what was not done. */
export interface OcrResult {
  pages: string[];
  error?: string;
}

/**
 * Recognise the text of an image (one page) or of a PDF's pages rendered by pdf.js (through the
 * `@napi-rs/canvas` that pdf.js uses in Node). The document's own bytes are only read.
 */
export async function ocrDocument(worker: TesseractWorker, bytes: Uint8Array, type: string, onPage?: (n: number, of: number) => void): Promise<OcrResult> {
  if (type === 'image') {
    onPage?.(1, 1);
    return { pages: [await recognize(worker, Buffer.from(bytes))] };
  }
  const lib = await pdfjs();
  const doc = await lib.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, useSystemFonts: false, enableXfa: false, stopAtErrors: false, verbosity: 0 }).promise;
  try {
    const count = Math.min(doc.numPages, OCR_LIMITS.maxPages);
    const pages: string[] = [];
    for (let n = 1; n <= count; n++) {
      onPage?.(n, count);
      pages.push(await recognize(worker, await renderPage(doc, n)));
    }
    return { pages, error: doc.numPages > count ? `only the first ${count} of ${doc.numPages} pages were recognised` : undefined };
  } finally {
    await doc.destroy().catch(() => {});
  }
}

async function recognize(worker: TesseractWorker, image: Buffer): Promise<string> {
  const { data } = await worker.recognize(image);
  return data.text.trim();
}

type PdfDoc = Awaited<ReturnType<Awaited<ReturnType<typeof pdfjs>>['getDocument']>['promise']>;

/** One page as PNG. pdf.js's Node canvas factory creates the canvas (it loads @napi-rs/canvas itself). */
async function renderPage(doc: PdfDoc, n: number): Promise<Buffer> {
  const page = await doc.getPage(n);
  try {
    const unit = page.getViewport({ scale: 1 });
    const scale = Math.min(OCR_LIMITS.scale, Math.sqrt(OCR_LIMITS.maxPixels / Math.max(1, unit.width * unit.height)));
    const viewport = page.getViewport({ scale });
    const factory = (doc as unknown as { canvasFactory: { create(w: number, h: number): { canvas: { toBuffer(t: string): Buffer }; context: unknown } } }).canvasFactory;
    const { canvas, context } = factory.create(Math.ceil(viewport.width), Math.ceil(viewport.height));
    await page.render({ canvasContext: context, canvas, viewport } as unknown as Parameters<typeof page.render>[0]).promise;
    return canvas.toBuffer('image/png');
  } finally {
    page.cleanup();
  }
}
