// Worker thread: extracts loose files (read-only), archive entries and attachments (bytes sent by a parse
// worker), so a hostile document can be stopped by terminating it and its heap is capped on its own.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { sniffType, SNIFF_BYTES } from '../parse/sniff';
import { openEvidence } from '../source/positional-reader';
import { detect, extractDocuments } from './extract';
import { pdfjs } from './pdf';
import { LIMITS } from './types';
import { failedDocument, toWire, type WireDocument } from './wire';
import { clearStatus, writeStatus, type AttachmentReply, type AttachmentRequest, type AttachPort } from './extract-channel';
import { reportHeap } from '../util/heap-report';

/** A loose file by path, or the bytes of an archive entry (read through its container by the caller). */
export type LooseRequest =
  | { id: number; path: string }
  /** `sniff: false`: the caller has the type already (a parse worker sniffed the attachment): not sniffed again. */
  | { id: number; bytes: Uint8Array; name: string; sha256: string; contentType?: string | null; sniff?: boolean };
export interface LooseResult {
  sha256: string;
  size: number;
  sniffed: string | null;
  documents: WireDocument[];
}
export type LooseReply = ({ id: number } & LooseResult) | { id: number; failure: string };

/** Test seam: an entry of this name spins forever, like a document stuck in a tight loop (only a hard kill stops it). */
const hangOnName: string | undefined = (workerData as { hangOnName?: string } | null)?.hangOnName;
/** Test seam: an attachment of this name ends the worker at once, like a crash of the extractor under it. */
const crashOnName: string | undefined = (workerData as { crashOnName?: string } | null)?.crashOnName;

/** Test seam: a counter in shared memory, one added per attachment request served (a request sent twice counts twice). */
const servedCounter = (workerData as { served?: SharedArrayBuffer } | null)?.served;
const served = servedCounter ? new Int32Array(servedCounter) : null;

/** Shared with the extraction service (extract-channel.ts): what this worker is extracting now. */
const shared = workerData as { status?: SharedArrayBuffer; epoch?: number } | null;
const status = shared?.status ? new Int32Array(shared.status) : null;
let seq = 0;
/** Attachments from every parse worker's port, one at a time: one document's memory at once, and the status names it. */
let queue: Promise<void> = Promise.resolve();

function serve({ attach, thread }: AttachPort): void {
  attach.on('message', (req: AttachmentRequest) => {
    if (served) Atomics.add(served, 0, 1);
    queue = queue.then(async () => {
      if (status) writeStatus(status, ++seq, thread, req.extract, shared!.epoch!);
      if (hangOnName !== undefined && req.name === hangOnName) for (;;);
      if (crashOnName !== undefined && req.name === crashOnName) process.exit(70);
      let documents: WireDocument[];
      try {
        const bytes = Buffer.from(req.bytes.buffer, req.bytes.byteOffset, req.bytes.byteLength);
        documents = (await extractBytes(bytes, req.name ?? '', req.sha256, req.contentType, false)).documents;
      } catch (err) {
        const type = detect(req.bytes, { name: req.name, contentType: req.contentType }).type;
        documents = [failedDocument({ sha256: req.sha256, size: req.bytes.byteLength, name: req.name ?? '', type }, 'extract-failed', String((err as Error)?.message ?? err))];
      }
      if (status) clearStatus(status);
      attach.postMessage({ extracted: req.extract, documents } satisfies AttachmentReply);
    });
  });
}

parentPort!.on('message', async (req: LooseRequest | AttachPort) => {
  if ('attach' in req) return serve(req);
  try {
    if (hangOnName !== undefined && 'name' in req && req.name === hangOnName) for (;;);
    const result = 'path' in req ? await extractFile(req.path) : await extractBytes(Buffer.from(req.bytes.buffer, req.bytes.byteOffset, req.bytes.byteLength), req.name, req.sha256, req.contentType, req.sniff !== false);
    parentPort!.postMessage({ id: req.id, ...result } satisfies LooseReply);
  } catch (err) {
    parentPort!.postMessage({ id: req.id, failure: String((err as Error)?.message ?? err) } satisfies LooseReply);
  }
});

async function extractFile(file: string): Promise<LooseResult> {
  const fd = await openEvidence(file);
  try {
    const { size } = await fd.stat();
    const hash = createHash('sha256');
    const keep = size <= LIMITS.maxInputBytes;
    const chunks: Buffer[] = [];
    let head = Buffer.alloc(0);
    for (let pos = 0; pos < size; ) {
      const buf = Buffer.allocUnsafe(Math.min(4 * 1024 * 1024, size - pos));
      const { bytesRead } = await fd.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      const chunk = buf.subarray(0, bytesRead);
      hash.update(chunk);
      if (pos === 0) head = Buffer.from(chunk.subarray(0, SNIFF_BYTES));
      if (keep) chunks.push(chunk);
      pos += bytesRead;
    }
    const sha256 = hash.digest('hex');
    const sniffed = await sniffType(head);
    const name = path.basename(file);
    const documents = keep
      ? (await extractDocuments(Buffer.concat(chunks), { name }, sha256)).map(toWire)
      : [toWire({ sha256, size, name, type: 'other', meta: {}, pages: [], errors: [{ code: 'too-large', message: `larger than the ${LIMITS.maxInputBytes / 1048576} MiB extraction limit (hashed, not opened)` }] })];
    return { sha256, size, sniffed, documents };
  } finally {
    await fd.close();
  }
}

async function extractBytes(bytes: Buffer, name: string, sha256: string, contentType: string | null | undefined, sniff: boolean): Promise<LooseResult> {
  const sniffed = sniff ? await sniffType(bytes.subarray(0, SNIFF_BYTES)) : null;
  return { sha256, size: bytes.length, sniffed, documents: (await extractDocuments(bytes, { name, contentType }, sha256)).map(toWire) };
}

// Modules loaded: the extraction service starts its hard timeouts from here, not from a start that a busy
// machine can make slow.
parentPort!.postMessage({ ready: true });
// The ingest's shared extraction worker is started ahead of the first attachment: it loads pdf.js in the
// background too, so a PDF in the first messages does not wait for it (a request meanwhile awaits the same load).
if ((workerData as { preloadPdf?: boolean } | null)?.preloadPdf) void pdfjs().catch(() => undefined);
reportHeap('extract');
