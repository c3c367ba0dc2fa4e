import { ScoreTable } from './score-table';

/** Message id → relevance score. `null` means "no constraint" (a stop word, an empty query). */
export type Hits = ReadonlyMap<number, number> | null;

/**
 * Set operations on hits. When the sides are score tables (a word in many messages, every message,
 * those with attachments) they are combined array against array, not id by id through a Map: at 1M
 * messages `equipe campagne` (247,098 hits) or `has:attachment rapport` spent most of their time in Map
 * operations. The scores are the same either way (a + b, max of the same values in the same order).
 */
export function intersect(a: Hits, b: Hits): Hits {
  if (a === null) return b;
  if (b === null) return a;
  if (a instanceof ScoreTable && b instanceof ScoreTable) {
    const lo = Math.max(a.base, b.base);
    const out = new ScoreTable(lo, Math.min(a.base + a.seen.length, b.base + b.seen.length) - 1);
    const [da, db] = [lo - a.base, lo - b.base];
    const [as, bs, ac, bc, os, oc] = [a.seen, b.seen, a.scores, b.scores, out.seen, out.scores];
    // One test per id on both bytes multiplied (testing one side, then the other, mispredicted twice as often
    // over two tables each a third full of hits at random), and the hits counted on the way.
    let n = 0;
    for (let k = 0; k < os.length; k++) {
      const both = as[k + da]! * bs[k + db]!; // non-zero when both are
      if (both === 0) continue;
      os[k] = 1;
      oc[k] = ac[k + da]! + bc[k + db]!;
      n++;
    }
    return out.compact(n);
  }
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  const out = new Map<number, number>();
  for (const [id, s] of small) {
    const other = big.get(id);
    if (other !== undefined) out.set(id, s + other);
  }
  return out;
}

/** Every id of any part, with its best score (at least 0). */
export function union(parts: ReadonlyMap<number, number>[]): ReadonlyMap<number, number> {
  if (!parts.some((p) => p instanceof ScoreTable)) {
    const out = new Map<number, number>();
    for (const hits of parts) for (const [id, s] of hits) out.set(id, Math.max(out.get(id) ?? 0, s));
    return out;
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of parts) {
    if (p instanceof ScoreTable) {
      lo = Math.min(lo, p.base);
      hi = Math.max(hi, p.base + p.seen.length - 1);
    } else for (const id of p.keys()) [lo, hi] = [Math.min(lo, id), Math.max(hi, id)];
  }
  const out = new ScoreTable(lo, hi);
  for (const p of parts) {
    if (p instanceof ScoreTable) {
      const d = p.base - lo;
      for (let k = 0; k < p.seen.length; k++) {
        if (!p.seen[k]) continue;
        out.scores[k + d] = Math.max(out.scores[k + d]!, p.scores[k]!);
        out.seen[k + d] = 1;
      }
    } else {
      for (const [id, s] of p) {
        out.scores[id - lo] = Math.max(out.scores[id - lo]!, s);
        out.seen[id - lo] = 1;
      }
    }
  }
  return out.compact();
}

/** `from` without the ids of `remove` (scores kept). */
export function subtract(from: ReadonlyMap<number, number>, remove: Hits): ReadonlyMap<number, number> {
  if (remove === null) return from; // "-the": an ignored (stop) word excludes nothing
  if (from instanceof ScoreTable) {
    const out = from.copy();
    const end = out.base + out.seen.length;
    if (remove instanceof ScoreTable) {
      for (let k = 0; k < remove.seen.length; k++) {
        const id = remove.base + k;
        if (remove.seen[k] && id >= out.base && id < end) out.seen[id - out.base] = 0;
      }
    } else for (const id of remove.keys()) if (id >= out.base && id < end) out.seen[id - out.base] = 0;
    return out.compact();
  }
  const out = new Map<number, number>();
  for (const [id, s] of from) if (!remove.has(id)) out.set(id, s);
  return out;
}
