import { BinaryShard } from './binary-shard';
import { ScoreTable } from './score-table';
import type { ShardCache, ShardIndex, ShardInfo } from './shard-cache';

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
