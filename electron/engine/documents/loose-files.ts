import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Worker, WorkerOptions } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { openEvidence } from '../source/positional-reader';
import { startWorker } from '../util/worker-entry';
import { WORKER_YOUNG_GENERATION_MB } from '../util/worker-heap';
import { DocumentWriter } from './document-store';
import type { LooseReply, LooseRequest } from './extract-worker';
import { toWire } from './wire';

/** Hard limit per loose file; the worker is terminated and replaced beyond it. */
const FILE_TIMEOUT_MS = 60_000;

export interface LooseSummary {
  files: number;
  documents: number;
  errors: number;
}

/**
 * Files of an ingested folder that are not mail become evidence items of kind `document`: hashed
 * (read-only), type sniffed, extracted in a worker that is killed if it hangs. An unreadable file is
 * still recorded with its hash and the reason.
 */
export async function ingestLooseFiles(db: Database.Database, files: string[], signal?: AbortSignal): Promise<LooseSummary> {
  const writer = new DocumentWriter(db);
  const summary: LooseSummary = { files: 0, documents: 0, errors: 0 };
  let worker: Worker | null = null;
  try {
    for (const file of files) {
      if (signal?.aborted) break;
      let st;
      try {
        st = statSync(file);
      } catch {
        continue; // unreadable or vanished: already reported by discovery
      }
      if (!st.isFile()) continue; // FIFOs, devices, folders: never opened
      if (writer.looseUnchanged(file, st.size, st.mtimeMs)) continue;
      worker ??= startExtractWorker();
      const reply = await runOne(worker, file);
      if ('failure' in reply) {
        void worker.terminate();
        worker = null;
        const sha256 = await hashFile(file).catch(() => null);
        if (sha256 === null) continue; // unreadable (EACCES, vanished): discovery already reported it
        const doc = toWire({ sha256, size: st.size, name: path.basename(file), type: 'other', meta: {}, pages: [], errors: [{ code: reply.code, message: reply.failure }] });
        db.transaction(() => {
          writer.store(doc);
          writer.storeLoose(file, st.size, st.mtimeMs, sha256, null);
        })();
        summary.errors++;
      } else {
        db.transaction(() => {
          for (const d of reply.documents) writer.store(d);
          writer.storeLoose(file, reply.size, st.mtimeMs, reply.sha256, reply.sniffed);
        })();
        summary.documents += reply.documents.length;
        if (reply.documents[0]?.errors.length) summary.errors++;
      }
      summary.files++;
    }
  } finally {
    await worker?.terminate();
  }
  return summary;
}

export type Outcome = Exclude<LooseReply, { failure: string }> | { failure: string; code: string };

/** Heap of an extraction worker: a document that needs more is stopped there (`extract-crash`), nothing else. */
const EXTRACT_HEAP_MB = 384;
const EXTRACT_WORKER_LIMITS = { maxOldGenerationSizeMb: EXTRACT_HEAP_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB };

/**
 * An extraction worker (attachments, loose files, archive entries), always with the heap limits above: the
 * loose files' and archive entries' workers had V8's defaults (an old generation of several GiB) until the
 * fifteenth session. Terminate it after a failure.
 */
export function startExtractWorker(options: WorkerOptions = {}): Worker {
  return startWorker(import.meta.url, 'extract-worker', { ...options, resourceLimits: EXTRACT_WORKER_LIMITS });
}

/** Extract one file (by path) or one archive entry (bytes) in `worker`, within the time limit. */
export function runOne(
  worker: Worker,
  request: string | Omit<Extract<LooseRequest, { bytes: Uint8Array }>, 'id'>,
  timeoutMs = FILE_TIMEOUT_MS,
  transfer: ArrayBuffer[] = [],
): Promise<Outcome> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish({ failure: `extraction took longer than ${timeoutMs / 1000} s; stopped`, code: 'extract-timeout' }), timeoutMs);
    const onMessage = (r: LooseReply | { ready: true }) => {
      if (!('id' in r)) return; // the worker's "ready" signal (extract-service.ts)
      finish('failure' in r ? { failure: r.failure, code: 'extract-failed' } : r);
    };
    const onError = (e: Error) => finish({ failure: `extraction crashed: ${e.message}`, code: 'extract-crash' });
    const finish = (o: Outcome) => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      resolve(o);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.postMessage(typeof request === 'string' ? { id: 1, path: request } : { id: 1, ...request }, transfer);
  });
}

async function hashFile(file: string): Promise<string> {
  const fd = await openEvidence(file);
  try {
    const hash = createHash('sha256');
    const buf = Buffer.allocUnsafe(4 * 1024 * 1024);
    for (let pos = 0; ; ) {
      const { bytesRead } = await fd.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
      pos += bytesRead;
    }
    return hash.digest('hex');
  } finally {
    await fd.close();
  }
}
