import { BinaryShard } from './binary-shard';
import type { Deadline } from './query-cost';
import { ScoreTable, SPARSE } from './score-table';
import type { ShardCache, ShardIndex, ShardInfo } from './shard-cache';
import type { TermLookup } from './term-lookup';

/**
 * A phrase's candidates (messages holding all its words) without those whose shard's pair filter proves a
 * word pair of the phrase absent (see phrase-pairs.ts). A phrase of common words has many candidates
 * ("second tour": 18,000 of 98,000 messages): a table of them is walked shard by shard over its arrays
 * against the shard's may-contain mask (pair-slices.ts), with no call per candidate; a shard without a
 * mask (no sidecar, an older format) is asked per candidate.
 */
export function withWordPairs(candidates: ReadonlyMap<number, number>, hashes: number[], shards: ShardCache): ReadonlyMap<number, number> {
  if (hashes.length === 0) return candidates;
  if (candidates instanceof ScoreTable) return tableWithWordPairs(candidates, hashes, shards);
  let shard: ShardInfo | undefined;
  let index: ShardIndex | null = null;
  const out = new Map<number, number>();
  for (const [id, score] of candidates) {
    if (!shard || id < shard.firstId || id > shard.lastId) {
      shard = shards.shardOf(id);
      index = shard ? shards.get(shard) : null;
    }
    if (!shard || !index || index.mayContainPairs(id, hashes)) out.set(id, score);
  }
  return out;
}

function tableWithWordPairs(table: ScoreTable, hashes: number[], shards: ShardCache): ReadonlyMap<number, number> {
  const { seen, scores, base } = table;
  const end = base + seen.length - 1;
  const kept: number[] = []; // ids, ascending
  const ranges = [...shards.shards].sort((a, b) => a.firstId - b.firstId);
  let k = 0;
  for (let id = base; id <= end; ) {
    while (k < ranges.length && ranges[k]!.lastId < id) k++;
    const shard = ranges[k];
    // Ids before the next shard's range are in no shard (not indexed yet): kept, as per candidate.
    for (const stop = shard ? Math.min(end, shard.firstId - 1) : end; id <= stop; id++) if (seen[id - base]) kept.push(id);
    if (!shard || id > end) break;
    const to = Math.min(shard.lastId, end);
    let first = id;
    while (first <= to && !seen[first - base]) first++;
    id = to + 1;
    k++;
    if (first > to) continue; // no candidate here: the shard is not opened
    const index = shards.get(shard);
    const mask = index instanceof BinaryShard ? index.pairMask(hashes) : null;
    if (mask) {
      const off = shard.firstId;
      for (let c = first; c <= to; c++) if (seen[c - base] && mask[c - off]) kept.push(c);
    } else {
      // unreadable (its candidates stay: reported by the searcher), or asked per candidate
      for (let c = first; c <= to; c++) if (seen[c - base] && (!index || index.mayContainPairs(c, hashes))) kept.push(c);
    }
  }
  if (kept.length * 8 < seen.length) return new Map(kept.map((id) => [id, scores[id - base]!]));
  const out = new ScoreTable(base, end);
  for (const id of kept) {
    out.seen[id - base] = 1;
    out.scores[id - base] = scores[id - base]!;
  }
  return out.compact();
}

/**
 * The candidates of a phrase with their scores, its pair filters read first: the same messages and scores
 * as summing each word over the case (`words[w]`: the word's index terms, as lunrHits sums them), adding
 * the words' scores left to right (as intersect does) and keeping what withWordPairs keeps — but each
 * word's postings are added only where the shard's pair mask lets the phrase be. At 1M messages
 * `"second tour"` summed ≈600,000 postings into two case-wide tables and intersected them for 4,731
 * candidates; now a shard where a word is missing is skipped before its pair mask is read, a shard whose
 * mask is empty before any posting is read, and only postings at offsets the masks let through are added
 * (6,179 of 979,953 messages). `within`: hit sets the caller keeps only the common part of (an AND's
 * other items): shards without one of their ids are skipped, and candidates outside them left out. Null when a shard is in an older format (no typed
 * posting sums): the caller then sums the words as before.
 */
export function pairedCandidates(
  words: string[][],
  fields: string[] | undefined,
  hashes: number[],
  shards: ShardCache,
  lookup: TermLookup,
  deadline: Deadline,
  within: ReadonlyMap<number, number>[] = [],
): ReadonlyMap<number, number> | null {
  const ranges = [...shards.shards].sort((a, b) => a.firstId - b.firstId);
  if (ranges.length === 0 || words.length === 0) return new Map();
  const ids: number[] = [];
  const scores: number[] = [];
  // Each word's sums over one shard's range, reused from shard to shard (only what was written is cleared).
  const size = Math.max(...ranges.map((r) => r.lastId - r.firstId + 1));
  const sums = words.map(() => ({ scores: new Float64Array(size), seen: new Uint8Array(size) }));
  const inside = within.map(sortedIds);
  for (const shard of ranges) {
    const { firstId, lastId } = shard;
    const index = shards.get(shard); // opened as summing every word opened it (a damaged header is reported alike)
    if (!index) continue; // unreadable shard: reported by the searcher (indexComplete: false)
    if (!(index instanceof BinaryShard)) return null;
    if (!inside.every((w) => anyIn(w, firstId, lastId))) continue;
    const refs = words.map((terms) => {
      const out: (string | number)[] = [];
      for (const t of terms) {
        for (const { ref } of lookup.termsIn(shard, index, t, 0, false)) {
          deadline.check();
          out.push(ref);
        }
      }
      return out;
    });
    if (refs.some((r) => r.length === 0)) continue; // a word absent from the shard: no candidate here
    const n = lastId - firstId + 1;
    const mask = index.pairMask(hashes); // null: no sidecar, the shard's own filter asked per candidate below
    const at = mask ? marked(mask) : null; // the offsets the mask lets through (≈1 in 100 for "second tour")
    if (at && at.length === 0) continue;
    for (let w = 0; w < words.length; w++) {
      index.sumTerms(refs[w]!, fields ?? index.fields, firstId, sums[w]!.scores.subarray(0, n), sums[w]!.seen.subarray(0, n), deadline, mask ?? undefined);
    }
    const count = at ? at.length : n;
    for (let i = 0; i < count; i++) {
      const k = at ? at[i]! : i;
      if (sums[0]!.seen[k] === 0) continue;
      let score = sums[0]!.scores[k]!;
      let all = true;
      for (let w = 1; w < sums.length && all; w++) {
        if (sums[w]!.seen[k] === 0) all = false;
        else score += sums[w]!.scores[k]!;
      }
      const id = firstId + k;
      if (!all || (!mask && !index.mayContainPairs(id, hashes)) || !within.every((h) => h.has(id))) continue;
      ids.push(id);
      scores.push(score);
    }
    for (const sum of sums) {
      if (!at) {
        sum.scores.fill(0, 0, n);
        sum.seen.fill(0, 0, n);
      } else {
        for (const k of at) {
          sum.scores[k] = 0;
          sum.seen[k] = 0;
        }
      }
    }
  }
  if (ids.length === 0) return new Map();
  const base = ranges[0]!.firstId;
  const end = ranges.at(-1)!.lastId;
  if (ids.length * SPARSE < end - base + 1) return new Map(ids.map((id, i) => [id, scores[i]!]));
  const out = new ScoreTable(base, end);
  for (let i = 0; i < ids.length; i++) {
    out.seen[ids[i]! - base] = 1;
    out.scores[ids[i]! - base] = scores[i]!;
  }
  return out.compact(ids.length);
}

/** The offsets where `mask` is 1, in order. */
function marked(mask: Uint8Array): Int32Array {
  const out: number[] = [];
  for (let k = mask.indexOf(1); k >= 0; k = mask.indexOf(1, k + 1)) out.push(k);
  return Int32Array.from(out);
}

/** A hit set's ids in ascending order (a table: its own arrays stand for that). */
function sortedIds(hits: ReadonlyMap<number, number>): ScoreTable | Int32Array {
  return hits instanceof ScoreTable ? hits : Int32Array.from(hits.keys()).sort();
}

/** Whether `ids` has one in [first, last]. */
function anyIn(ids: ScoreTable | Int32Array, first: number, last: number): boolean {
  if (ids instanceof ScoreTable) {
    const from = Math.max(0, first - ids.base);
    const to = Math.min(ids.seen.length, last - ids.base + 1);
    return from < to && ids.seen.subarray(from, to).indexOf(1) >= 0;
  }
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid]! < first) lo = mid + 1;
    else hi = mid;
  }
  return lo < ids.length && ids[lo]! <= last;
}
