import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { NeedExtractor } from '../documents/extract-channel';
import { ExtractService, type ExtractServiceOptions } from '../documents/extract-service';
import { startWorker } from '../util/worker-entry';
import { WORKER_YOUNG_GENERATION_MB } from '../util/worker-heap';
import type { ParsedRecord } from './parsed-record';
import type { SpanJob } from './parse-span';
import type { WorkerReply, WorkerRequest } from './parse-worker';

/** A parse result: the record, or why the message could not be parsed (it is still stored). */
export type ParseOutcome = { record: ParsedRecord } | { failure: string; code: 'parse-crash' | 'parse-timeout' };

/** Time allowed per message before the worker is presumed hung: a floor plus time per MiB. */
const TIMEOUT_FLOOR_MS = 60_000;
const TIMEOUT_PER_MIB_MS = 2_000;
/** While a worker waits for documents, how often its expired timeout looks again whether the extraction is still busy. */
const EXTRACTION_CHECK_MS = 1_000;
/**
 * Messages a parse worker parses at once, so it goes on parsing while an earlier message's attachments are
 * in the extraction worker (issue 15: a worker was ≈45 % idle waiting). Bounded: memory stays a few
 * messages per worker.
 */
const PARSE_WINDOW = Number(process.env.CASEFILE_PARSE_WINDOW) || 3; // the variable: for A/B benchmarks only

interface Pending {
  items: SpanJob[];
  results: (ParseOutcome | undefined)[];
  next: number;
  resolve: (r: ParseOutcome[]) => void;
}

interface Slot {
  worker: Worker;
  job: Pending | null;
  jobId: number;
  timer: NodeJS.Timeout | null;
  /** The worker has loaded its modules (its "ready" message): until then no timeout runs. */
  ready: boolean;
  /** Set after a crash or hang: the rest of that job is parsed one message at a time (exact blame). */
  sequential: boolean;
}

/**
 * A parse worker's heap limits (issue 15 item 3). Its live heap is ≈ 15 MiB (a heap snapshot at 1 GiB),
 * but with the 64 MiB young generation it had and V8's default limit (a few GiB on this machine, which
 * lets the old generation grow 4× between collections) each worker's heap reached ≈ 100 MiB at 1 GiB
 * (≈ 50 at 100 MiB). A smaller young generation (32 MiB, then 12: worker-heap.ts) and a 1 GiB old-generation
 * limit (V8 then grows the old generation ≈ 1.6× between collections, not 4×) keep it small at every
 * size, with the same CPU time (measured A/B at 1 GiB). 1 GiB stays far above what one message needs:
 * large attachment bytes are Buffers, outside this limit, and bodies are capped (parse-message.ts).
 */
const PARSE_WORKER_HEAP = { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB, maxOldGenerationSizeMb: 1024 };

/**
 * A fixed pool of parse workers (one per core by default). Each batch goes to one idle worker; a worker
 * that crashes or hangs on a message is replaced, that message is reported as failed, and the rest of
 * the batch continues on the fresh worker: one hostile message never stops an ingest.
 */
export class ParsePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextJobId = 1;
  private closed = false;
  /**
   * Per worker, its attachments awaiting documents (written by the worker, extract-client.ts): meanwhile its
   * per-message timeout does not stop it (the extraction worker has its own hard timeout).
   */
  private readonly extracting: Int32Array;
  /** One extraction worker for all parse workers (started by warmExtraction() or by the first attachment). */
  private readonly extractor: ExtractService;

  constructor(
    readonly size = Math.max(1, os.availableParallelism()),
    private readonly timeoutFloorMs = TIMEOUT_FLOOR_MS,
    extract: ExtractServiceOptions = {},
    private readonly window = PARSE_WINDOW,
  ) {
    this.extractor = new ExtractService(extract);
    this.extracting = new Int32Array(new SharedArrayBuffer(4 * size));
    for (let i = 0; i < size; i++) {
      const slot: Slot = { worker: null as unknown as Worker, job: null, jobId: 0, timer: null, ready: false, sequential: false };
      this.slots.push(slot);
      this.startWorkerFor(slot);
    }
  }

  parse(items: SpanJob[]): Promise<ParseOutcome[]> {
    return new Promise((resolve) => {
      this.queue.push({ items, results: new Array(items.length), next: 0, resolve });
      this.pump();
    });
  }

  /**
   * Start the extraction worker now, beside the parse workers (it also preloads pdf.js), so the first
   * messages' attachments do not wait for its start. Otherwise it starts with the first attachment.
   */
  warmExtraction(): void {
    this.extractor.warm();
  }

  /** The case is open now: workers connected to the extraction worker before it look their attachments up there too. */
  caseOpened(): void {
    this.extractor.caseOpened();
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.slots.map((s) => s.worker.terminate()), this.extractor.close()]);
  }

  private startWorkerFor(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    Atomics.store(this.extracting, index, 0);
    const workerData = { pending: this.extracting.buffer, slot: index };
    const worker = startWorker(import.meta.url, 'parse-worker', { resourceLimits: PARSE_WORKER_HEAP, workerData });
    slot.worker = worker;
    slot.ready = false;
    // Its attachments go to the extraction worker over a channel of their own (extract-channel.ts), not through here.
    this.extractor.attach(index, worker);
    worker.on('message', (reply: WorkerReply | NeedExtractor | { ready: true }) => {
      if ('ready' in reply) {
        slot.ready = true;
        return this.arm(slot);
      }
      if ('needExtractor' in reply) return this.extractor.demand(index);
      this.onReply(slot, reply);
    });
    worker.on('error', (err) => this.onDeath(slot, 'parse-crash', String(err?.message ?? err)));
    worker.on('exit', (code) => {
      if (!this.closed && slot.job) this.onDeath(slot, 'parse-crash', `parser worker exited with code ${code}`);
    });
    worker.unref();
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.job || this.queue.length === 0) continue;
      const job = this.queue.shift()!;
      slot.sequential = false;
      this.assign(slot, job);
    }
  }

  private assign(slot: Slot, job: Pending): void {
    slot.job = job;
    slot.jobId = this.nextJobId++;
    const req: WorkerRequest = {
      jobId: slot.jobId,
      items: job.items.slice(job.next),
      window: slot.sequential || !job.items.some((i) => i.extract) ? 1 : this.window,
      exact: slot.sequential,
    };
    slot.worker.ref();
    slot.worker.postMessage(req);
    this.arm(slot);
  }

  private arm(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    const job = slot.job;
    if (!job || !slot.ready) return;
    const item = job.items[job.next]!;
    const ms = this.timeoutFloorMs + (item.length / (1024 * 1024)) * TIMEOUT_PER_MIB_MS;
    let extractionSeen = 0;
    const fire = () => {
      // Waiting for documents the extraction worker is busy with is not hanging: checked again shortly, and the
      // full time counts from the last moment it waited so (the extraction has its own hard timeout).
      if (Atomics.load(this.extracting, this.slots.indexOf(slot)) > 0 && this.extractor.busy()) {
        extractionSeen = Date.now();
        slot.timer = setTimeout(fire, Math.min(ms, EXTRACTION_CHECK_MS));
        return;
      }
      const left = extractionSeen + ms - Date.now();
      if (left > 0) slot.timer = setTimeout(fire, left);
      else this.onDeath(slot, 'parse-timeout', `parsing took longer than ${Math.round(ms / 1000)} s`);
    };
    slot.timer = setTimeout(fire, ms);
  }

  /** A group of replies, in order (reply-groups.ts): the job's next messages. */
  private onReply(slot: Slot, group: WorkerReply): void {
    const job = slot.job;
    if (!job || group.jobId !== slot.jobId) return;
    for (const reply of group.replies) {
      job.results[job.next] = 'record' in reply ? { record: reply.record } : { failure: reply.failure, code: 'parse-crash' };
      job.next++;
    }
    // Extractions still counted belong to later messages of the window (parsed at the same time).
    if (job.next < job.items.length) return this.arm(slot);
    this.finish(slot);
  }

  private finish(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    const job = slot.job!;
    slot.job = null;
    slot.timer = null;
    slot.worker.unref();
    job.resolve(job.results as ParseOutcome[]);
    this.pump();
  }

  /** The worker died or hung on job.items[job.next]: record that, replace it, go on with the rest. */
  private onDeath(slot: Slot, code: 'parse-crash' | 'parse-timeout', why: string): void {
    const job = slot.job;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    const old = slot.worker;
    old.removeAllListeners();
    old.on('error', () => {});
    void old.terminate();
    if (this.closed) return;
    this.startWorkerFor(slot);
    if (!job) return this.pump();
    if (!slot.sequential) {
      // Several messages were in the worker at once, so which one is at fault is not known: blame none yet
      // and parse the rest of the job one at a time, where a failure is the message's own.
      slot.sequential = true;
      this.assign(slot, job);
      return;
    }
    const item = job.items[job.next]!;
    if (item.extract) {
      // Document extraction may be what hung or crashed: parse the message again without it.
      job.items[job.next] = { ...item, extract: false };
      this.assign(slot, job);
      return;
    }
    job.results[job.next] = { failure: why, code };
    job.next++;
    if (job.next >= job.items.length) {
      job.resolve(job.results as ParseOutcome[]);
      return this.pump();
    }
    this.assign(slot, job);
  }
}
