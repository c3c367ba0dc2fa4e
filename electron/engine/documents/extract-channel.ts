import type { MessagePort } from 'node:worker_threads';
import type { WireDocument } from './wire';

/**
 * The messages between a parse worker and the ingest's extraction worker, which talk over a MessageChannel
 * of their own (issue 15): an attachment's bytes and its documents no longer pass through the main thread,
 * which used to receive and re-post each of them (four thread wake-ups per attachment, two on the main
 * thread). The main thread (extract-service.ts) still owns the extraction worker: it hands out the ports,
 * watches the shared status below for a document past its hard timeout, and after a crash or a kill tells
 * each parse worker which of its requests failed; the parse worker sends the others again.
 */

/** Parse worker → extraction worker: extract this attachment. The bytes are copied, not transferred: the
 * parse worker keeps them until the answer comes, to send them again should the extraction worker die. */
export interface AttachmentRequest {
  extract: number;
  bytes: Uint8Array;
  sha256: string;
  name: string | null;
  contentType: string | null;
}
/** Extraction worker → parse worker: the documents of request `extracted`. */
export interface AttachmentReply {
  extracted: number;
  documents: WireDocument[];
}
/** Pool → parse worker: the port to the (new) extraction worker, and the request the old one failed on. */
export interface ExtractPortMessage {
  extractPort: MessagePort | null;
  /** The case database (read-only there): an attachment whose documents the case has is not sent. */
  caseDb: string | null;
  failed?: { extract: number; code: 'extract-timeout' | 'extract-crash'; message: string };
  /** The extraction worker could not be started: every request fails with this. */
  broken?: string;
}
/** Pool → parse worker: the case database, once it exists (the worker may have its port already). */
export interface CaseDbMessage {
  caseDb: string;
}
/** Parse worker → pool, once: it has an attachment and no port yet (the extraction worker starts on demand). */
export interface NeedExtractor {
  needExtractor: true;
}
/** Pool → extraction worker: serve the parse worker `thread` (its threadId) on `attach`. */
export interface AttachPort {
  attach: MessagePort;
  thread: number;
}

/** Bound of a sender's set of SHA-256s already sent for extraction. */
const DONE_CAP = 200_000;

/**
 * Whether `sha256` is sent for extraction now: not when `done` (one sender's set) has it already. A sender
 * parses its batches in commit order, so the documents travel with the first message to be stored that
 * has them (a set shared by all parse workers would let a later batch's message take them first).
 */
export function firstRequest(done: Set<string>, sha256: string): boolean {
  if (done.has(sha256)) return false;
  if (done.size > DONE_CAP) done.clear();
  done.add(sha256);
  return true;
}

/**
 * What the extraction worker is doing, in shared memory, so the main thread can time it out without a
 * message per document: [job sequence (0: idle), the parse worker's threadId, request id, start (ms since `epoch`)].
 */
export const STATUS_WORDS = 4;
export function writeStatus(status: Int32Array, seq: number, thread: number, id: number, epoch: number): void {
  Atomics.store(status, 1, thread);
  Atomics.store(status, 2, id);
  Atomics.store(status, 3, Date.now() - epoch);
  Atomics.store(status, 0, seq);
}
export function clearStatus(status: Int32Array): void {
  Atomics.store(status, 0, 0);
}
export function readStatus(status: Int32Array, epoch: number): { thread: number; id: number; startedAt: number } | null {
  if (Atomics.load(status, 0) === 0) return null;
  return { thread: Atomics.load(status, 1), id: Atomics.load(status, 2), startedAt: epoch + Atomics.load(status, 3) };
}
