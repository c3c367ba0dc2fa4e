import type Database from 'better-sqlite3';
import type { QueryNode, TextField, Filter } from './query-parser';
import type { ShardCache } from './shard-cache';
import { matchingShas, messagesWithDocumentFlag, messagesWithDocuments } from '../documents/doc-filter';
import { pairHashes } from './phrase-pairs';
import { pairedCandidates, withWordPairs } from './phrase-candidates';
import { PhraseVerifier } from './phrase-verifier';
import { BinaryShard } from './binary-shard';
import { ScoreTable } from './score-table';
import { Deadline, QUERY_LIMITS, QueryCostError } from './query-cost';
import { nearest } from './nearest';
import { TermLookup } from './term-lookup';
import { normalizeWord, stemsOf, tokenize } from './text-analysis';

import { intersect, subtract, union, type Hits } from './hit-sets';

export type { Hits };

/** Words the user typed that carry no meaning for the index (stop words), reported back. */
export interface EvalNotes {
  ignored: string[];
  /** Sentences for the user: unknown tag or flag values (with the nearest existing ones), and the like. */
  warnings: string[];
  /** Each plain word searched, with its hit count: "did you mean" looks at the rare ones. */
  words: { text: string; source: string; field: TextField | null; hits: number }[];
  /** Normalized words and phrases to highlight in snippets. */
  highlight: { stems: Set<string>; prefixes: string[]; phrases: string[] };
}

/**
 * Evaluates a parsed query: words from the Lunr shards, structured filters from SQLite, combined
 * with set operations (Lunr alone cannot express (a OR b) AND c, and has no phrases).
 */
export class QueryEvaluator {
  readonly notes: EvalNotes = { ignored: [], warnings: [], words: [], highlight: { stems: new Set(), prefixes: [], phrases: [] } };
  private readonly phrases: PhraseVerifier;

  constructor(
    private readonly db: Database.Database,
    private readonly shards: ShardCache,
    private readonly universe: () => ReadonlyMap<number, number>,
    /** Messages dated in [from, to) (id → 0). */
    private readonly inDateRange: (from: number, to: number) => Map<number, number>,
    /** Those of the hits dated in [from, to), scores kept. */
    private readonly keepDated: (hits: ReadonlyMap<number, number>, from: number, to: number) => ReadonlyMap<number, number>,
    /** Messages with attachments (id → 0). */
    private readonly withAttachments: () => ReadonlyMap<number, number>,
    private readonly deadline: Deadline = Deadline.none(),
  ) {
    this.phrases = new PhraseVerifier(db);
  }

  evaluate(node: QueryNode, negatedContext = false): Hits {
    this.deadline.checkNow();
    switch (node.type) {
      case 'all':
        return null;
      case 'term': {
        const hits = this.term(node.field, node.text, node.wildcard, node.fuzzy, negatedContext);
        if (hits && !node.wildcard && !node.fuzzy) this.notes.words.push({ text: node.text, source: node.source, field: node.field, hits: hits.size });
        return hits;
      }
      case 'phrase':
        return this.phrase(node.field, node.text, negatedContext);
      case 'filter':
        return this.filter(node.filter);
      case 'not':
        return subtract(this.universe(), this.evaluate(node.item, !negatedContext));
      case 'or': {
        const parts: ReadonlyMap<number, number>[] = [];
        for (const item of node.items) {
          const hits = this.evaluate(item, negatedContext);
          if (hits === null) return null;
          parts.push(hits);
        }
        return union(parts);
      }
      case 'and': {
        let acc: Hits = null;
        const negatives: QueryNode[] = [];
        const dated: Extract<Filter, { kind: 'date' }>[] = [];
        // Items in order (the notes and the order scores are added in stay as they were), but a phrase's
        // text is checked only after the other items are known, and only where they all hold (verifyPhrase).
        const parts: (Hits | PendingPhrase)[] = [];
        for (const item of node.items) {
          if (item.type === 'not') {
            negatives.push(item.item);
            continue;
          }
          // Date ranges narrow what the other items found, last: `after:2017-04-10` may hold most of the
          // case, and reading all of it to intersect took seconds at 1M messages.
          if (item.type === 'filter' && item.filter.kind === 'date') {
            dated.push(item.filter);
            continue;
          }
          if (item.type === 'phrase') {
            this.deadline.checkNow();
            parts.push(this.phraseWords(item.field, item.text, negatedContext));
          } else parts.push(this.evaluate(item, negatedContext));
        }
        // What every other item holds at most: its hits, a phrase verified already, or another phrase's candidates.
        const known = new Map<PendingPhrase, Hits>();
        const atMost = (q: Hits | PendingPhrase) => (isPending(q) ? (known.get(q) ?? q.candidates) : q);
        for (const p of parts) {
          if (isPending(p)) {
            const others = parts.filter((q) => q !== p).map(atMost).filter((h): h is ReadonlyMap<number, number> => h !== null);
            known.set(p, this.verifyPhrase(p, others));
          }
          acc = intersect(acc, atMost(p));
        }
        for (const f of dated) {
          this.deadline.checkNow();
          acc = acc === null ? this.filter(f) : this.keepDated(acc, f.fromMs ?? -8.64e15, f.toMs ?? 8.64e15);
        }
        if (negatives.length > 0) {
          let rest: ReadonlyMap<number, number> = acc ?? this.universe();
          // A phrase excluded is checked only in what is left (the rest of its candidates cannot be removed).
          for (const n of negatives) rest = subtract(rest, n.type === 'phrase' ? this.verifyPhrase(this.phraseWords(n.field, n.text, !negatedContext), [rest]) : this.evaluate(n, !negatedContext));
          return rest;
        }
        return acc;
      }
    }
  }

  private term(field: TextField | null, text: string, wildcard: boolean, fuzzy: number, negated: boolean): Hits {
    const clauses = this.clauses(text, wildcard, fuzzy, negated);
    return clauses ? this.lunrHits(clauses, field ? [field] : undefined, text) : null;
  }

  /** The index terms a word is looked up as (noted for highlighting); null for a stop word (noted as ignored). */
  private clauses(text: string, wildcard: boolean, fuzzy: number, negated: boolean): { term: string; editDistance?: number }[] | null {
    const word = wildcard ? foldWildcard(text) : normalizeWord(text);
    if (!word || (!wildcard && !fuzzy && stemsOf(word).length === 0)) {
      this.notes.ignored.push(text);
      return null;
    }
    const clauses: { term: string; editDistance?: number }[] = [];
    if (wildcard) {
      clauses.push({ term: word });
      // Index terms are stems: also try the stemmed prefix ("campagne*" → "campagn*").
      const prefix = word.split('*')[0]!;
      for (const s of stemsOf(prefix)) if (s !== prefix) clauses.push({ term: word.replace(prefix, s) });
      if (!negated) this.notes.highlight.prefixes.push(prefix);
    } else if (fuzzy) {
      clauses.push({ term: word, editDistance: fuzzy });
      for (const s of stemsOf(word)) clauses.push({ term: s, editDistance: fuzzy });
      if (!negated) this.notes.highlight.prefixes.push(word.slice(0, Math.max(3, word.length - fuzzy)));
    } else {
      for (const s of stemsOf(word)) {
        clauses.push({ term: s });
        if (!negated) this.notes.highlight.stems.add(s);
      }
    }
    return clauses;
  }

  /**
   * Postings straight from each shard, scored with Lunr's own BM25 field-vector weights. Going around
   * lunr.Index.query (which builds MatchData objects per hit) makes common words several times faster;
   * set logic is ours anyway. The postings are summed into one table over the case's id range
   * (score-table.ts), not into a Map with an operation per posting: a word in most of a 1M-message case
   * is answered without a Map entry per hit.
   */
  private lunrHits(clauses: { term: string; editDistance?: number }[], fields: string[] | undefined, source: string): ReadonlyMap<number, number> {
    const all = this.shards.shards;
    if (all.length === 0) return new Map();
    const table = new ScoreTable(Math.min(...all.map((s) => s.firstId)), Math.max(...all.map((s) => s.lastId)));
    const expanded = new Set<string>();
    const lookup = new TermLookup(this.shards, this.deadline);
    let counted = 0; // hits marked by addHitsTo (unknown once a legacy shard adds a Map: then counted by the table)
    for (const shard of all) {
      const index = this.shards.get(shard);
      if (!index) continue; // unreadable shard: reported by the searcher (indexComplete: false)
      const useFields = fields ?? index.fields;
      const view = index instanceof BinaryShard ? table.view(shard.firstId, shard.lastId) : null;
      const legacy = view ? null : new Map<number, number>();
      const refs: (string | number)[] = []; // this shard's terms, clause by clause, in dictionary order
      for (const c of clauses) {
        const expand = Boolean(c.editDistance || c.term.includes('*'));
        for (const { term, ref } of lookup.termsIn(shard, index, c.term, c.editDistance ?? 0, expand)) {
          this.deadline.check();
          if (expand && expanded.add(term).size > QUERY_LIMITS.maxExpansion) {
            throw new QueryCostError(`"${source}" matches more than ${QUERY_LIMITS.maxExpansion.toLocaleString('en')} different words; make it longer or more precise`, source);
          }
          if (view) refs.push(ref);
          else index.addHits(term, useFields, legacy!);
        }
      }
      // Summed in the same order as one by one; their blocks read first in as few reads as possible.
      if (view) counted += (index as BinaryShard).sumTerms(refs, useFields, view.base, view.scores, view.seen, this.deadline);
      if (legacy) {
        table.addAll(legacy);
        counted = -Infinity;
      }
    }
    return table.compact(Math.max(-1, counted));
  }

  private phrase(field: TextField | null, text: string, negated: boolean): Hits {
    return this.verifyPhrase(this.phraseWords(field, text, negated), []);
  }

  /**
   * A phrase's words looked up (its candidates: messages holding them all), not yet checked against the
   * text. When the phrase has word pairs to filter on (pair-slices.ts), its candidates are found later, the
   * pair masks first and the words summed only where they let the phrase be (pairedCandidates), and only
   * where the AND's other items hold when they are known by then (verifyPhrase).
   */
  private phraseWords(field: TextField | null, text: string, negated: boolean): PendingPhrase {
    const tokens = tokenize(text);
    const words = tokens.map((w) => this.clauses(w, false, 0, negated));
    if (!negated) this.notes.highlight.phrases.push(text);
    const hashes = field === null || field === 'subject' || field === 'body' ? pairHashes(text) : [];
    const looked = words.filter((c) => c !== null).map((c) => c.map((x) => x.term));
    const fields = field ? [field] : undefined;
    const summed = () => words.reduce<Hits>((acc, c, i) => (c ? intersect(acc, this.lunrHits(c, fields, tokens[i]!)) : acc), null);
    if (hashes.length === 0 || looked.length === 0) return new PendingPhrase(field, text, summed(), null);
    const paired = (within: ReadonlyMap<number, number>[]) => {
      this.deadline.checkNow();
      return pairedCandidates(looked, fields, hashes, this.shards, new TermLookup(this.shards, this.deadline), this.deadline, within) ?? withWordPairs(summed()!, hashes, this.shards);
    };
    return new PendingPhrase(field, text, undefined, paired);
  }

  /**
   * The phrase's hits among those of its candidates that are in every one of `within` (the other items of
   * an AND: `"pièce jointe" urgent` checks the text of the few messages that also hold `urgent`, not of
   * every message holding both words of the phrase). Candidates outside `within` would be dropped by the
   * AND anyway, and each kept one has the score it had, so the AND's hits and scores are unchanged.
   */
  private verifyPhrase(phrase: PendingPhrase, within: ReadonlyMap<number, number>[]): Hits {
    const { field, text } = phrase;
    const all = phrase.candidatesWithin(within) ?? this.universe();
    // Only the ids of the intersection are used: each hit's score is its candidate's (verify's `scores`).
    let pool = all;
    for (const w of within) pool = intersect(pool, w)!;
    if (!phrase.paired && (field === null || field === 'subject' || field === 'body')) pool = withWordPairs(pool, pairHashes(text), this.shards);
    return this.phrases.verify(pool, text, field, this.deadline, all);
  }

  /** "no tag "urgnet" in this case (nearest: urgent)" when a tag or flag value exists nowhere in the case. */
  private warnUnknown(kind: string, value: string, existing: string[]): void {
    if (existing.some((e) => e.toLowerCase() === value.toLowerCase())) return; // exists, merely matches nothing here
    const near = nearest(value.toLowerCase(), existing);
    this.notes.warnings.push(`no ${kind} "${value}" in this case${near.length ? ` (nearest: ${near.join(', ')})` : existing.length === 0 ? ` (the case has no ${kind}s yet)` : ''}`);
  }

  private filter(f: Filter): ReadonlyMap<number, number> {
    let rows: { id: number }[];
    switch (f.kind) {
      case 'has-attachment':
        return this.withAttachments(); // never changed: set operations make new maps and tables
      case 'date': {
        return this.inDateRange(f.fromMs ?? -8.64e15, f.toMs ?? 8.64e15);
      }
      case 'has-versions':
        rows = this.db.prepare(VERSIONED_IDS).all() as { id: number }[];
        break;
      case 'message-id':
        rows = this.db.prepare('SELECT id FROM messages WHERE message_id = ?').all(f.value) as { id: number }[];
        break;
      case 'thread':
        rows = this.db.prepare('SELECT id FROM messages WHERE thread_id = ?').all(f.value) as { id: number }[];
        break;
      case 'tag':
        rows = this.db
          .prepare('SELECT mt.message_id id FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.name = ? COLLATE NOCASE')
          .all(f.value) as { id: number }[];
        if (rows.length === 0) this.warnUnknown('tag', f.value, (this.db.prepare('SELECT name FROM tags').raw().all() as [string][]).map((r) => r[0]));
        break;
      case 'auth':
        rows = this.db.prepare('SELECT message_id id FROM message_auth_terms WHERE term = ?').all(f.term) as { id: number }[];
        // flag:<name> also finds messages carrying a flagged document.
        if (f.term.startsWith('flag:')) for (const id of messagesWithDocumentFlag(this.db, f.term.slice(5)).keys()) rows.push({ id });
        if (rows.length === 0 && f.term.startsWith('flag:')) {
          const flags = this.db.prepare("SELECT DISTINCT substr(term, 6) FROM message_auth_terms WHERE term LIKE 'flag:%' UNION SELECT DISTINCT name FROM document_flags").raw().all() as [string][];
          this.warnUnknown('flag', f.term.slice(5), flags.map((r) => r[0]));
        }
        break;
      case 'document':
        return messagesWithDocuments(this.db, matchingShas(this.db, f.field, f.value));
    }
    return new Map(rows.map((r) => [r.id, 0]));
  }
}

/** A phrase whose words are looked up but whose text is not checked yet (a class: hit sets are Maps and tables). */
export class PendingPhrase {
  constructor(
    readonly field: TextField | null,
    readonly text: string,
    private found: Hits | undefined,
    /** Its candidates already narrowed by its pair filters, among those of `within` (null: `found` is all there is). */
    private readonly pairedWithin: ((within: ReadonlyMap<number, number>[]) => Hits) | null,
  ) {}

  /** Candidates already filtered by the phrase's word pairs. */
  get paired(): boolean {
    return this.pairedWithin !== null;
  }

  /** Messages that may hold the phrase (its words, and its word pairs when paired): what an AND's other items hold at most. */
  get candidates(): Hits {
    if (this.found === undefined) this.found = this.pairedWithin!([]);
    return this.found;
  }

  /** The candidates, or (not yet found) only those in every one of `within`: the others could only be dropped by the caller. */
  candidatesWithin(within: ReadonlyMap<number, number>[]): Hits {
    return this.found !== undefined || within.length === 0 ? this.candidates : this.pairedWithin!(within);
  }
}

const isPending = (p: Hits | PendingPhrase): p is PendingPhrase => p instanceof PendingPhrase;

/** Identical copies are merged at ingest, so two rows with one Message-ID always differ in content. */
const VERSIONED_IDS = 'SELECT id FROM messages WHERE message_id IN (SELECT message_id FROM messages WHERE message_id IS NOT NULL GROUP BY message_id HAVING COUNT(*) > 1)';

function foldWildcard(text: string): string {
  return text
    .split('*')
    .map((p) => normalizeWord(p) || '')
    .join('*');
}
