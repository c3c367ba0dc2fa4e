import { useEffect, useMemo, useState, type ReactElement } from 'react';
import type { DocumentDetail, DocumentMeta } from '../../shared/types';
import { call } from '../api-client';
import { formatBytes } from '../format';

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

/** Words of a query worth highlighting: field filters, operators and punctuation dropped. */
function queryWords(query: string): string[] {
  return query
    .split(/\s+/)
    .filter((w) => w && !/^-|^\w+:/.test(w) && w !== 'OR')
    .map((w) => w.replace(/["()*~\d]+$/g, '').replace(/^["(]+/, ''))
    .filter((w) => w.length > 1);
}

const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/** The text with query words marked (accent- and case-insensitive prefix match, like the index). */
function Highlighted({ text, words }: { text: string; words: string[] }) {
  const parts = useMemo(() => {
    if (words.length === 0) return [text];
    const folded = fold(text);
    const wanted = words.map(fold);
    const out: (string | ReactElement)[] = [];
    let last = 0;
    const re = /[\p{L}\p{N}]+/gu;
    for (let m; (m = re.exec(folded)); ) {
      if (!wanted.some((w) => m![0].startsWith(w.slice(0, Math.max(3, w.length - 2))))) continue;
      // NFD folding can shift offsets for decomposed letters: fold is length-preserving for precomposed text only.
      out.push(text.slice(last, m.index), <mark key={m.index}>{text.slice(m.index, m.index + m[0].length)}</mark>);
      last = m.index + m[0].length;
      if (out.length > 4000) break;
    }
    out.push(text.slice(last));
    return out;
  }, [text, words]);
  return <>{parts}</>;
}

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
  const words = useMemo(() => queryWords(query), [query]);
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
        <div className="doc-text" data-testid="document-text">
          {doc.pages.map((p, i) => (
            <section key={i}>
              {doc.pages.length > 1 && <h3 className="muted">Page {i + 1}</h3>}
              <pre className="text-body">
                <Highlighted text={p} words={words} />
              </pre>
            </section>
          ))}
        </div>
      )}
    </div>
  );
}
