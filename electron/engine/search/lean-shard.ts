import { weightOf } from './binary-shard';
import type { Deadline } from './query-cost';
import { expandFuzzy, expandWildcard, sortedArray, type SortedTerms } from './term-dictionary';

type Posting = Record<string, Record<string, unknown>> & { _index: number };

/**
 * A shard in Lunr's JSON form, as cases built before the binary format (binary-shard.ts) have them;
 * still read so those cases open without a rebuild. A persisted Lunr shard, loaded for our evaluator only: postings and field-vector weights as Maps.
 * lunr.Index.load also builds a Vector object per (field, message) and the term trie up front, which made
 * opening a case take seconds.
 */
export class LeanShard {
  readonly fields: string[];
  private readonly postings: Map<string, Posting>;
  private readonly vectors: Map<string, number[]>;
  private dict: SortedTerms | null = null;

  constructor(serialized: { fields: string[]; invertedIndex: [string, Posting][]; fieldVectors: [string, number[]][] }) {
    this.fields = serialized.fields;
    this.postings = new Map(serialized.invertedIndex);
    this.vectors = new Map(serialized.fieldVectors);
  }

  docCount(term: string, fields: string[]): number {
    const posting = this.postings.get(term);
    return posting ? Math.max(0, ...fields.map((f) => Object.keys(posting[f] ?? {}).length)) : 0;
  }

  /** Add the weight of `term` in each of `fields` to the score of every message containing it. */
  addHits(term: string, fields: string[], out: Map<number, number>): void {
    const posting = this.postings.get(term);
    if (!posting) return;
    for (const f of fields) {
      const docs = posting[f];
      if (!docs) continue;
      for (const ref in docs) {
        const id = Number(ref);
        out.set(id, (out.get(id) ?? 0) + this.weight(f, ref, posting._index));
      }
    }
  }

  /** Legacy JSON shards carry no phrase filters: every candidate must be verified. */
  mayContainPairs(_id: number, _hashes: number[]): boolean {
    return true;
  }

  private weight(field: string, ref: string, termIndex: number): number {
    return weightOf(this.vectors.get(`${field}/${ref}`), termIndex);
  }

  /** Index terms matching a wildcard or fuzzy pattern (the sorted term list is made on first use). */
  expand(term: string, editDistance: number, deadline?: Deadline): string[] {
    this.dict ??= sortedArray([...this.postings.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    return editDistance ? expandFuzzy(this.dict, term, editDistance, deadline) : expandWildcard(this.dict, term, deadline);
  }
}
