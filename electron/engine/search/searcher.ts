import type Database from 'better-sqlite3';
import type { DocumentHit, SearchHit, SearchResult, SearchSort } from '../../../shared/types';
import { documentHits } from '../documents/hit-pages';
import { CaseQueries } from '../store/case-queries';
import { QueryEvaluator, type EvalNotes, type Hits } from './query-eval';
import { ShardDamaged } from './binary-shard';
import { parseQuery } from './query-parser';
import { ShardCache } from './shard-cache';
import { makeSnippet } from './snippet';
import { didYouMean } from './did-you-mean';
import { Deadline } from './query-cost';
import { byRelevance, dateOrder, datesOf, LOOKUP_LIMIT, relevanceCandidates, tiedRelevancePage } from './page-order';
import { CaseIds } from './case-ids';
import { inflateText } from '../util/raw-deflate';

export interface SearchOptions {
  limit?: number;
  offset?: number;
  sort?: SearchSort;
  /** Only these ids (facet filters), when given. */
  restrict?: Set<number> | null;
  /** Wall time the query may take before it fails with "query too costly" (default QUERY_LIMITS). */
  timeBudgetMs?: number;
}

/**
 * Answers queries on an open case. Opening loads the shards that fit the memory budget and the
 * id → date table used for sorting; each search then runs in memory.
 */
export class Searcher {
  private readonly shards: ShardCache;
  private readonly queries: CaseQueries;
  private readonly ids: CaseIds;
  private seenMaxId = -1;
  private readonly textStmt;

  constructor(
    private readonly db: Database.Database,
    caseDir: string,
    budgetBytes?: number,
  ) {
    this.shards = new ShardCache(db, caseDir, budgetBytes);
    this.queries = new CaseQueries(db);
    this.ids = new CaseIds(db);
    this.textStmt = db.prepare('SELECT body FROM message_text WHERE id = ?');
  }

  /**
   * Open what fits the memory budget now (shard headers). Message dates and ids are not read here: at 1M
   * messages that alone took seconds, and most queries need none of them (case-ids.ts).
   */
  warm(): this {
    this.refresh();
    this.shards.warm();
    return this;
  }

  /** Every message is in a shard, and no shard was found missing or damaged. */
  get indexComplete(): boolean {
    const last = this.shards.shards.at(-1)?.lastId ?? 0;
    return last >= this.maxId() && this.shards.problems.length === 0;
  }

  /** Messages after the last shard's range: counted on the id index (no scan of the messages). */
  notIndexed(): number {
    const last = this.shards.shards.at(-1)?.lastId ?? 0;
    return (this.db.prepare('SELECT COUNT(*) n FROM messages WHERE id > ?').get(last) as { n: number }).n;
  }

  private maxId(): number {
    return (this.db.prepare('SELECT MAX(id) m FROM messages').get() as { m: number | null }).m ?? 0;
  }

  /**
   * Take in what another process added to the case since the last query (a CLI ingest or `casefile
   * index` while the viewer is open): the shard list and, when messages were added, the id tables.
   */
  refresh(): void {
    const shardsChanged = this.shards.refresh();
    const maxId = this.maxId();
    if (shardsChanged || maxId !== this.seenMaxId) {
      this.seenMaxId = maxId;
      this.ids.reset();
    }
  }

  /** Throws QueryError (with the offending part) for a malformed query. */
  search(query: string, opts: SearchOptions = {}): SearchResult {
    const started = process.hrtime.bigint();
    const { hits, evaluator, sort, onlyStopWords } = this.resultSet(query, opts.sort, new Deadline(opts.timeBudgetMs), opts.restrict);
    const offset = opts.offset ?? 0;
    // Only the requested page is put in order (top-k selection), not every hit of a common word.
    const page = this.page(hits, offset + (opts.limit ?? 50), sort).slice(offset);
    const summaries = this.queries.summariesByIds(page);
    const result: SearchHit[] = summaries.map((s) => {
      const snippet = makeSnippet(this.bodyText(s.id), evaluator.notes.highlight);
      return {
        id: s.id,
        score: Math.round((hits.get(s.id) ?? 0) * 1000) / 1000,
        date: s.date,
        from: s.from,
        subject: s.subject,
        snippet: snippet.text,
        highlights: snippet.highlights,
        hasAttachments: s.hasAttachments,
        tags: s.tags,
        versionCount: s.versionCount,
        dateSource: s.dateSource,
        ...(s.hasAttachments ? nonEmpty(documentHits(this.db, s.id, evaluator.notes.highlight)) : {}),
      };
    });
    const warnings = [...evaluator.notes.warnings];
    if (onlyStopWords) warnings.push(`only words too common to be indexed (${evaluator.notes.ignored.join(' ')}): search them as an exact phrase in quotes, or add a word`);
    const problems = this.shards.problems;
    if (problems.length) warnings.push(`the search index is incomplete: ${problems.map((p) => `shard ${p.seq} (messages ${p.firstId}–${p.lastId}): ${p.reason}`).join('; ')}; run "casefile index" on the case to rebuild it`);
    const { highlight } = evaluator.notes;
    const suggestion = onlyStopWords ? null : this.suggest(query, evaluator.notes.words, (id) => this.bodyText(id));
    return {
      total: hits.size,
      tookMs: Number(process.hrtime.bigint() - started) / 1e6,
      hits: result,
      ignored: evaluator.notes.ignored,
      indexComplete: this.indexComplete,
      notIndexed: this.notIndexed(),
      warnings,
      didYouMean: suggestion,
      indexProblems: problems,
      matched: { words: [...highlight.stems, ...highlight.prefixes.map((p) => `${p}*`)], phrases: highlight.phrases },
    };
  }

  /** A message's stored body text (for snippets and did-you-mean's context). */
  private bodyText(id: number): string {
    const row = this.textStmt.get(id) as { body: Buffer } | undefined;
    return row ? inflateText(row.body) : '';
  }

  /** Did-you-mean, which reads shards too: a shard found damaged there is set aside, not an error. */
  private suggest(query: string, words: EvalNotes['words'], text: (id: number) => string) {
    try {
      return didYouMean(query, words, this.shards, text);
    } catch (err) {
      this.setAsideDamaged(err);
      return null;
    }
  }

  /** A shard found damaged while reading is set aside (the answer then says the index is incomplete); anything else is rethrown. */
  private setAsideDamaged(err: unknown): void {
    if (!(err instanceof ShardDamaged) || err.seq === undefined) throw err;
    this.shards.markBad(err.seq, err.message);
  }

  /** The hit ids of a query, unordered (null: the query matches every message). */
  hitIds(query: string): Iterable<number> | null {
    const ast = parseQuery(query);
    if (ast.type === 'all') return null;
    return this.resultSet(query, 'date', new Deadline()).hits.keys();
  }

  /**
   * Every message of the result set the list shows for `query` narrowed to `restrict` (facet filters), in
   * the order `sort` gives (default: newest first). For bulk tagging and export, which name their query
   * explicitly: no time budget, but the other limits hold.
   */
  matchingIds(query: string, sort: SearchSort = 'date', restrict: Set<number> | null = null): number[] {
    const { hits, sort: s } = this.resultSet(query, sort, Deadline.none(), restrict);
    return [...hits.keys()].sort(this.comparator(hits, s));
  }

  /**
   * The one definition of a result set, shared by the list (search), the overview (hitIds), tag-all and
   * export (matchingIds): a query of stop words alone is empty, and facet filters narrow the hits.
   */
  private resultSet(query: string, sortOpt: SearchSort | undefined, deadline: Deadline, restrict?: Set<number> | null) {
    const e = this.evaluate(query, sortOpt, deadline);
    const all: ReadonlyMap<number, number> = e.onlyStopWords ? new Map<number, number>() : e.hits;
    const hits = restrict ? new Map([...all].filter(([id]) => restrict.has(id))) : all;
    return { ...e, hits };
  }

  private evaluate(query: string, sortOpt: SearchSort | undefined, deadline: Deadline) {
    this.refresh();
    const ast = parseQuery(query);
    let evaluator: QueryEvaluator;
    let evaluated: Hits;
    for (;;) {
      evaluator = new QueryEvaluator(this.db, this.shards, () => this.ids.all(), (from, to) => this.ids.inDateRange(from, to), (hits, from, to) => this.ids.keepDated(hits, from, to), () => this.ids.withAttachments(), deadline);
      try {
        evaluated = evaluator.evaluate(ast);
        break;
      } catch (err) {
        // A block of a shard read from disk was found damaged: set the shard aside and answer again
        // without it, so the answer is exactly that of the other shards (and says the index is incomplete).
        this.setAsideDamaged(err);
      }
    }
    // "the", "le la les": every word ignored; answering with every message would mislead.
    const onlyStopWords = evaluated === null && ast.type !== 'all' && evaluator.notes.ignored.length > 0;
    const hits = evaluated ?? this.ids.all();
    const sort: SearchSort = sortOpt ?? (ast.type === 'all' || ast.type === 'filter' ? 'date' : 'relevance');
    return { hits, evaluator, sort, onlyStopWords };
  }

  /** Newest first; by relevance, higher score first, then newest. */
  private comparator(hits: ReadonlyMap<number, number>, sort: SearchSort): (a: number, b: number) => number {
    const dates = this.ids.dates();
    return sort === 'relevance' ? byRelevance(hits, dates) : dateOrder(dates, sort === 'date-asc');
  }

  /**
   * The first `k` hits in order, reading as few dates as the order allows: by relevance, only the hits
   * scoring at least the k-th best score are put in order; by date, a few hits' dates are looked up or
   * the date index is walked (case-ids.ts); every date is read only when neither is cheap.
   */
  private page(hits: ReadonlyMap<number, number>, k: number, sort: SearchSort): number[] {
    const loaded = this.ids.loadedDates;
    if (sort === 'relevance') {
      const candidates = relevanceCandidates(hits, k);
      if (candidates) {
        const scored = new Map(candidates.map((id) => [id, hits.get(id)!]));
        return topK(scored, k, byRelevance(scored, loaded ?? datesOf(this.db, candidates)));
      }
      if (!loaded) {
        const tied = tiedRelevancePage(hits, k, LOOKUP_LIMIT, (ids) => datesOf(this.db, ids), (set, n) => this.ids.datePage(set, n, false));
        if (tied) return tied;
      }
    } else if (!loaded && hits.size <= LOOKUP_LIMIT) {
      const dates = datesOf(this.db, [...hits.keys()]);
      return topK(hits, k, dateOrder(dates, sort === 'date-asc'));
    } else {
      const walked = this.ids.datePage(hits, k, sort === 'date-asc');
      if (walked) return walked;
    }
    return topK(hits, k, this.comparator(hits, sort));
  }
}

/** The first `k` ids of `hits` in `compare` order, without sorting all of them (a bounded max-heap). */
export function topK(hits: ReadonlyMap<number, number>, k: number, compare: (a: number, b: number) => number): number[] {
  if (k <= 0) return [];
  const heap: number[] = []; // worst of the kept ids at heap[0]
  const worse = (i: number, j: number) => compare(heap[i]!, heap[j]!) > 0;
  const swap = (i: number, j: number) => ([heap[i], heap[j]] = [heap[j]!, heap[i]!]);
  for (const id of hits.keys()) {
    if (heap.length < k) {
      heap.push(id);
      for (let i = heap.length - 1; i > 0 && worse(i, (i - 1) >> 1); i = (i - 1) >> 1) swap(i, (i - 1) >> 1);
    } else if (compare(id, heap[0]!) < 0) {
      heap[0] = id;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && worse(l, m)) m = l;
        if (r < heap.length && worse(r, m)) m = r;
        if (m === i) break;
        swap(i, m);
        i = m;
      }
    }
  }
  return heap.sort(compare);
}

const nonEmpty = (documentHits: DocumentHit[]) => (documentHits.length ? { documentHits } : {});
