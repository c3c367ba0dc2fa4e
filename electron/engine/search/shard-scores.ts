/** Scores of one shard's messages, by id − base, for summing the postings of many terms (query-eval.ts). */
export class ShardScores {
  readonly scores: Float64Array;
  /** 1 where a message has a posting (a Lunr weight may round to 0). */
  readonly seen: Uint8Array;

  constructor(
    readonly base: number,
    last: number,
  ) {
    this.scores = new Float64Array(last - base + 1);
    this.seen = new Uint8Array(last - base + 1);
  }

  /** Put each hit's score into `out` (shards hold disjoint id ranges, so no id of this range is there yet). */
  flush(out: Map<number, number>): void {
    const { scores, seen, base } = this;
    for (let k = 0; k < seen.length; k++) if (seen[k]) out.set(base + k, scores[k]!);
  }
}
