import type { Worker } from 'node:worker_threads';
import type { ExtractHint } from './extract';
import { runOne, startExtractWorker } from './loose-files';
import { LIMITS } from './types';
import { toWire, type WireDocument } from './wire';

/** Heap of the extraction worker: a document that needs more is stopped there (`extract-crash`), not the parse worker. */
export const EXTRACT_HEAP_MB = 384;
/** Hard stop of one attachment's extraction: the soft per-document budget plus slack for the worker's start. */
const HARD_TIMEOUT_MS = LIMITS.timeMs + 15_000;
/** Time a (re)started worker may take to load its modules before the document counts as crashed. */
const START_TIMEOUT_MS = 120_000;
/** Bound of a caller's set of SHA-256s already extracted. */
const DONE_CAP = 200_000;

export interface ExtractServiceOptions {
  /** Hard timeout per document (tests lower it). */
  hardTimeoutMs?: number;
  /** Passed to the extraction worker (tests use it to make a document hang). */
  workerData?: unknown;
  /**
   * True when the case already holds the documents of this SHA-256 (committed by an earlier batch or run):
   * they are not extracted again (issue 15). The case keeps the first copy either way (INSERT OR IGNORE).
   */
  stored?: (sha256: string) => boolean;
}

/**
 * The one extraction worker of an ingest, shared by every parse worker (issue 15: one pdf.js, one
 * extraction heap, instead of one per parse worker). Parse workers hand over an attachment's bytes
 * (transferred, not copied) and await its documents; requests run one at a time. A document that hangs
 * past the hard timeout or crashes the worker gets `extract-timeout`/`extract-crash`, the worker is
 * terminated and restarted for the next one, and the message is still stored with that document.
 */
interface Running {
  worker: Worker;
  /** Resolves once the worker's modules are loaded (its "ready" message); false when it died first. */
  ready: Promise<boolean>;
}

export class ExtractService {
  private running: Running | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ExtractServiceOptions = {}) {}

  /** Start the worker ahead of the first document, off any message's path, and let it preload pdf.js. */
  warm(): void {
    this.running ??= this.start(true);
  }

  /**
   * The documents of one attachment; [] when its SHA-256 is in `done`, the set of one parse worker: a worker
   * parses its batches in commit order, so the documents travel with the first message to be stored that
   * has them and are in the case when any later message's search text is built (a set shared by all
   * workers would let a later batch's message take them first).
   */
  extract(bytes: Uint8Array, sha256: string, hint: ExtractHint, done: Set<string>): Promise<WireDocument[]> {
    if (done.has(sha256) || this.options.stored?.(sha256)) return Promise.resolve([]);
    if (done.size > DONE_CAP) done.clear();
    done.add(sha256);
    const run = this.queue.then(() => this.run(bytes, sha256, hint));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    const r = this.running;
    this.running = null;
    await r?.worker.terminate();
  }

  private start(preloadPdf: boolean): Running {
    const workerData = { preloadPdf, ...(this.options.workerData as object | undefined) };
    const worker = startExtractWorker({ resourceLimits: { maxOldGenerationSizeMb: EXTRACT_HEAP_MB }, workerData });
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
    return { worker, ready };
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
    return [toWire({ sha256, size, name, type: detect(head, hint).type, meta: {}, pages: [], errors: [{ code: out.code, message: out.failure }] })];
  }
}
