import { useEscape } from '../escape-stack';
import { useEffect, useMemo, useState } from 'react';
import type { AttachmentContent, AttachmentInfo } from '../../shared/types';
import { call } from '../api-client';
import { formatBytes } from '../format';
import { PdfPreview } from './PdfPreview';
import { visibleText } from '../visible-text';

const TEXT_PREVIEW_BYTES = 1024 * 1024;
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp'];

/** Types whose bytes are shown as text (in a <pre>, never rendered): a script or SVG shows its source. */
const TEXT_TYPES = ['text/plain', 'text/html', 'image/svg+xml', 'application/x-sh', 'application/x-bat'];

/**
 * What the bytes are, and so how to preview them. Only the sniffed type counts for rendering: a declared
 * type is the sender's claim, and bytes nobody recognised get no preview (never a data: URL of unknown type).
 */
export function previewKind(a: AttachmentInfo): 'image' | 'pdf' | 'text' | 'none' {
  const t = a.sniffedType;
  if (t && IMAGE_TYPES.includes(t)) return 'image';
  if (t === 'application/pdf') return 'pdf';
  if (t && (TEXT_TYPES.includes(t) || t.startsWith('text/'))) return 'text';
  if (!t && (a.contentType.startsWith('text/') || /\.(txt|csv|log|md|json|xml|ics|vcf)$/i.test(a.filename ?? ''))) return 'text';
  return 'none';
}

/** Preview an attachment inside the app (never handed to another program) and save its exact bytes. */
export function AttachmentViewer({ messageId, info, onClose }: { messageId: number; info: AttachmentInfo; onClose: () => void }) {
  useEscape(onClose);
  const [content, setContent] = useState<AttachmentContent | null>(null);
  const [error, setError] = useState<string | null>(null);
  const kind = previewKind(info);
  useEffect(() => {
    call('getAttachment', { id: messageId, index: info.index })
      .then(setContent)
      .catch((e: Error) => setError(e.message));
  }, [messageId, info.index]);
  const bytes = useMemo(() => (content ? Uint8Array.from(atob(content.base64), (c) => c.charCodeAt(0)) : null), [content]);
  const blobUrl = useMemo(() => (bytes ? URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' })) : null), [bytes]);
  useEffect(() => () => void (blobUrl && URL.revokeObjectURL(blobUrl)), [blobUrl]);

  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-label="Attachment" data-testid="attachment-viewer" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="modal wide-modal">
        <div className="attachment-head">
          <h2>{visibleText(info.filename) ?? '(unnamed attachment)'}</h2>
          <span className="muted">
            {formatBytes(info.size)} · declared {info.contentType} · detected {info.sniffedType ?? 'unknown'}
            {info.typeMismatch && <b className="warn"> · type mismatch</b>}
          </span>
          <span className="mono muted">SHA-256 {info.sha256}</span>
        </div>
        <div className="attachment-body">
          {error && <p className="query-error">{error}</p>}
          {!error && !bytes && <p className="muted">Loading…</p>}
          {bytes && kind === 'image' && <img alt={info.filename ?? 'attachment'} src={`data:${info.sniffedType};base64,${content!.base64}`} className="image-preview" data-testid="image-preview" />}
          {bytes && kind === 'pdf' && <PdfPreview bytes={bytes} />}
          {bytes && kind === 'text' && (
            <pre className="text-body" data-testid="text-preview">
              {new TextDecoder('utf-8').decode(bytes.subarray(0, TEXT_PREVIEW_BYTES))}
              {bytes.length > TEXT_PREVIEW_BYTES ? '\n…' : ''}
            </pre>
          )}
          {bytes && kind === 'none' && <p className="muted" data-testid="no-preview">No preview for this type{info.sniffedType ? '' : ' (the bytes match no known format)'}. Save it and open it on an isolated machine if you must.</p>}
        </div>
        <div className="modal-actions">
          {blobUrl && (
            <a className="button primary" href={blobUrl} download={visibleText(info.filename) ?? `attachment-${info.index + 1}`} data-testid="attachment-save">
              Save as…
            </a>
          )}
          <button onClick={onClose}>Close</button>
        </div>
      </div>
    </div>
  );
}
