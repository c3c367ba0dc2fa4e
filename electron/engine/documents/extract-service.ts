import { MessageChannel, type Worker } from 'node:worker_threads';
import type { ExtractHint } from './extract';
import { firstRequest, readStatus, STATUS_WORDS, type AttachPort, type CaseDbMessage, type ExtractPortMessage } from './extract-channel';
import { runOne, startExtractWorker } from './loose-files';
import { LIMITS } from './types';
import { failedDocument, type WireDocument } from './wire';

/** Hard stop of one attachment's extraction: the soft per-document budget plus slack for the worker's start. */
const HARD_TIMEOUT_MS = LIMITS.timeMs + 15_000;
/** Time a (re)started worker may take to load its modules before the document counts as crashed. */
const START_TIMEOUT_MS = 120_000;

export interface ExtractServiceOptions {
  /** Hard timeout per document (tests lower it). */
  hardTimeoutMs?: number;
  /** Passed to the extraction worker (tests use it to make a document hang). */
  workerData?: unknown;
  /**
   * The case database (null: not open yet), opened read-only by the parse workers: an attachment whose
   * documents an earlier batch or run stored is not extracted again (issue 15). The case keeps the first
   * copy either way (INSERT OR IGNORE).
   */
  caseDb?: () => string | null;
}

/**
 * The one extraction worker of an ingest, shared by every parse worker (issue 15: one pdf.js, one
 * extraction heap, instead of one per parse worker). Parse workers send an attachment's bytes over a channel
 * of their own (extract-channel.ts: not through the main thread) and await its documents; requests run one
 * at a time. A document that hangs past the hard timeout (seen in shared memory) or crashes the worker gets
 * `extract-timeout`/`extract-crash`, the worker is terminated and restarted for the next ones (which the
 * parse workers send again), and the message is still stored with that document. extract(): the same for a
 * caller on the main thread (no parse worker), one request at a time through runOne.
 */
interface Running {
  worker: Worker;
  /** Resolves once the worker's modules are loaded (its "ready" message); false when it died first. */
  ready: Promise<boolean>;
  /** Still loading its modules (requests wait in its ports meanwhile). */
  starting: boolean;
  /**
   * Parse workers that have their port to this worker. A second port would make the parse worker send every
   * request still waiting again (extract-client.ts resends on each new port, as it must after a replacement):
   * two workers asking at once used to be connected twice, and those attachments extracted twice.
   */
  connected: WeakSet<Worker>;
}

export class ExtractService {
  private running: Running | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** Parse workers served over channels of their own (extract-channel.ts), by pool slot. */
  private readonly parseWorkers = new Map<number, Worker>();
  /** The extraction worker's current document, in shared memory (extract-channel.ts). */
  private readonly status = new Int32Array(new SharedArrayBuffer(STATUS_WORDS * 4));
  private readonly epoch = Date.now();
  private watchdog: NodeJS.Timeout | null = null;
  private closed = false;
  /** Set when the extraction worker did not start: the channels' requests fail with it. */
  private broken: string | null = null;

  constructor(private readonly options: ExtractServiceOptions = {}) {}

  /** Start the worker ahead of the first document, off any message's path, and let it preload pdf.js. */
  warm(): void {
    if (this.running) return;
    this.running = this.start(true);
    this.connectAll();
  }

  /**
   * The case database exists now (the ingest opens it after discovery, and may connect workers before):
   * tell every parse worker, which then skips attachments the case has already (extract-client.ts).
   */
  caseOpened(): void {
    const caseDb = this.options.caseDb?.();
    if (caseDb) for (const worker of this.parseWorkers.values()) worker.postMessage({ caseDb } satisfies CaseDbMessage);
  }

  /** The parse worker of `slot` asked for its port (its first attachment): start the extraction worker if needed. */
  demand(slot: number): void {
    if (this.broken || !this.parseWorkers.has(slot)) return;
    if (this.running) return this.connect(this.parseWorkers.get(slot)!);
    this.running = this.start(false); // pdf.js then loads on the first PDF
    this.connectAll();
  }

  /** The extraction worker is working on a document now, or still starting (documents then wait for it). */
  busy(): boolean {
    return this.running !== null && (this.running.starting || readStatus(this.status, this.epoch) !== null);
  }

  /** Serve the parse worker of `slot` directly (a replaced one is attached again under the same slot). */
  attach(slot: number, worker: Worker): void {
    this.parseWorkers.set(slot, worker);
    if (this.broken) worker.postMessage({ extractPort: null, caseDb: null, broken: this.broken } satisfies ExtractPortMessage);
    else if (this.running) this.connect(worker);
  }

  /**
   * The documents of one attachment; [] when `done`, the caller's set, had its SHA-256 already
   * (firstRequest: the documents travel with the first message to be stored that has them).
   */
  extract(bytes: Uint8Array, sha256: string, hint: ExtractHint, done: Set<string>): Promise<WireDocument[]> {
    if (!firstRequest(done, sha256)) return Promise.resolve([]);
    const run = this.queue.then(() => this.run(bytes, sha256, hint));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.watchdog) clearInterval(this.watchdog);
    const r = this.running;
    this.running = null;
    await r?.worker.terminate();
  }

  private connectAll(): void {
    for (const worker of this.parseWorkers.values()) this.connect(worker);
  }

  /** A channel between the extraction worker and one parse worker; `failed`: its request the last worker died on. */
  private connect(parse: Worker, failed?: ExtractPortMessage['failed']): void {
    if (this.running!.connected.has(parse)) return;
    this.running!.connected.add(parse);
    const { port1, port2 } = new MessageChannel();
    this.running!.worker.postMessage({ attach: port2, thread: parse.threadId } satisfies AttachPort, [port2]);
    parse.postMessage({ extractPort: port1, caseDb: this.options.caseDb?.() ?? null, failed } satisfies ExtractPortMessage, [port1]);
  }

  /**
   * The extraction worker crashed, or its document ran past the hard timeout: stop it, start another, and tell
   * the parse worker whose document it was that this one failed (the others send theirs again).
   */
  private replace(running: Running, code: 'extract-timeout' | 'extract-crash', why: string): void {
    if (this.running !== running || this.closed) return;
    const at = readStatus(this.status, this.epoch);
    void running.worker.terminate();
    this.running = this.start(false);
    for (const worker of this.parseWorkers.values()) {
      const failed = at && at.thread === worker.threadId ? { extract: at.id, code, message: why } : undefined;
      this.connect(worker, failed);
    }
  }

  /** Checks the shared status for a document past the hard timeout (no message per document needed). */
  private watch(): void {
    if (this.watchdog) return;
    const hardMs = this.options.hardTimeoutMs ?? HARD_TIMEOUT_MS;
    this.watchdog = setInterval(() => {
      const at = readStatus(this.status, this.epoch);
      const r = this.running;
      if (r && at && Date.now() - at.startedAt > hardMs) this.replace(r, 'extract-timeout', `extraction took longer than ${hardMs / 1000} s; stopped`);
    }, Math.min(1000, hardMs / 4));
    this.watchdog.unref();
  }

  /** The worker could not be started: every parse worker's attachments get this failure from now on. */
  private breakDown(running: Running, why: string): void {
    if (this.running !== running || this.closed) return;
    this.broken = why;
    void running.worker.terminate();
    for (const worker of this.parseWorkers.values()) worker.postMessage({ extractPort: null, caseDb: null, broken: why } satisfies ExtractPortMessage);
  }

  private start(preloadPdf: boolean): Running {
    Atomics.store(this.status, 0, 0);
    const workerData = { preloadPdf, status: this.status.buffer, epoch: this.epoch, ...(this.options.workerData as object | undefined) };
    const worker = startExtractWorker({ workerData });
    worker.unref(); // idle, it must not keep the process alive
    const ready = new Promise<boolean>((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onFail);
        worker.off('exit', onFail);
        resolve(ok);
      };
      const onMessage = (m: { ready?: boolean }) => m?.ready && done(true);
      const onFail = () => done(false);
      const timer = setTimeout(onFail, START_TIMEOUT_MS);
      timer.unref();
      worker.on('message', onMessage);
      worker.on('error', onFail);
      worker.on('exit', onFail);
    });
    const running: Running = { worker, ready, starting: true, connected: new WeakSet() };
    void ready.then(() => (running.starting = false));
    if (this.parseWorkers.size > 0) {
      // Serving parse workers over channels: a crash after the start replaces the worker; no start at all breaks down.
      this.watch();
      const died = (why: string) => void ready.then((ok) => ok && this.replace(running, 'extract-crash', why));
      worker.on('error', (err) => died(`extraction crashed: ${err.message}`));
      worker.on('exit', (code) => died(`the extraction worker exited with code ${code}`));
      void ready.then((ok) => ok || this.breakDown(running, 'the extraction worker did not start'));
    }
    return running;
  }

  private async run(bytes: Uint8Array, sha256: string, hint: ExtractHint): Promise<WireDocument[]> {
    const name = hint.name ?? '';
    // The bytes move to the worker: keep what a failure record needs.
    const size = bytes.byteLength;
    const head = Buffer.from(bytes.subarray(0, 4096));
    this.running ??= this.start(false); // started by the first attachment; pdf.js then loads on the first PDF
    const running = this.running;
    const { worker } = running;
    worker.ref();
    const out = (await running.ready)
      ? await runOne(worker, { bytes, name, sha256, contentType: hint.contentType, sniff: false }, this.options.hardTimeoutMs ?? HARD_TIMEOUT_MS, [bytes.buffer as ArrayBuffer])
      : { failure: 'the extraction worker did not start', code: 'extract-crash' };
    worker.unref();
    if (!('failure' in out)) return out.documents;
    if (this.running === running) this.running = null;
    void worker.terminate();
    // Loaded only here: the extractors' module graph stays out of the main thread otherwise.
    const { detect } = await import('./extract');
    return [failedDocument({ sha256, size, name, type: detect(head, hint).type }, out.code, out.failure)];
  }
}
