import { getDocument, GlobalWorkerOptions, type PDFDocumentProxy } from 'pdfjs-dist';
import { useEffect, useRef, useState } from 'react';

// pdf.js parses the file in its own worker, served by the app. Only the core parser/renderer is used:
// no PDF JavaScript (that needs pdf.js's scripting sandbox, never loaded), no eval (the CSP forbids it), no fonts or CMaps
// fetched from anywhere.
GlobalWorkerOptions.workerSrc = './pdf.worker.mjs';

const MAX_PAGES = 20;

export function PdfPreview({ bytes }: { bytes: Uint8Array }) {
  const [doc, setDoc] = useState<PDFDocumentProxy | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const task = getDocument({ data: bytes.slice(), enableXfa: false, disableFontFace: true, useSystemFonts: false, stopAtErrors: false });
    task.promise.then((d) => live && setDoc(d)).catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
      void task.destroy();
    };
  }, [bytes]);
  if (error) return <p className="query-error">Cannot render this PDF: {error}</p>;
  if (!doc) return <p className="muted">Rendering…</p>;
  const pages = Math.min(doc.numPages, MAX_PAGES);
  return (
    <div className="pdf" data-testid="pdf-preview">
      <p className="muted">
        {doc.numPages} page{doc.numPages === 1 ? '' : 's'}
        {doc.numPages > MAX_PAGES ? ` (first ${MAX_PAGES} shown)` : ''}
      </p>
      {Array.from({ length: pages }, (_, i) => (
        <PdfPage key={i} doc={doc} number={i + 1} />
      ))}
    </div>
  );
}

function PdfPage({ doc, number }: { doc: PDFDocumentProxy; number: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let cancelled = false;
    void doc.getPage(number).then((page) => {
      if (cancelled || !canvas.current) return;
      const viewport = page.getViewport({ scale: 1.2 });
      canvas.current.width = viewport.width;
      canvas.current.height = viewport.height;
      void page.render({ canvas: canvas.current, viewport }).promise.catch(() => {});
    });
    return () => {
      cancelled = true;
    };
  }, [doc, number]);
  return <canvas ref={canvas} className="pdf-page" data-testid="pdf-page" />;
}
