import { KLargest } from './k-largest';

/**
 * Hits of one word over the case's whole id range, in typed arrays (`scores[id - base]`, `seen` marking
 * hits), read through the Map interface the evaluator and the page use. At 1M messages a word in most of
 * them (`camp*`: 714,415 hits) cost ≈0.6 s just to put its hits into a Map, one entry per hit; here the
 * shards' postings are summed straight into the arrays and nothing is copied. A word with few hits is
 * turned back into a Map (`compact`), so memory stays bounded by the hits, not by the case.
 */
/**
 * Below one hit in this many ids a table becomes a Map. Building the Map costs an entry per hit (and its
 * garbage): at 1M messages `from:jean.dupont@en-marche.fr` (122,201 hits, one in 8.2) spent ≈70 ms in it
 * and as much again reading the Map back for its page, where the arrays answer in a pass or two of a
 * few milliseconds. One in 32 keeps the table's 9 bytes an id within ≈300 bytes a hit.
 */
export const SPARSE = 32;

export class ScoreTable implements ReadonlyMap<number, number> {
  readonly scores: Float64Array;
  /** 1 where a message has a posting (a Lunr weight may round to 0). */
  readonly seen: Uint8Array;
  private count = -1;

  constructor(
    readonly base: number,
    last: number,
  ) {
    this.scores = new Float64Array(Math.max(0, last - base + 1));
    this.seen = new Uint8Array(this.scores.length);
  }

  /** Views of the arrays over ids first..last (one shard's range), for BinaryShard.addHitsTo. */
  view(first: number, last: number): { base: number; scores: Float64Array; seen: Uint8Array } {
    const from = first - this.base;
    const to = last - this.base + 1;
    return { base: first, scores: this.scores.subarray(from, to), seen: this.seen.subarray(from, to) };
  }

  /** Add hits gathered in a Map (a legacy JSON shard). */
  addAll(hits: Map<number, number>): void {
    for (const [id, s] of hits) {
      this.scores[id - this.base]! += s;
      this.seen[id - this.base] = 1;
    }
    this.count = -1;
  }

  /**
   * This table, or a Map when hits are sparse (fewer than one id in SPARSE). `hits`: how many ids `seen`
   * marks, when the writer counted them (else they are counted here).
   */
  compact(hits = -1): ReadonlyMap<number, number> {
    this.count = hits; // `seen` may have been written directly
    if (this.size * SPARSE >= this.seen.length) return this;
    const { seen, scores, base } = this;
    const out = new Map<number, number>();
    // Stop at the last hit (a word in no message, or in a few early ones, does not scan the rest of the case).
    for (let k = 0, left = this.size; left > 0 && k < seen.length; k++) {
      if (seen[k]) {
        out.set(base + k, scores[k]!);
        left--;
      }
    }
    return out;
  }

  /** A table of the same hits (its own arrays). */
  copy(): ScoreTable {
    const out = new ScoreTable(this.base, this.base + this.seen.length - 1);
    out.scores.set(this.scores);
    out.seen.set(this.seen);
    return out;
  }

  /** Those of the hits for which `keep(id)` holds (scores kept). */
  filter(keep: (id: number) => boolean): ReadonlyMap<number, number> {
    const out = this.copy();
    for (let k = 0; k < out.seen.length; k++) if (out.seen[k] && !keep(out.base + k)) out.seen[k] = 0;
    return out.compact();
  }

  /** The k-th best score of the hits (-Infinity when fewer), in one pass over the arrays (no copy of the scores). */
  kthBest(k: number): number {
    const { seen, scores } = this;
    const heap = new KLargest(k);
    // The score is tested before `seen` (see candidates): the same hits offered in the same order.
    for (let i = 0; i < seen.length; i++) {
      const v = scores[i]!;
      if (v < heap.kth() || seen[i] === 0) continue;
      heap.offer(v);
    }
    return heap.kth();
  }

  /** Ids of the hits scoring at least `min`, in id order; null when more than `limit` do. */
  atLeast(min: number, limit: number): number[] | null {
    const { seen, scores, base } = this;
    const ids: number[] = [];
    for (let k = 0; k < seen.length; k++) if (scores[k]! >= min && seen[k] && ids.push(base + k) > limit) return null;
    return ids;
  }

  /**
   * atLeast(kthBest(k), limit) in one pass over the arrays: while looking for the k-th best score, keep the
   * hits that reach the k-th best seen so far (which only rises), then drop those below the final one.
   * The k-th best so far is tested inline, so most hits of a wide word cost one comparison, not a call
   * (at 1M messages the two passes and a call per hit were ≈15–25 ms of `camp*` and `tresorier~2`).
   */
  candidates(k: number, limit: number): number[] | null {
    const { seen, scores, base } = this;
    const heap = new KLargest(k);
    let kept: number[] = []; // offsets of hits scoring at least the k-th best so far
    let bound = -Infinity;
    let room = Math.max(1024, 4 * limit);
    for (let i = 0; i < seen.length; i++) {
      // The score first, `seen` only for those reaching the bound: a message that is not a hit scores 0,
      // below the bound once k hits are found, so the test that decides almost every id is one that the
      // processor predicts. Testing `seen` first branched on every id of a table half full of hits at
      // random (`tresorier~2` at 1M: 440,680 hits of 1M ids) — ≈2× the time of the pass.
      const v = scores[i]!;
      if (v < bound || seen[i] === 0) continue;
      heap.offer(v);
      bound = heap.kth();
      kept.push(i);
      if (kept.length > room) {
        kept = kept.filter((j) => scores[j]! >= bound); // the bound only rises: nothing dropped could come back
        if (kept.length > room / 2) room *= 2;
      }
    }
    const ids: number[] = [];
    for (const j of kept) if (scores[j]! >= bound && ids.push(base + j) > limit) return null;
    return ids;
  }

  get size(): number {
    if (this.count < 0) {
      let n = 0;
      for (let k = 0; k < this.seen.length; k++) n += this.seen[k]!;
      this.count = n;
    }
    return this.count;
  }

  has(id: number): boolean {
    return this.seen[id - this.base] === 1;
  }

  get(id: number): number | undefined {
    return this.seen[id - this.base] === 1 ? this.scores[id - this.base] : undefined;
  }

  *keys(): IterableIterator<number> {
    const { seen, base } = this;
    for (let k = 0; k < seen.length; k++) if (seen[k]) yield base + k;
  }

  *values(): IterableIterator<number> {
    const { seen, scores } = this;
    for (let k = 0; k < seen.length; k++) if (seen[k]) yield scores[k]!;
  }

  *entries(): IterableIterator<[number, number]> {
    const { seen, scores, base } = this;
    for (let k = 0; k < seen.length; k++) if (seen[k]) yield [base + k, scores[k]!];
  }

  [Symbol.iterator](): IterableIterator<[number, number]> {
    return this.entries();
  }

  forEach(fn: (value: number, key: number, map: ReadonlyMap<number, number>) => void): void {
    for (const [id, s] of this.entries()) fn(s, id, this);
  }
}
