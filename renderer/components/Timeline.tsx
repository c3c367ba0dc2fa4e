import { useRef, useState } from 'react';
import type { FacetName, Timeline as TimelineData, TimelineUnit } from '../../shared/types';

const COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#9c9c9c'];
const H = 70;
/** Fewer buckets than this are drawn at this width (one day's mail is not one wall-wide bar). */
const MIN_COLUMNS = 40;

interface Props {
  data: TimelineData | null;
  range: { from: number; to: number } | undefined;
  onRange: (r: { from: number; to: number } | undefined) => void;
  unit: TimelineUnit | '';
  onUnit: (u: TimelineUnit | '') => void;
  stackBy: FacetName | '';
  onStackBy: (f: FacetName | '') => void;
}

/** End (exclusive) of the bucket starting at `start`. */
export function bucketEnd(start: number, unit: TimelineUnit): number {
  if (unit === 'day') return start + 86_400_000;
  if (unit === 'week') return start + 7 * 86_400_000;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Messages over time, stacked; drag across the bars to filter the list to that period. */
export function Timeline({ data, range, onRange, unit, onUnit, stackBy, onStackBy }: Props) {
  const svg = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<{ a: number; b: number } | null>(null);
  const buckets = data?.buckets ?? [];
  const n = Math.max(1, buckets.length);
  const cols = Math.max(n, MIN_COLUMNS);
  const pad = Math.floor((cols - n) / 2);
  const max = Math.max(1, ...buckets.map((b) => b.counts.reduce((x, y) => x + y, 0)));
  const indexAt = (clientX: number) => {
    const r = svg.current!.getBoundingClientRect();
    return Math.max(0, Math.min(n - 1, Math.floor(((clientX - r.left) / r.width) * cols) - pad));
  };
  const inRange = (start: number) => (drag ? false : range ? start >= range.from && start < range.to : false);
  const dragLo = drag ? Math.min(drag.a, drag.b) : -1;
  const dragHi = drag ? Math.max(drag.a, drag.b) : -1;
  return (
    <div className="timeline" data-testid="timeline">
      <div className="timeline-bar">
        <span className="muted">
          {data ? `per ${data.unit}` : ''}
          {data?.undated ? ` · ${data.undated} undated` : ''}
          {range && (
            <>
              {' · '}
              <b data-testid="timeline-range">
                {day(range.from)} → {day(range.to - 1)}
              </b>{' '}
              <button className="linklike" onClick={() => onRange(undefined)} data-testid="timeline-clear">
                clear
              </button>
            </>
          )}
        </span>
        <span className="timeline-controls">
          <select value={unit} onChange={(e) => onUnit(e.target.value as TimelineUnit | '')} aria-label="Timeline unit" data-testid="timeline-unit">
            <option value="">auto</option>
            <option value="day">day</option>
            <option value="week">week</option>
            <option value="month">month</option>
          </select>
          <select value={stackBy} onChange={(e) => onStackBy(e.target.value as FacetName | '')} aria-label="Stack by" data-testid="timeline-stack">
            <option value="">no stacking</option>
            <option value="mailbox">by mailbox</option>
            <option value="domain">by sender domain</option>
            <option value="language">by language</option>
            <option value="attachment">by attachment type</option>
            <option value="tag">by tag</option>
          </select>
        </span>
      </div>
      <svg
        ref={svg}
        className="timeline-svg"
        viewBox={`0 0 ${cols} ${H}`}
        preserveAspectRatio="none"
        data-testid="timeline-svg"
        onMouseDown={(e) => {
          if (!buckets.length) return;
          const i = indexAt(e.clientX);
          setDrag({ a: i, b: i });
        }}
        onMouseMove={(e) => drag && setDrag({ ...drag, b: indexAt(e.clientX) })}
        onMouseUp={() => {
          if (!drag || !data) return;
          onRange({ from: buckets[dragLo]!.start, to: bucketEnd(buckets[dragHi]!.start, data.unit) });
          setDrag(null);
        }}
        onMouseLeave={() => setDrag(null)}
      >
        {buckets.map((b, i) => {
          let y = H;
          const total = b.counts.reduce((x, c) => x + c, 0);
          const lit = inRange(b.start) || (i >= dragLo && i <= dragHi);
          return (
            <g key={b.start} transform={`translate(${pad} 0)`} opacity={range && !lit && !drag ? 0.35 : 1}>
              <title>{`${day(b.start)}: ${total} message${total === 1 ? '' : 's'}${data!.series.length > 1 ? '\n' + data!.series.map((s, k) => `${s}: ${b.counts[k]}`).filter((_, k) => b.counts[k]).join('\n') : ''}`}</title>
              {lit && <rect x={i} y={0} width={1} height={H} className="timeline-lit" />}
              {b.counts.map((c, k) => {
                const h = (c / max) * (H - 4);
                y -= h;
                return c ? <rect key={k} x={i + 0.08} y={y} width={0.84} height={h} fill={COLORS[k % COLORS.length]} /> : null;
              })}
            </g>
          );
        })}
      </svg>
      {buckets.length > 0 && (
        <div className="timeline-axis muted">
          <span>{day(buckets[0]!.start)}</span>
          {data!.series.length > 1 && (
            <span className="legend">
              {data!.series.map((s, k) => (
                <span key={s}>
                  <i style={{ background: COLORS[k % COLORS.length] }} /> {s}
                </span>
              ))}
            </span>
          )}
          <span>{day(buckets[buckets.length - 1]!.start)}</span>
        </div>
      )}
    </div>
  );
}
