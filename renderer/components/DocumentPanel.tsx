import { useEffect, useRef, useState } from 'react';
import type { DocumentDetail, DocumentMeta } from '../../shared/types';
import { call } from '../api-client';
import { formatBytes } from '../format';
import { hitRanges, type Range } from '../highlight/hit-ranges';
import { HitNavBar } from '../highlight/HitNavBar';
import { Marked } from '../highlight/Marked';
import { useDomHits } from '../highlight/useHitNav';

/** Metadata rows in reading order; dates are shown exactly as written (with their original offset). */
const FIELDS: [keyof DocumentMeta, string][] = [
  ['title', 'Title'],
  ['subject', 'Subject'],
  ['author', 'Author'],
  ['lastModifiedBy', 'Last modified by'],
  ['company', 'Company'],
  ['created', 'Created'],
  ['modified', 'Modified'],
  ['lastPrinted', 'Last printed'],
  ['application', 'Application'],
  ['appVersion', 'App version'],
  ['producer', 'Producer'],
  ['creatorTool', 'Creator tool'],
  ['template', 'Template'],
  ['revision', 'Revision'],
  ['revisions', 'PDF revisions'],
  ['totalEditMinutes', 'Editing time (min)'],
  ['pageCount', 'Pages'],
  ['language', 'Language'],
  ['codePage', 'Code page'],
  ['keywords', 'Keywords'],
  ['encrypted', 'Encrypted'],
  ['javascript', 'JavaScript / actions'],
  ['commentAuthors', 'Comment authors'],
  ['revisionAuthors', 'Tracked-change authors'],
];

const show = (v: unknown) => (Array.isArray(v) ? v.join(', ') : typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v));

/** Everything known about one document: metadata (original offsets), flags with reasons, text, where it appears. */
export function DocumentPanel({ id, query = '', onOpenMessage }: { id: number; query?: string; onOpenMessage?: (id: number) => void }) {
  const [doc, setDoc] = useState<DocumentDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setDoc(null);
    call('getDocument', { id })
      .then(setDoc)
      .catch((e: Error) => setError(e.message));
  }, [id]);
  // The search's hits in the extracted text, matched by the engine as the index matches words.
  const [hits, setHits] = useState<Range[][]>([]);
  useEffect(() => {
    let live = true;
    setHits([]);
    if (doc && query.trim()) hitRanges(query, doc.pages).then((r) => live && setHits(r), () => undefined);
    return () => {
      live = false;
    };
  }, [doc, query]);
  const textPane = useRef<HTMLDivElement>(null);
  const nav = useDomHits(textPane, `${id}:${query}:${doc ? 'loaded' : ''}`);
  if (error) return <p className="query-error">{error}</p>;
  if (!doc) return <p className="muted">Loading…</p>;
  const rows = FIELDS.filter(([k]) => doc.meta[k] !== undefined && doc.meta[k] !== '');
  return (
    <div className="document-panel" data-testid="document-panel">
      <h1 className="subject">{doc.name || '(unnamed)'}</h1>
      <p className="muted">
        {doc.type} · {doc.kind} · {formatBytes(doc.size)} · <span className="mono">SHA-256 {doc.sha256}</span>
      </p>
      {doc.flags.length > 0 && (
        <ul className="doc-flags" data-testid="document-flags">
          {doc.flags.map((f) => (
            <li key={f.name}>
              <b className="warn">⚑ {f.name}</b> — {f.reason}
            </li>
          ))}
        </ul>
      )}
      {doc.errors.length > 0 && (
        <ul className="doc-errors">
          {doc.errors.map((e, i) => (
            <li key={i} className="query-error">
              {e.code}: {e.message}
            </li>
          ))}
        </ul>
      )}
      <table className="doc-meta" data-testid="document-meta">
        <tbody>
          {rows.map(([k, label]) => (
            <tr key={k}>
              <th>{label}</th>
              <td className={k === 'created' || k === 'modified' || k === 'lastPrinted' ? 'mono' : ''}>{show(doc.meta[k])}</td>
            </tr>
          ))}
          {Object.entries(doc.meta.custom ?? {}).map(([k, v]) => (
            <tr key={`custom-${k}`}>
              <th>{k} (custom)</th>
              <td>{v}</td>
            </tr>
          ))}
          {Object.entries(doc.exif ?? {})
            .filter(([, v]) => typeof v !== 'object' || Array.isArray(v))
            .slice(0, 60)
            .map(([k, v]) => (
              <tr key={`exif-${k}`}>
                <th>{k} (EXIF)</th>
                <td>{show(v)}</td>
              </tr>
            ))}
        </tbody>
      </table>
      <h2>Appears in</h2>
      <ul className="appears-in" data-testid="appears-in">
        {doc.appearsIn.length === 0 && <li className="muted">Embedded in another document only; matches no message or loose file.</li>}
        {doc.appearsIn.map((a, i) =>
          a.messageId ? (
            <li key={i}>
              <button className="linklike" onClick={() => onOpenMessage?.(a.messageId!)}>
                {a.date?.slice(0, 16).replace('T', ' ') ?? '—'} · {a.from ?? '(unknown)'} · {a.subject ?? '(no subject)'}
              </button>{' '}
              <span className="muted">attachment {a.attachmentIndex! + 1} · DKIM {a.dkim ?? 'not checked'}</span>
            </li>
          ) : (
            <li key={i} className="mono">
              {a.path}
            </li>
          ),
        )}
      </ul>
      <h2>Text</h2>
      {doc.pages.every((p) => !p.trim()) ? (
        <p className="muted">No text was extracted from this document.</p>
      ) : (
        <div className="doc-text" data-testid="document-text" ref={textPane}>
          <HitNavBar nav={nav} />
          {doc.pages.map((p, i) => (
            <section key={i}>
              {doc.pages.length > 1 && <h3 className="muted">Page {i + 1}</h3>}
              <pre className="text-body">
                <Marked text={p} ranges={hits[i]} />
              </pre>
            </section>
          ))}
        </div>
      )}
      {doc.ocrPages?.some((p) => p.trim()) && (
        <>
          <h2>Text recognised by OCR</h2>
          <p className="muted">Machine-read from the image{doc.ocrPages.length > 1 ? 's of the pages' : ''}: may contain misread words; not part of the document's own text.</p>
          <div className="doc-text ocr-text" data-testid="document-ocr-text">
            {doc.ocrPages.map((p, i) => (
              <section key={i}>
                {doc.ocrPages!.length > 1 && <h3 className="muted">Page {i + 1} (OCR)</h3>}
                <pre className="text-body">{p}</pre>
              </section>
            ))}
          </div>
        </>
      )}
      {doc.ocr?.state === 'failed' && <p className="muted">OCR failed: {doc.ocr.error}</p>}
    </div>
  );
}
