import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DocumentJson, DocumentSort } from '../../shared/types';
import { call } from '../api-client';
import { formatBytes } from '../format';
import { DocumentPanel } from './DocumentPanel';
import { usePagedRows } from '../hooks/usePagedRows';
import { OcrSwitch } from './OcrSwitch';

const ROW = 30;
const PAGE = 200;
const COLUMNS: { key: DocumentSort; label: string; cell: (d: DocumentJson) => string }[] = [
  { key: 'name', label: 'Name', cell: (d) => d.name || '(unnamed)' },
  { key: 'type', label: 'Type', cell: (d) => d.type },
  { key: 'author', label: 'Author', cell: (d) => d.meta.author ?? '' },
  { key: 'lastModifiedBy', label: 'Last modified by', cell: (d) => d.meta.lastModifiedBy ?? '' },
  { key: 'modified', label: 'Modified', cell: (d) => d.meta.modified ?? '' },
  { key: 'application', label: 'Application', cell: (d) => d.meta.application ?? d.meta.creatorTool ?? d.meta.producer ?? '' },
  { key: 'size', label: 'Size', cell: (d) => formatBytes(d.size) },
];

/**
 * Every document of the case (attachments, embedded files, loose files) in a virtualized, sortable table
 * filtered by the search box's query; the selected document opens in the panel beside it.
 * Keys: j/k or ↓/↑ move, Enter opens the first message carrying the document.
 */
export function DocumentsView({ query, onOpenMessage }: { query: string; onOpenMessage: (id: number) => void }) {
  const [sort, setSort] = useState<{ key: DocumentSort; desc: boolean }>({ key: 'modified', desc: false });
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<number>(-1);
  // After an OCR pass the texts changed: the same list, read again.
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const load = useCallback(
    (page: number, size: number) =>
      call('listDocuments', { query, limit: size, offset: page * size, sort: sort.key, desc: sort.desc }).then((r) => ({ total: r.total, items: r.documents, apply: () => setError(null) })),
    [query, sort, version], // eslint-disable-line react-hooks/exhaustive-deps
  );
  useEffect(() => setSelected(-1), [load]);
  const { rows, total, onNeedRange } = usePagedRows(load, PAGE, (e) => setError((e as Error).message));

  const parent = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count: total, getScrollElement: () => parent.current, estimateSize: () => ROW, overscan: 20 });
  const items = v.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => onNeedRange(first, last), [first, last, onNeedRange]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) return;
      const move = e.key === 'j' || e.key === 'ArrowDown' ? 1 : e.key === 'k' || e.key === 'ArrowUp' ? -1 : 0;
      if (move) {
        e.preventDefault();
        setSelected((s) => {
          const n = Math.max(0, Math.min(total - 1, s + move));
          v.scrollToIndex(n, { align: 'auto' });
          return n;
        });
      } else if (e.key === 'Enter' && selected >= 0) {
        const loc = rows[selected]?.locations.find((l) => l.messageId);
        if (loc?.messageId) onOpenMessage(loc.messageId);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [total, selected, rows, v, onOpenMessage]);

  const doc = selected >= 0 ? rows[selected] : undefined;
  return (
    <>
      <main className="pane list-pane documents-pane" data-testid="documents-view">
        <div className="doc-count muted" data-testid="documents-count">
          {error ? <span className="query-error">{error}</span> : `${total} document${total === 1 ? '' : 's'}`}{' '}
          <OcrSwitch onFinished={reload} />
        </div>
        <div className="doc-row doc-head" role="row">
          {COLUMNS.map((c) => (
            <button
              key={c.key}
              className={`doc-cell col-${c.key}`}
              onClick={() => setSort((s) => ({ key: c.key, desc: s.key === c.key ? !s.desc : false }))}
              aria-sort={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
              data-testid={`documents-sort-${c.key}`}
            >
              {c.label}
              {sort.key === c.key ? (sort.desc ? ' ▼' : ' ▲') : ''}
            </button>
          ))}
        </div>
        <div ref={parent} className="list doc-list" role="grid" aria-label="Documents">
          <div style={{ height: v.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const d = rows[item.index];
              return (
                <div
                  key={item.key}
                  role="row"
                  aria-selected={item.index === selected}
                  className={`doc-row${item.index === selected ? ' selected' : ''}${d?.flags.length ? ' flagged' : ''}`}
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW, transform: `translateY(${item.start}px)` }}
                  onClick={() => setSelected(item.index)}
                  data-testid="document-row"
                >
                  {d ? (
                    COLUMNS.map((c) => (
                      <span key={c.key} className={`doc-cell col-${c.key}`} title={c.cell(d)}>
                        {c.key === 'name' && d.flags.length > 0 && <b className="warn" title={d.flags.map((f) => f.reason).join('\n')}>⚑ </b>}
                        {c.cell(d)}
                      </span>
                    ))
                  ) : (
                    <span className="loading">…</span>
                  )}
                </div>
              );
            })}
          </div>
        </div>
      </main>
      <section className="pane reading-wrap">
        <div className="pane reading">{doc ? <DocumentPanel id={doc.id} query={query} onOpenMessage={onOpenMessage} /> : <p className="muted">Select a document (j/k to move, Enter opens its message).</p>}</div>
      </section>
    </>
  );
}
