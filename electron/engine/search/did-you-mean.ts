import type { DidYouMean } from '../../../shared/types';
import { Deadline, QueryCostError } from './query-cost';
import type { EvalNotes } from './query-eval';
import type { BinaryShard } from './binary-shard';
import type { ShardCache, ShardIndex } from './shard-cache';
import { TermLookup, type ShardTerm } from './term-lookup';
import { normalizeWord, stemsOf } from './text-analysis';

/** Only a word with no hits is taken for a typo (issue 15: a query with hits pays nothing for suggestions); a suggestion must have far more. */
const RARE = 0;
const MORE_BY = 20;
/**
 * Candidates are gathered from the first shards up to this many messages, not from every shard: the
 * frequent words a typo is near are in any 100,000 messages, and at 1M messages walking all 100 shards'
 * dictionaries took most of a 1 s budget per rare word. The chosen word's count is then exact.
 */
const SAMPLE_DOCS = 100_000;
/** Suggestions are a courtesy: they never make a query fail or take long (a cold CLI search must stay fast). */
export const DID_YOU_MEAN_LIMITS = { budgetMs: 250 };

/**
 * "Did you mean": for each plain word with no or very few hits, the most frequent index term within
 * one or two edits (Lunr's fuzzy distance, on the shards' own dictionaries), shown as a word that
 * really occurs in a message (index terms are stems: "campagn" is shown as "campagne").
 */
export function didYouMean(query: string, words: EvalNotes['words'], shards: ShardCache, textOf: (id: number) => string): DidYouMean | null {
  const deadline = new Deadline(DID_YOU_MEAN_LIMITS.budgetMs);
  const lookup = new TermLookup(shards, deadline);
  const fixes: DidYouMean['words'] = [];
  let suggested = query;
  try {
    for (const w of words) {
      if (w.hits > RARE) continue;
      const norm = normalizeWord(w.text);
      if (norm.length < 3 || /\d/.test(norm)) continue;
      const own = new Set(stemsOf(norm));
      const counts = new Map<string, number>();
      const where = new Map<string, number>(); // a shard holding the term, by seq
      let sampled = 0;
      for (const info of shards.shards) {
        if (sampled >= SAMPLE_DOCS) break;
        const shard = shards.get(info);
        if (!shard) continue;
        sampled += info.docs;
        const fields = w.field ? [w.field] : shard.fields;
        for (const stem of own) {
          for (const t of lookup.termsIn(info, shard, stem, norm.length > 5 ? 2 : 1, true)) {
            if (own.has(t.term)) continue;
            counts.set(t.term, (counts.get(t.term) ?? 0) + docCount(shard, t, fields));
            if (!where.has(t.term)) where.set(t.term, info.seq);
          }
        }
      }
      const [term, seen] = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0] ?? ['', 0];
      if (!term) continue;
      const n = sampled >= SAMPLE_DOCS ? countEverywhere(term, w.field, shards, lookup) : seen;
      if (n === 0 || n < w.hits * MORE_BY) continue;
      const word = surfaceWord(term, shards, where.get(term)!, textOf) ?? term;
      fixes.push({ typed: w.text, suggested: word, messages: n });
      suggested = suggested.replace(w.source, w.source.replace(w.text, word));
    }
  } catch (err) {
    if (!(err instanceof QueryCostError)) throw err;
  }
  return fixes.length ? { query: suggested, words: fixes } : null;
}

/** Messages holding `term` in the whole case (a dictionary look-up per shard). */
function countEverywhere(term: string, field: string | null | undefined, shards: ShardCache, lookup: TermLookup): number {
  let n = 0;
  for (const info of shards.shards) {
    const shard = shards.get(info);
    if (shard) for (const t of lookup.termsIn(info, shard, term, 0, false)) n += docCount(shard, t, field ? [field] : shard.fields);
  }
  return n;
}

/** Messages of one shard holding a term (at its rank there when known). */
const docCount = (shard: ShardIndex, t: ShardTerm, fields: string[]) => (typeof t.ref === 'number' ? (shard as BinaryShard).docCount(t.ref, fields) : shard.docCount(t.term, fields));

/** A word as written in a message whose index term is `term` (lower case, accents kept). */
function surfaceWord(term: string, shards: ShardCache, seq: number, textOf: (id: number) => string): string | null {
  const info = shards.shards.find((s) => s.seq === seq);
  const shard = info && shards.get(info);
  if (!shard) return null;
  const hits = new Map<number, number>();
  shard.addHits(term, shard.fields, hits);
  for (const id of [...hits.keys()].slice(0, 3)) {
    for (const m of textOf(id).slice(0, 200_000).matchAll(/[\p{L}\p{N}]+/gu)) {
      if (stemsOf(normalizeWord(m[0])).includes(term)) return m[0].toLowerCase();
    }
  }
  return null;
}
