import type Database from 'better-sqlite3';
import { datesOf, type IdSet } from './page-order';
import { ScoreTable } from './score-table';

/** Rows a date-ordered page may walk on the index before reading every date at once is cheaper. */
const WALK_LIMIT = 200_000;

/**
 * The case's messages as the searcher needs them beyond the index: every id, every date, which have
 * attachments. Each is read from SQLite only when a query first needs it, not when the case is opened:
 * at 1M messages reading every date takes seconds (≈1 µs per row is SQLite's floor through
 * better-sqlite3, and the rows are many), while most queries need none of it — a relevance page reads
 * the dates of its candidates, a date filter reads the date index's range, a date-ordered page walks the
 * date index until it has its page.
 */
export class CaseIds {
  private dateTable: DateTable | null = null;
  private everything: ScoreTable | null = null;
  private attachments: ReadonlyMap<number, number> | null = null;

  constructor(private readonly db: Database.Database) {}

  /** Forget what was read (messages were added). */
  reset(): void {
    this.dateTable = this.everything = this.attachments = null;
  }

  /** Every message's date, if already read. */
  get loadedDates(): ReadonlyMap<number, number> | null {
    return this.dateTable;
  }

  /** Every message id → date (ms; -Infinity when undated). One scan of the date index, the first time. */
  dates(): ReadonlyMap<number, number> {
    if (!this.dateTable) {
      const rows = this.db.prepare('SELECT id, date_ms FROM messages').raw().all() as [number, number | null][];
      this.dateTable = new DateTable(rows);
    }
    return this.dateTable;
  }

  /** Every message id with score 0: what "-word" subtracts from and what an empty query returns. */
  all(): ReadonlyMap<number, number> {
    if (!this.everything) {
      const ids = this.db.prepare('SELECT id FROM messages').pluck().all() as number[];
      const { min, max } = this.idRange();
      this.everything = new ScoreTable(min ?? 1, max ?? 0);
      for (const id of ids) this.everything.seen[id - this.everything.base] = 1;
    }
    return this.everything;
  }

  /**
   * Messages with attachments (id → 0): the attachments table's own key (message_id, idx) read in order,
   * not a scan of every message row for attachment_count (written from the same list at ingest; at 1M
   * messages ≈0.2 s instead of ≈1 s).
   */
  withAttachments(idsPerRead = ATTACHMENT_ID_RANGE): ReadonlyMap<number, number> {
    if (!this.attachments) {
      // A table over the id range (intersected array against array with a word's table, hit-sets.ts), or a Map when few.
      const { min, max } = this.idRange();
      const table = new ScoreTable(min ?? 1, max ?? 0);
      // The ids come as one string per range of ids, not a row each: at 1M messages (213,958 with
      // attachments) a row each through better-sqlite3 was 70–90 ms of a fresh `has:attachment` query,
      // the string 30–55 ms. A message's several rows mark it several times; a range bounds the string.
      const concat = this.db.prepare('SELECT group_concat(message_id) FROM attachments WHERE message_id >= ? AND message_id < ?').pluck();
      for (let from = table.base; from < table.base + table.seen.length; from += idsPerRead) {
        markIds(concat.get(from, from + idsPerRead) as string | null, table);
      }
      this.attachments = table.compact();
    }
    return this.attachments;
  }

  private idRange(): { min: number | null; max: number | null } {
    // Two subqueries: SQLite reads MIN or MAX of the key at one end of it only when the query has that one
    // aggregate; both in one SELECT scanned every row (≈180 ms at 1M messages).
    return this.db.prepare('SELECT (SELECT MIN(id) FROM messages) min, (SELECT MAX(id) FROM messages) max').get() as { min: number | null; max: number | null };
  }

  /** Messages dated in [from, to): from memory when every date was read, else a range of the date index. */
  inDateRange(from: number, to: number): Map<number, number> {
    const out = new Map<number, number>();
    if (this.dateTable) {
      for (const [id, ms] of this.dateTable) if (ms >= from && ms < to) out.set(id, 0);
      return out;
    }
    for (const id of this.db.prepare('SELECT id FROM messages WHERE date_ms >= ? AND date_ms < ?').pluck().iterate(from, to) as Iterable<number>) out.set(id, 0);
    return out;
  }

  /**
   * Those of `hits` dated in [from, to), scores kept, reading the smaller side: the range itself when it
   * holds fewer messages than the hits, else the messages outside it when they are fewer (`after:` a date
   * early in the case: subtract them), else the hits' own dates.
   */
  keepDated(hits: ReadonlyMap<number, number>, from: number, to: number): ReadonlyMap<number, number> {
    const keep = (inRange: (id: number) => boolean): ReadonlyMap<number, number> => {
      if (hits instanceof ScoreTable) return hits.filter(inRange);
      const out = new Map<number, number>();
      for (const [id, s] of hits) if (inRange(id)) out.set(id, s);
      return out;
    };
    const keepByDates = (dates: ReadonlyMap<number, number>) =>
      keep((id) => {
        const ms = dates.get(id);
        return ms !== undefined && ms >= from && ms < to;
      });
    if (this.dateTable) return keepByDates(this.dateTable);
    const cap = hits.size + 1;
    // A range smaller than the hits (`date:2017-04-01..2017-04-15` beside a common word) is read at once:
    // counting it on the date index costs little next to reading rows, where trying the outside first
    // read as many rows as there are hits for nothing.
    const inRange = this.db.prepare('SELECT COUNT(*) FROM (SELECT 1 FROM messages WHERE date_ms >= ? AND date_ms < ? LIMIT ?)').pluck().get(from, to, cap) as number;
    if (inRange < cap) {
      const within = new Set(this.db.prepare('SELECT id FROM messages WHERE date_ms >= ? AND date_ms < ?').pluck().all(from, to) as number[]);
      return keep((id) => within.has(id));
    }
    const outside = this.db.prepare('SELECT id FROM messages WHERE date_ms IS NULL OR date_ms < ? OR date_ms >= ? LIMIT ?').pluck().all(from, to, cap) as number[];
    if (outside.length < cap) {
      const drop = new Set(outside);
      return keep((id) => !drop.has(id));
    }
    return keepByDates(datesOf(this.db, [...hits.keys()]));
  }

  /**
   * The first `k` of `hits` newest first (or oldest first), ties by id as byDate orders them, without
   * reading every date: a few hits have their dates looked up; many are found by walking the date
   * index (ORDER BY date_ms, id: NULL dates sort as -Infinity does) until `k` of them have passed.
   * Null when neither is cheap (the caller then reads every date).
   */
  datePage(hits: IdSet, k: number, ascending: boolean): number[] | null {
    if (this.dateTable || k <= 0 || hits.size === 0) return null;
    const { min, max } = this.idRange() as { min: number; max: number }; // hits exist, so messages do
    if ((k * (max - min + 1)) / hits.size > WALK_LIMIT) return null; // about how many rows the walk reads
    const order = ascending ? 'ASC' : 'DESC';
    const out: number[] = [];
    for (const id of this.db.prepare(`SELECT id FROM messages ORDER BY date_ms ${order}, id ${order}`).pluck().iterate() as IterableIterator<number>) {
      if (!hits.has(id)) continue;
      if (out.push(id) >= k) break;
    }
    return out;
  }
}

/** Message ids per group_concat string of withAttachments (≈ 1 MB of text at most for one attachment row each). */
const ATTACHMENT_ID_RANGE = 1 << 17;

/** Mark in `table` each id of a comma-separated list of positive integers (ids outside its range ignored). */
function markIds(list: string | null, table: ScoreTable): void {
  if (!list) return;
  const end = table.base + table.seen.length;
  let id = 0;
  for (let k = 0; k <= list.length; k++) {
    const c = k < list.length ? list.charCodeAt(k) : 44;
    if (c !== 44) {
      id = id * 10 + (c - 48);
      continue;
    }
    if (id >= table.base && id < end) table.seen[id - table.base] = 1;
    id = 0;
  }
}

/** Message id → date over the id range, in a Float64Array (NaN: no such message): a Map of 1M dates took ≈1 s to build. */
class DateTable implements ReadonlyMap<number, number> {
  private readonly base: number;
  private readonly ms: Float64Array;
  readonly size: number;

  constructor(rows: [number, number | null][]) {
    let min = Infinity;
    let max = -Infinity;
    for (const [id] of rows) {
      if (id < min) min = id;
      if (id > max) max = id;
    }
    this.base = rows.length ? min : 0;
    this.ms = new Float64Array(rows.length ? max - min + 1 : 0).fill(NaN);
    for (const [id, ms] of rows) this.ms[id - this.base] = ms ?? -Infinity;
    this.size = rows.length;
  }

  get(id: number): number | undefined {
    const v = this.ms[id - this.base];
    return v === undefined || Number.isNaN(v) ? undefined : v;
  }

  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  *entries(): IterableIterator<[number, number]> {
    const { ms, base } = this;
    for (let k = 0; k < ms.length; k++) if (!Number.isNaN(ms[k]!)) yield [base + k, ms[k]!];
  }

  *keys(): IterableIterator<number> {
    for (const [id] of this.entries()) yield id;
  }

  *values(): IterableIterator<number> {
    for (const [, ms] of this.entries()) yield ms;
  }

  [Symbol.iterator](): IterableIterator<[number, number]> {
    return this.entries();
  }

  forEach(fn: (value: number, key: number, map: ReadonlyMap<number, number>) => void): void {
    for (const [id, ms] of this.entries()) fn(ms, id, this);
  }
}
