import type { Timeline, TimelineUnit } from '../../../shared/types';

const DAY = 86_400_000;
/** Finer units are used while they give at most this many bars (bogus 1970 or 2099 dates stretch spans). */
const MAX_BUCKETS = 400;

/** Start (ms, UTC) of the day, Monday-started week or month holding `ms`. */
export function bucketStart(ms: number, unit: TimelineUnit): number {
  const day = Math.floor(ms / DAY);
  if (unit === 'day') return day * DAY;
  if (unit === 'week') return (day - ((day + 3) % 7 + 7) % 7) * DAY; // 1970-01-01 was a Thursday
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

function next(start: number, unit: TimelineUnit): number {
  if (unit === 'day') return start + DAY;
  if (unit === 'week') return start + 7 * DAY;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

function bucketCount(min: number, max: number, unit: TimelineUnit): number {
  if (unit === 'month') {
    const a = new Date(min);
    const b = new Date(max);
    return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth() + 1;
  }
  return Math.floor((bucketStart(max, unit) - bucketStart(min, unit)) / (unit === 'day' ? DAY : 7 * DAY)) + 1;
}

/**
 * Messages per day / week / month, stacked by series (index into `series`), empty buckets included.
 * `unit` is a wish: when it would give too many bars for the span, the next coarser unit is used.
 */
export function buildTimeline(dates: number[], seriesOf: number[], series: string[], unit: TimelineUnit | undefined): Timeline {
  let min = Infinity;
  let max = -Infinity;
  let undated = 0;
  for (const d of dates) {
    if (Number.isNaN(d)) undated++;
    else {
      if (d < min) min = d;
      if (d > max) max = d;
    }
  }
  const chosen = chooseUnit(min, max, unit);
  if (min === Infinity) return { unit: chosen, series, buckets: [], undated };
  const buckets: { start: number; counts: number[] }[] = [];
  const index = new Map<number, number>();
  for (let s = bucketStart(min, chosen); s <= max; s = next(s, chosen)) {
    index.set(s, buckets.length);
    buckets.push({ start: s, counts: series.map(() => 0) });
  }
  dates.forEach((d, i) => {
    if (!Number.isNaN(d)) buckets[index.get(bucketStart(d, chosen))!]!.counts[seriesOf[i]!]!++;
  });
  return { unit: chosen, series, buckets, undated };
}

function chooseUnit(min: number, max: number, wish: TimelineUnit | undefined): TimelineUnit {
  const order: TimelineUnit[] = ['day', 'week', 'month'];
  if (min === Infinity) return wish ?? 'month';
  const fits = (u: TimelineUnit) => bucketCount(min, max, u) <= (wish ? MAX_BUCKETS * 5 : MAX_BUCKETS);
  for (const u of order.slice(order.indexOf(wish ?? 'day'))) if (fits(u)) return u;
  return 'month';
}
