import type Database from 'better-sqlite3';

/** Above this many candidates, reading every message's date at once is cheaper than looking each up. */
const LOOKUP_LIMIT = 5000;

/** Newest first, then higher id: the tie-break of every order. */
export const byDate = (dates: Map<number, number>) => (a: number, b: number) => (dates.get(b) ?? -Infinity) - (dates.get(a) ?? -Infinity) || b - a;

/** Higher score first, then newest. */
export const byRelevance = (hits: Map<number, number>, dates: Map<number, number>) => {
  const tie = byDate(dates);
  return (a: number, b: number) => hits.get(b)! - hits.get(a)! || tie(a, b);
};

/**
 * The ids that can be on a relevance page of `k`: every hit scoring at least the k-th best score (ties
 * there are broken by date). A short list lets a freshly opened case (one CLI search) order its page by
 * looking up a few dates instead of reading every message's date. Null when that list is too long.
 */
export function relevanceCandidates(hits: Map<number, number>, k: number): number[] | null {
  if (k <= 0) return [];
  // A typed array sorts numbers natively (ascending), several times faster than Array#sort with a comparator.
  const scores = Float64Array.from(hits.values());
  if (scores.length > k) scores.sort();
  // Not more hits than the page: every hit is a candidate (no spread of the scores into Math.min, which
  // overflows the call stack past ≈100,000 of them).
  const kth = scores.length > k ? scores[scores.length - k]! : -Infinity;
  const ids: number[] = [];
  for (const [id, score] of hits) {
    if (score < kth) continue;
    if (ids.push(id) > LOOKUP_LIMIT) return null;
  }
  return ids;
}

/** Dates of these messages only (primary-key lookups). */
export function datesOf(db: Database.Database, ids: number[]): Map<number, number> {
  const rows = db.prepare('SELECT id, date_ms FROM messages WHERE id IN (SELECT value FROM json_each(?))').raw().all(JSON.stringify(ids)) as [number, number | null][];
  return new Map(rows.map(([id, d]) => [id, d ?? -Infinity]));
}
