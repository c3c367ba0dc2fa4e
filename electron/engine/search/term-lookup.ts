import { BinaryShard } from './binary-shard';
import type { CaseTerms } from './case-terms';
import type { Deadline } from './query-cost';
import { BlockDamaged } from './shard-bytes';
import type { ShardCache, ShardIndex, ShardInfo } from './shard-cache';
import { expandFuzzy, expandWildcard } from './term-dictionary';

/** A term as one shard knows it: its rank in that shard's dictionary (case-terms.ts), or the term itself (looked up there). */
export interface ShardTerm {
  term: string;
  ref: string | number;
}

/**
 * The terms of a word in each shard, for one query. A shard the case's term dictionary stands for gets
 * them from it — a wildcard or fuzzy word expanded once for the whole case, each term with its rank in
 * that shard; any other shard (not covered, or the dictionary unreadable) expands the word on its own
 * dictionary as before. Both give the same terms in the same (dictionary) order, so the same scores.
 */
export class TermLookup {
  private readonly expansions = new Map<string, { term: string; at: Map<number, number> }[]>();

  constructor(
    private readonly shards: ShardCache,
    private readonly deadline: Deadline,
  ) {}

  /** Terms of shard `info` matching `pattern` (a wildcard or fuzzy pattern when `expand`, else one exact term). */
  termsIn(info: ShardInfo, index: ShardIndex, pattern: string, editDistance: number, expand: boolean): ShardTerm[] {
    const cover = this.shards.caseTerms();
    const k = cover?.covered.get(info.seq);
    if (cover && k !== undefined && index instanceof BinaryShard) {
      try {
        const out: ShardTerm[] = [];
        for (const e of this.expansion(cover.dict, pattern, editDistance, expand)) {
          const rank = e.at.get(k);
          if (rank !== undefined) out.push({ term: e.term, ref: rank });
        }
        return out;
      } catch (err) {
        if (!(err instanceof BlockDamaged)) throw err;
        this.shards.dropCaseTerms(); // a damaged block of the dictionary: every shard on its own from now on
        this.expansions.clear();
      }
    }
    return (expand ? index.expand(pattern, editDistance, this.deadline) : [pattern]).map((term) => ({ term, ref: term }));
  }

  private expansion(dict: CaseTerms, pattern: string, editDistance: number, expand: boolean) {
    const key = `${expand ? editDistance : -1}\u0000${pattern}`;
    let out = this.expansions.get(key);
    if (!out) {
      const terms = !expand ? [pattern] : editDistance ? expandFuzzy(dict, pattern, editDistance, this.deadline) : expandWildcard(dict, pattern, this.deadline);
      out = [];
      for (const term of terms) {
        const i = dict.find(term);
        if (i >= 0) out.push({ term, at: dict.entries(i) });
      }
      this.expansions.set(key, out);
    }
    return out;
  }
}
