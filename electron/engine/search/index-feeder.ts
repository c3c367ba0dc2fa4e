import type { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { startWorker } from '../util/worker-entry';
import { WORKER_YOUNG_GENERATION_MB } from '../util/worker-heap';
import { docsAfter, type WireDoc } from './index-doc';
import { caseIdOf } from './shard-check';
import type { IndexReply, IndexRequest, ShardWritten } from './index-worker';

/** Measured (README, Benchmarks): same query latency as 20,000, about half the peak memory while building. */
export const DEFAULT_SHARD_SIZE = 10_000;

/**
 * A progressive case: until the run's first shard is sealed, the tail shard is written early — after the
 * first 256 messages, then at ×4 (1,024, 4,096) — so search answers over what is indexed so far within
 * seconds of the start (`indexComplete: false`) instead of after 10,000 messages. Each early write costs
 * one build of the tail (a few thousand documents), once per run.
 */
const FIRST_CHECKPOINT = 256;
const CHECKPOINT_GROWTH = 4;
/**
 * Docs posted to the worker and not yet added to its builder, in bytes of text (issue 15 item 3): a count
 * bound alone (two shards, 40,000 docs) let a lagging worker's queue hold hundreds of MiB on a large
 * archive. 32 MiB is four full ingest batches (BATCH_BYTES), enough to keep the worker fed.
 */
export const QUEUE_BYTES = 32 * 1024 * 1024;

/**
 * The index worker's heap limits (issue 15 item 3). Its live heap is small (one shard's lengths and terms,
 * the token cache); its garbage is not: once a shard's arrays were reused (shard-builder.ts) it no longer
 * left ArrayBuffers behind, whose growth had made V8 run full collections often, and its heap grew to
 * ≈ 105 MiB (≈ 80 in use) at 1–2 GiB of mail. A small young generation (16 MiB, then 12: worker-heap.ts)
 * and a 1 GiB old-generation limit (V8 then grows the old generation less between collections, as for the
 * parse workers: parse-pool.ts) keep it ≈ 55 MiB; same CPU time within this machine's noise (README,
 * Benchmarks, memory).
 */
const INDEX_WORKER_HEAP = { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB, maxOldGenerationSizeMb: 1024 };

function startIndexWorker(): Worker {
  return startWorker(import.meta.url, 'index-worker', { resourceLimits: INDEX_WORKER_HEAP });
}

/**
 * Feeds new messages to the index worker as ingest commits them, so ingest and indexing are one pass,
 * and records each shard the worker writes. Resumable at shard granularity: on start, everything after
 * the last sealed shard is fed again from the case database (no re-parsing). Backpressure: add() waits
 * when the worker is more than two shards behind, so memory stays bounded, and while the docs posted but not
 * yet taken into the builder (copies waiting in the worker's message queue) exceed QUEUE_BYTES.
 */
export interface EarlyIndexWorker {
  worker: Worker;
  error: Error | null;
}

export class IndexFeeder {
  private outstanding = 0;
  /** Text bytes of each 'add' posted and not yet answered with 'added', oldest first, and their sum. */
  private readonly queued: number[] = [];
  private queuedBytes = 0;
  private waiters: (() => void)[] = [];
  private flushed: (() => void) | null = null;
  private failure: Error | null = null;
  private closed = false;
  /** Early tail writes asked for and not yet answered (their 'flushed' replies are not finish()'s). */
  private checkpointsInFlight = 0;
  private fed = 0;
  private nextCheckpoint = FIRST_CHECKPOINT;
  readonly shardsWritten: ShardWritten[] = [];

  /** Each shard written, by its last write only: a progressive case's tail is also written early. */
  get shardsIndexed(): ShardWritten[] {
    return [...new Map(this.shardsWritten.map((s) => [s.seq, s])).values()];
  }

  private constructor(
    private readonly db: Database.Database,
    private readonly worker: Worker,
    private readonly shardSize: number,
    /** Write the tail early (ingest, `casefile index`); never while repairing a shard in place. */
    private readonly progressive = true,
  ) {
    worker.on('message', (reply: IndexReply) => this.onReply(reply));
    worker.on('error', (err) => this.fail(err));
  }

  /**
   * The index worker started ahead of its feeder: ingest starts it before walking the folders, so that it
   * loads its code while a Maildir is discovered (one core is free then) rather than once parsing has both
   * cores busy (issue 15). An error meanwhile is kept for the feeder.
   */
  static prestart(): EarlyIndexWorker {
    const early: EarlyIndexWorker = { worker: startIndexWorker(), error: null };
    early.worker.once('error', (err) => (early.error ??= err));
    return early;
  }

  static async start(db: Database.Database, caseDir: string, shardSize = DEFAULT_SHARD_SIZE, early?: EarlyIndexWorker): Promise<IndexFeeder> {
    const sealed = db.prepare('SELECT MAX(seq) seq, MAX(last_id) last FROM index_shards WHERE sealed = 1').get() as { seq: number | null; last: number | null };
    db.prepare('DELETE FROM index_shards WHERE sealed = 0').run();
    const worker = early?.worker ?? startIndexWorker();
    const feeder = new IndexFeeder(db, worker, shardSize);
    if (early?.error) feeder.fail(early.error);
    worker.postMessage({ type: 'init', caseDir, caseId: caseIdOf(db), shardSize, sealByOccurrences: true, nextSeq: (sealed.seq ?? 0) + 1 } satisfies IndexRequest);
    for (const docs of docsAfter(db, sealed.last ?? 0)) await feeder.add(docs);
    return feeder;
  }

  /**
   * Write shard `seq` again, in place, from the case database: the messages of its id range (the
   * repair of a missing or damaged shard; the shards after it are untouched).
   */
  static async rebuild(db: Database.Database, caseDir: string, shard: { seq: number; firstId: number; lastId: number }): Promise<number> {
    const n = (db.prepare('SELECT COUNT(*) n FROM messages WHERE id BETWEEN ? AND ?').get(shard.firstId, shard.lastId) as { n: number }).n;
    if (n === 0) return 0;
    const worker = startIndexWorker();
    const feeder = new IndexFeeder(db, worker, n, false);
    // A shard size of exactly its message count: the worker seals it when the last one is added (not
    // earlier by its occurrences: a shard sealed by count before SHARD_OCCURRENCES existed may hold more).
    worker.postMessage({ type: 'init', caseDir, caseId: caseIdOf(db), shardSize: n, sealByOccurrences: false, nextSeq: shard.seq } satisfies IndexRequest);
    for (const docs of docsAfter(db, shard.firstId - 1)) {
      const inRange = docs.filter((d) => d.id <= shard.lastId);
      await feeder.add(inRange);
      if (inRange.length < docs.length) break;
    }
    await feeder.finish();
    return n;
  }

  /** Docs must come in increasing id order. */
  async add(docs: WireDoc[]): Promise<void> {
    if (this.failure) throw this.failure;
    if (docs.length === 0) return;
    this.outstanding += docs.length;
    const bytes = docs.reduce((n, d) => n + docBytes(d), 0);
    this.queued.push(bytes);
    this.queuedBytes += bytes;
    this.worker.postMessage({ type: 'add', docs } satisfies IndexRequest);
    this.fed += docs.length;
    if (this.progressive && this.fed >= this.nextCheckpoint && !this.shardsWritten.some((w) => w.sealed)) {
      this.nextCheckpoint = this.fed * CHECKPOINT_GROWTH;
      this.checkpointsInFlight++;
      this.worker.postMessage({ type: 'flush' } satisfies IndexRequest);
    }
    while ((this.outstanding > 2 * this.shardSize || this.queuedBytes > QUEUE_BYTES) && !this.failure) await new Promise<void>((r) => this.waiters.push(r));
  }

  /** Write the tail shard and stop the worker. */
  async finish(): Promise<void> {
    if (!this.failure) {
      const done = new Promise<void>((r) => (this.flushed = r));
      this.worker.postMessage({ type: 'flush' } satisfies IndexRequest);
      await done;
    }
    await this.close();
    if (this.failure) throw this.failure;
  }

  /** Stop the worker (idempotent); whatever was not flushed is re-fed from the database next time. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.worker.terminate();
  }

  private onReply(reply: IndexReply): void {
    if (reply.type === 'error') return this.fail(new Error(`index worker: ${reply.message}`));
    if (reply.type === 'added') {
      this.queuedBytes -= this.queued.shift() ?? 0;
      for (const w of this.waiters.splice(0)) w();
      return;
    }
    if (reply.type === 'flushed') {
      if (this.checkpointsInFlight > 0) this.checkpointsInFlight--;
      else this.flushed?.();
      return;
    }
    this.db
      .prepare('INSERT OR REPLACE INTO index_shards (seq, file, first_id, last_id, docs, sealed, bytes, created_at, checksum) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(reply.seq, reply.file, reply.firstId, reply.lastId, reply.docs, reply.sealed ? 1 : 0, reply.bytes, new Date().toISOString(), reply.checksum);
    this.shardsWritten.push(reply);
    if (reply.sealed) this.outstanding -= reply.docs;
    for (const w of this.waiters.splice(0)) w();
  }

  private fail(err: Error): void {
    this.failure = err;
    for (const w of this.waiters.splice(0)) w();
    this.flushed?.();
  }
}

/** A doc's size in the worker's queue, near enough: its compressed body and its other text. */
function docBytes(d: WireDoc): number {
  return (d.bodyDeflated?.byteLength ?? 0) + d.subject.length + d.from.length + d.to.length + d.cc.length + d.filename.length + d.attachment.length;
}
