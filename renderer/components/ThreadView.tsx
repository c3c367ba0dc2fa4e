import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import type { TagInfo, ThreadJson, ThreadNode } from '../../shared/types';
import { call } from '../api-client';
import { formatDate, senderName } from '../format';
import { splitQuoted } from '../quoted-text';
import { BulkTag } from './BulkTag';
import { hitRanges, type Range } from '../highlight/hit-ranges';
import { HitNavBar } from '../highlight/HitNavBar';
import { Marked } from '../highlight/Marked';
import { useDomHits } from '../highlight/useHitNav';
import { visibleText } from '../visible-text';

interface Props {
  id: number;
  onOpen: (id: number) => void;
  /** n / p: the next or previous message of the thread becomes the current one. */
  onMove: (id: number) => void;
  knownTags: TagInfo[];
  onTagsChanged: (message?: string) => void;
  /** The current search: hits marked in the open messages and stepped through (h / Shift-H). */
  query?: string;
}

/** Replies indent up to this depth, then stay put (with the depth written): no staircase on long chains. */
const MAX_INDENT = 4;

/**
 * A thread as a conversation: one row per message in tree order, virtualized (a 1,000-message thread
 * keeps ~30 rows in the DOM), bodies fetched only when a row is expanded, quoted text collapsed.
 */
export function ThreadView({ id, onOpen, onMove, knownTags, onTagsChanged, query = '' }: Props) {
  const [thread, setThread] = useState<ThreadJson | null>(null);
  const [expanded, setExpanded] = useState(() => new Set<number>([id]));
  const parent = useRef<HTMLDivElement>(null);
  // Hits of the messages shown open (rows far off screen are not in the page, so not counted).
  const nav = useDomHits(parent, `${id}:${query}:${thread ? 'loaded' : ''}`);
  useEffect(() => {
    call('getThread', { id }).then(setThread);
    setExpanded(new Set([id]));
  }, [id]);
  const rows = thread ? flatten(thread.root) : [];
  const v = useVirtualizer({ count: rows.length, getScrollElement: () => parent.current, estimateSize: () => 34, overscan: 8 });
  useEffect(() => {
    const i = rows.findIndex((r) => r.node.id === id);
    if (i > 0) v.scrollToIndex(i, { align: 'start' });
  }, [thread]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if ((e.key !== 'n' && e.key !== 'p') || e.ctrlKey || e.metaKey || e.altKey || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName)) return;
      const real = rows.filter((r) => !r.node.ghost);
      const i = real.findIndex((r) => r.node.id === id);
      const next = real[i + (e.key === 'n' ? 1 : -1)];
      if (!next) return;
      setExpanded((old) => new Set([...old, next.node.id!]));
      v.scrollToIndex(rows.indexOf(next), { align: 'auto' });
      onMove(next.node.id!);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (!thread) return <div className="pane reading empty">Loading…</div>;
  const toggle = (mid: number) =>
    setExpanded((old) => {
      const next = new Set(old);
      if (next.has(mid)) next.delete(mid);
      else next.add(mid);
      return next;
    });
  return (
    <div className="pane reading thread-pane" data-testid="thread-view">
      <div className="thread-head">
        <h1 className="subject">{visibleText(thread.subject) ?? '(no subject)'}</h1>
        <p className="muted">
          {thread.messageCount} messages{' '}
          <BulkTag label="Tag thread…" selection={{ threadOf: id }} known={knownTags} onDone={onTagsChanged} /> <HitNavBar nav={nav} label="hits in the open messages" />
        </p>
      </div>
      <div ref={parent} className="thread-scroll" data-testid="thread-scroll">
        <div style={{ height: v.getTotalSize(), position: 'relative' }}>
          {v.getVirtualItems().map((item) => {
            const { node, depth } = rows[item.index]!;
            return (
              <div
                key={item.key}
                data-index={item.index}
                ref={v.measureElement}
                className={`thread-row${node.ghost ? ' ghost' : ''}${node.id === id ? ' current' : ''}`}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)`, paddingLeft: 8 + Math.min(depth, MAX_INDENT) * 16 }}
                data-depth={depth}
                data-testid="thread-row"
              >
                {node.ghost ? (
                  <span className="muted" title={node.messageId ?? ''}>
                    missing message (referenced, not in the archive)
                  </span>
                ) : (
                  <>
                    <div className="thread-line">
                      <button className="linklike" onClick={() => toggle(node.id!)} aria-expanded={expanded.has(node.id!)}>
                        {depth > MAX_INDENT && <span className="depth" title={`reply depth ${depth}`}>↳{depth} </span>}
                        <span className="date">{formatDate(node.date)}</span> <b>{senderName(node.from)}</b> {visibleText(node.subject)}
                      </button>
                      <button className="small" onClick={() => onOpen(node.id!)} title="Open in the reading pane">
                        Open
                      </button>
                    </div>
                    {expanded.has(node.id!) && <LazyBody id={node.id!} query={query} />}
                  </>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

function flatten(root: ThreadNode): { node: ThreadNode; depth: number }[] {
  const rows: { node: ThreadNode; depth: number }[] = [];
  const stack: { node: ThreadNode; depth: number }[] = [{ node: root, depth: 0 }];
  while (stack.length) {
    const it = stack.pop()!;
    rows.push(it);
    for (let i = it.node.children.length - 1; i >= 0; i--) stack.push({ node: it.node.children[i]!, depth: it.depth + 1 });
  }
  return rows;
}

/** The text of one message, fetched when shown; quoted blocks collapsed behind a toggle (with their hit count). */
function LazyBody({ id, query }: { id: number; query: string }) {
  const [text, setText] = useState<string | null>(null);
  const [open, setOpen] = useState(new Set<number>());
  const [hits, setHits] = useState<Range[][]>([]);
  useEffect(() => {
    let live = true;
    // A message that cannot be re-parsed says so (open it in the reading pane for headers and raw source).
    call('getBody', { id }).then(
      (b) => live && setText(b.parseError ? `(${b.parseError})` : [...(b.notes ?? []).map((n) => `[${n}]\n\n`), b.text || '(no text part)'].join('')),
      (e: Error) => live && setText(`(the message could not be displayed: ${e.message})`),
    );
    return () => {
      live = false;
    };
  }, [id]);
  const blocks = text === null ? [] : splitQuoted(text);
  useEffect(() => {
    let live = true;
    setHits([]);
    if (text !== null && query.trim()) hitRanges(query, blocks.map((b) => b.text)).then((r) => live && setHits(r), () => undefined);
    return () => {
      live = false;
    };
  }, [text, query]); // eslint-disable-line react-hooks/exhaustive-deps
  if (text === null) return <div className="muted thread-body">Loading…</div>;
  return (
    <div className="thread-body" data-testid="thread-body">
      {blocks.map((b, i) =>
        b.kind === 'text' ? (
          <pre key={i} className="text-body">
            <Marked text={b.text} ranges={hits[i]} />
          </pre>
        ) : open.has(i) ? (
          <pre key={i} className="text-body quoted" onClick={() => setOpen((o) => new Set([...o].filter((x) => x !== i)))}>
            <Marked text={b.text} ranges={hits[i]} />
          </pre>
        ) : (
          <button key={i} className="quote-toggle" onClick={() => setOpen((o) => new Set([...o, i]))} data-testid="quote-toggle">
            ··· {b.lines} quoted line{b.lines === 1 ? '' : 's'}
            {hits[i]?.length ? ` (${hits[i]!.length} hit${hits[i]!.length === 1 ? '' : 's'})` : ''}
          </button>
        ),
      )}
    </div>
  );
}
