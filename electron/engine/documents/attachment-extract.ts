import type { Worker } from 'node:worker_threads';
import { detect, type ExtractHint } from './extract';
import { runOne, startExtractWorker } from './loose-files';
import { LIMITS } from './types';
import { toWire, type WireDocument } from './wire';

/** SHA-256s this worker already extracted: equal bytes in many messages are extracted once. */
const done = new Set<string>();
const DONE_CAP = 200_000;
/** Heap of the extraction worker: a document that needs more is stopped there (`extract-crash`), not the parse worker. */
export const EXTRACT_HEAP_MB = 384;
/** Hard stop of one attachment's extraction: the soft per-document budget plus slack for the worker's start. */
const HARD_TIMEOUT_MS = LIMITS.timeMs + 15_000;

/**
 * The parse worker's own extraction worker, started on the first attachment to extract, so pdf.js and a
 * document's decoded objects never live in the parse worker: a hang is terminated (hard timeout), a heap
 * overflow stops only that worker, and the message is kept with the document's error.
 */
let worker: Worker | null = null;

/**
 * Collects an attachment's decoded bytes as the parser streams them (up to LIMITS.maxInputBytes; a
 * larger one is recorded, not opened) and extracts it once its hash is known.
 */
export class AttachmentCollector {
  private chunks: Buffer[] = [];
  private size = 0;

  push(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size <= LIMITS.maxInputBytes) this.chunks.push(chunk);
    else this.chunks = [];
  }

  async finish(sha256: string, hint: ExtractHint): Promise<WireDocument[]> {
    if (done.has(sha256)) return [];
    if (done.size > DONE_CAP) done.clear();
    done.add(sha256);
    const name = hint.name ?? '';
    if (this.size > LIMITS.maxInputBytes) {
      return [toWire({ sha256, size: this.size, name, type: 'other', meta: {}, pages: [], errors: [{ code: 'too-large', message: `larger than the ${LIMITS.maxInputBytes / 1048576} MiB extraction limit (hashed, not opened)` }] })];
    }
    const bytes = Buffer.concat(this.chunks);
    this.chunks = [];
    // One request at a time: the worker's replies carry no request id of their own (runOne).
    const run = queue.then(() => extractInWorker(bytes, sha256, hint));
    queue = run.catch(() => undefined);
    return run;
  }
}

let queue: Promise<unknown> = Promise.resolve();

async function extractInWorker(bytes: Buffer, sha256: string, hint: ExtractHint): Promise<WireDocument[]> {
  const name = hint.name ?? '';
  if (!worker) {
    worker = startExtractWorker({ resourceLimits: { maxOldGenerationSizeMb: EXTRACT_HEAP_MB } });
    worker.unref(); // idle, it must not keep the parse worker alive
  }
  const out = await runOne(worker, { bytes, name, sha256, contentType: hint.contentType }, HARD_TIMEOUT_MS);
  if ('failure' in out) {
    void worker.terminate();
    worker = null;
    return [toWire({ sha256, size: bytes.length, name, type: detect(bytes, hint).type, meta: {}, pages: [], errors: [{ code: out.code, message: out.failure }] })];
  }
  return out.documents;
}
