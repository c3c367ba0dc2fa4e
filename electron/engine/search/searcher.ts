import { inflateRawSync } from 'node:zlib';
import type Database from 'better-sqlite3';
import type { SearchHit, SearchResult, SearchSort } from '../../../shared/types';
import { CaseQueries } from '../store/case-queries';
import { QueryEvaluator } from './query-eval';
import { parseQuery } from './query-parser';
import { ShardCache } from './shard-cache';
import { makeSnippet } from './snippet';

export interface SearchOptions {
  limit?: number;
  offset?: number;
  sort?: SearchSort;
}

/**
 * Answers queries on an open case. Opening loads the shards that fit the memory budget and the
 * id → date table used for sorting; each search then runs in memory.
 */
export class Searcher {
  private readonly shards: ShardCache;
  private readonly queries: CaseQueries;
  private dates: Map<number, number> | null = null;
  private everything: Map<number, number> | null = null;
  private readonly textStmt;

  constructor(
    private readonly db: Database.Database,
    caseDir: string,
    budgetBytes?: number,
  ) {
    this.shards = new ShardCache(db, caseDir, budgetBytes);
    this.queries = new CaseQueries(db);
    this.textStmt = db.prepare('SELECT body FROM message_text WHERE id = ?');
  }

  /** Load what fits in memory now, so the first query is as fast as the next. */
  warm(): this {
    this.shards.warm();
    this.allMessages();
    return this;
  }

  get indexComplete(): boolean {
    const last = this.shards.shards.at(-1)?.lastId ?? 0;
    const maxId = (this.db.prepare('SELECT MAX(id) m FROM messages').get() as { m: number | null }).m ?? 0;
    return last >= maxId;
  }

  /** Throws QueryError (with the offending part) for a malformed query. */
  search(query: string, opts: SearchOptions = {}): SearchResult {
    const started = process.hrtime.bigint();
    const { ids, hits, evaluator } = this.rank(query, opts.sort);
    const offset = opts.offset ?? 0;
    const page = ids.slice(offset, offset + (opts.limit ?? 50));
    const summaries = this.queries.summariesByIds(page);
    const result: SearchHit[] = summaries.map((s) => {
      const row = this.textStmt.get(s.id) as { body: Buffer } | undefined;
      const snippet = makeSnippet(row ? inflateRawSync(row.body).toString('utf8') : '', evaluator.notes.highlight);
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
      };
    });
    return {
      total: ids.length,
      tookMs: Number(process.hrtime.bigint() - started) / 1e6,
      hits: result,
      ignored: evaluator.notes.ignored,
      indexComplete: this.indexComplete,
    };
  }

  /** Every message matching `query`, in the order `sort` gives (default: newest first). For bulk tagging and export. */
  matchingIds(query: string, sort: SearchSort = 'date'): number[] {
    return this.rank(query, sort).ids;
  }

  private rank(query: string, sortOpt: SearchSort | undefined) {
    const ast = parseQuery(query);
    const evaluator = new QueryEvaluator(this.db, this.shards, () => this.allMessages());
    const hits = evaluator.evaluate(ast) ?? this.allMessages();
    const dates = this.universe();
    const sort: SearchSort = sortOpt ?? (ast.type === 'all' || ast.type === 'filter' ? 'date' : 'relevance');
    const ids = [...hits.keys()];
    const byDate = (a: number, b: number) => (dates.get(b) ?? -Infinity) - (dates.get(a) ?? -Infinity) || b - a;
    if (sort === 'date') ids.sort(byDate);
    else ids.sort((a, b) => hits.get(b)! - hits.get(a)! || byDate(a, b));
    return { ids, hits, evaluator };
  }

  /** Every message id with score 0: what "-word" subtracts from and what an empty query returns. */
  private allMessages(): Map<number, number> {
    this.everything ??= new Map([...this.universe().keys()].map((id) => [id, 0]));
    return this.everything;
  }

  /** Every message id with its date (for sorting); loaded once. */
  private universe(): Map<number, number> {
    if (!this.dates) {
      this.dates = new Map();
      for (const r of this.db.prepare('SELECT id, date_ms FROM messages').raw().iterate() as Iterable<[number, number | null]>) {
        this.dates.set(r[0], r[1] ?? -Infinity);
      }
    }
    return this.dates;
  }
}
