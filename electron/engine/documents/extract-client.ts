// A parse worker's side of its channel to the extraction worker (extract-channel.ts).
import type Database from 'better-sqlite3';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { ExtractHint } from './extract';
import { firstRequest, type AttachmentReply, type AttachmentRequest, type CaseDbMessage, type ExtractPortMessage, type NeedExtractor } from './extract-channel';
import { failedDocument, type WireDocument } from './wire';

interface Waiting {
  req: AttachmentRequest;
  resolve: (docs: WireDocument[] | Promise<WireDocument[]>) => void;
}

const waiting = new Map<number, Waiting>();
let nextId = 1;
let port: MessagePort | null = null;
let broken: string | null = null;
let asked = false;
let listening = false;
/** SHA-256s this worker's messages already had extracted (firstRequest); a fresh worker starts empty. */
const done = new Set<string>();
/** The case, read-only: an attachment whose documents an earlier batch or run stored is not extracted again. */
let caseOpened = false;
let storedDocument: Database.Statement | null = null;
/**
 * Shared with the pool (parse-pool.ts): this worker's requests awaiting documents. While it is above zero the
 * pool's per-message timeout does not stop the worker (the extraction has its own hard timeout).
 */
const shared = workerData as { pending?: SharedArrayBuffer; slot?: number } | null;
const pending = shared?.pending ? new Int32Array(shared.pending) : null;
const mySlot = shared?.slot ?? 0;

// A parse worker listens for its port from the start: the pool may send it before the first attachment.
if (parentPort && pending) listen(parentPort);

/** The documents of one attachment, from the extraction worker over this worker's own channel. */
export function requestExtraction(parent: MessagePort, bytes: Uint8Array, sha256: string, hint: ExtractHint): Promise<WireDocument[]> {
  listen(parent);
  if (done.has(sha256) || storedInCase(sha256) || !firstRequest(done, sha256)) return Promise.resolve([]);
  const req: AttachmentRequest = { extract: nextId++, bytes, sha256, name: hint.name ?? null, contentType: hint.contentType ?? null };
  if (broken) return failure(req, 'extract-crash', broken);
  return new Promise((resolve) => {
    waiting.set(req.extract, { req, resolve });
    if (pending) Atomics.add(pending, mySlot, 1);
    if (port) port.postMessage(req);
    else if (!asked) {
      asked = true; // the extraction worker starts on demand; the requests wait here for the port
      parent.postMessage({ needExtractor: true } satisfies NeedExtractor);
    }
  });
}

function listen(parent: MessagePort): void {
  if (listening) return;
  listening = true;
  parent.on('message', (m: Partial<ExtractPortMessage> | CaseDbMessage) => {
    if (m && 'caseDb' in m && m.caseDb && !caseOpened) openCase(m.caseDb);
    if (!m || !('extractPort' in m)) return;
    const { failed } = m;
    if (failed) settle(failed.extract, (w) => failure(w.req, failed.code, failed.message));
    if (m.broken) {
      broken = m.broken;
      for (const id of [...waiting.keys()]) settle(id, (w) => failure(w.req, 'extract-crash', broken!));
      return;
    }
    port = m.extractPort!;
    port.on('message', (r: AttachmentReply) => settle(r.extracted, () => r.documents));
    // The worker before this one died with these in it (or they were waiting for the first port): send them (again).
    for (const w of waiting.values()) port.postMessage(w.req);
  });
}

function settle(id: number, documents: (w: Waiting) => WireDocument[] | Promise<WireDocument[]>): void {
  const w = waiting.get(id);
  if (!w) return; // answered already (a reply that crossed the replacement)
  waiting.delete(id);
  if (pending) Atomics.sub(pending, mySlot, 1);
  w.resolve(documents(w));
}

async function failure(req: AttachmentRequest, code: string, message: string): Promise<WireDocument[]> {
  // The extractors' type detection, loaded only on a failure (the parse worker does not load them otherwise).
  const { detect } = await import('./extract');
  const hint = { name: req.name, contentType: req.contentType };
  return [failedDocument({ sha256: req.sha256, size: req.bytes.byteLength, name: req.name ?? '', type: detect(req.bytes, hint).type }, code, message)];
}

function openCase(path: string): void {
  caseOpened = true;
  void import('better-sqlite3')
    .then(({ default: Sqlite }) => {
      storedDocument = new Sqlite(path, { readonly: true, fileMustExist: true }).prepare('SELECT 1 FROM documents WHERE sha256 = ?');
    })
    .catch(() => undefined); // not readable here: attachments are extracted (the case keeps the first copy anyway)
}

function storedInCase(sha256: string): boolean {
  if (!storedDocument) return false;
  try {
    return storedDocument.get(sha256) !== undefined;
  } catch {
    return false;
  }
}
