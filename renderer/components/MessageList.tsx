import { elementScroll, observeElementOffset, useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { MessageSummary } from '../../shared/types';
import { formatDate, senderName } from '../format';
import { visibleText } from '../visible-text';

interface Props {
  rows: (MessageSummary | undefined)[];
  total: number;
  selected: number | null;
  /** Messages marked for a bulk action (Ctrl/Cmd-click, Shift-click, x). */
  marked: Set<number>;
  onSelect: (id: number, how: { toggle: boolean; range: boolean }) => void;
  onNeedRange: (start: number, end: number) => void;
  snippets?: Map<number, string>;
  tagColors?: Map<string, string>;
}

const ROW = 52;
const ROW_WITH_SNIPPET = 70;

/** A paperclip drawn inline (no icon font, no emoji font needed). */
function Clip() {
  return (
    <svg className="clip" width="12" height="12" viewBox="0 0 24 24" aria-label="Has attachments" role="img">
      <path d="M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
    </svg>
  );
}

/**
 * Browsers cap an element's height (Chromium at ≈33.5 million px): 1,000,000 rows of 52 px do not fit, and
 * the last rows would be unreachable. Beyond this height the list scrolls in scaled coordinates.
 */
const MAX_SCROLL_HEIGHT = 8_000_000;

/**
 * Virtualized: only visible rows exist in the DOM, so a million-message list scrolls like a short one.
 * For very long lists the scroll position is scaled: the virtualizer works in "virtual" pixels
 * (rows × row height), the scroll container is at most MAX_SCROLL_HEIGHT tall, and rows are drawn around
 * the real scroll position at their normal height.
 */
export function MessageList({ rows, total, selected, marked, onSelect, onNeedRange, snippets, tagColors }: Props) {
  const parent = useRef<HTMLDivElement>(null);
  const rowHeight = snippets ? ROW_WITH_SNIPPET : ROW;
  const viewport = parent.current?.clientHeight || 800;
  const virtualTotal = total * rowHeight;
  const scale = virtualTotal > MAX_SCROLL_HEIGHT ? (virtualTotal - viewport) / (MAX_SCROLL_HEIGHT - viewport) : 1;
  // Read through a ref: the virtualizer subscribes to scrolling once, with the callbacks of its first render.
  const scaleRef = useRef(scale);
  scaleRef.current = scale;
  const v = useVirtualizer({
    count: total,
    getScrollElement: () => parent.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    observeElementOffset: (instance, cb) => observeElementOffset(instance, (offset, scrolling) => cb(offset * scaleRef.current, scrolling)),
    scrollToFn: (offset, options, instance) => elementScroll(offset / scaleRef.current, options, instance),
  });
  const realScrollTop = parent.current?.scrollTop ?? 0;
  /** Where a row is drawn: at its virtual position, shifted so that rows near the viewport line up. */
  const drawAt = (start: number) => (scale === 1 ? start : start - (v.scrollOffset ?? 0) + realScrollTop);
  const items = v.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => onNeedRange(first, last + 1), [first, last, onNeedRange]);
  useEffect(() => {
    const i = rows.findIndex((r) => r?.id === selected);
    if (i >= 0) v.scrollToIndex(i, { align: 'auto' });
  }, [selected]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <div ref={parent} className="list" role="listbox" aria-label="Messages" data-testid="message-list">
      <div style={{ height: scale === 1 ? v.getTotalSize() : MAX_SCROLL_HEIGHT, position: 'relative' }}>
        {items.map((item) => {
          const m = rows[item.index];
          return (
            <div
              key={item.key}
              role="option"
              aria-selected={m?.id === selected}
              className={`row${m?.id === selected ? ' selected' : ''}${m && marked.has(m.id) ? ' marked' : ''}${m?.hasErrors ? ' has-errors' : ''}`}
              style={{ position: 'absolute', top: 0, left: 0, right: 0, height: rowHeight, transform: `translateY(${drawAt(item.start)}px)` }}
              onClick={(e) => m && onSelect(m.id, { toggle: e.ctrlKey || e.metaKey, range: e.shiftKey })}
              data-id={m?.id}
            >
              {m ? (
                <>
                  <div className="row-top">
                    <span className="from">{senderName(m.from)}</span>
                    {m.hasAttachments && <Clip />}
                    {m.versionCount ? (
                      <span className="badge versions" title={`${m.versionCount + 1} messages carry this Message-ID with different content`} data-testid="versions-badge">
                        {m.versionCount + 1} versions
                      </span>
                    ) : null}
                    {m.tags.map((t) => (
                      <span key={t} className="chip" style={{ ['--chip' as string]: tagColors?.get(t.toLowerCase()) ?? '#888888' }}>
                        {t}
                      </span>
                    ))}
                    <span className="date" title={m.dateSource ? `no Date header: date from ${m.dateSource === 'received' ? 'the first Received hop' : 'the mbox From_ line'}` : undefined}>
                      {formatDate(m.date)}
                      {m.dateSource ? <sup data-testid="date-from-received">R</sup> : null}
                    </span>
                  </div>
                  <div className="subject">{visibleText(m.subject) || '(no subject)'}</div>
                  {snippets?.get(m.id) && <div className="snippet">{visibleText(snippets.get(m.id))}</div>}
                </>
              ) : (
                <div className="loading">…</div>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
