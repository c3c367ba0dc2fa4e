import { QueryError } from './query-error';

/**
 * Limits that keep one query from monopolizing the engine (issue 16, finding 9): each is checked before
 * the work it bounds, and the time budget is checked while evaluating, so a costly query ends with a
 * clear error instead of blocking (or exhausting) the process.
 */
export const QUERY_LIMITS = {
  /** Longer words are never indexed (MAX_TOKEN_LENGTH), so a longer one can match nothing. */
  maxTermLength: 100,
  /** An exact phrase is checked against message texts: a page of text is enough to pin one down. */
  maxPhraseLength: 1000,
  /** Words, phrases and filters in one query (Lucene's default clause limit is 1,024). */
  maxClauses: 1024,
  /** Parenthesis depth: the parser and evaluator recurse on it. */
  maxDepth: 64,
  /** Distinct index terms one wildcard or fuzzy word may expand to. */
  maxExpansion: 20_000,
  /** Wall time one query may take. */
  timeBudgetMs: 5_000,
};

/** A query that would cost more than the limits allow. A QueryError, so every caller already reports it. */
export class QueryCostError extends QueryError {
  override name = 'QueryCostError';
  constructor(message: string, part: string) {
    super(`query too costly: ${message}`, part);
  }
}

/** A point in time after which evaluation stops; `check()` is cheap enough to call in inner loops. */
export class Deadline {
  private readonly at: number;
  private calls = 0;

  constructor(readonly budgetMs: number = QUERY_LIMITS.timeBudgetMs) {
    this.at = performance.now() + budgetMs;
  }

  /** Throws when the budget is spent; looks at the clock only every 256 calls. */
  check(): void {
    if ((++this.calls & 255) === 0) this.checkNow();
  }

  checkNow(): void {
    if (performance.now() > this.at) throw new QueryCostError(`it took more than ${(this.budgetMs / 1000).toFixed(1)} s; narrow it down (fewer wildcards, longer prefixes, a date range)`, '');
  }

  static none(): Deadline {
    return new Deadline(Number.POSITIVE_INFINITY);
  }
}
