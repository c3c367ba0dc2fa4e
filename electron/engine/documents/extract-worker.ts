// Worker thread: extracts loose files (read-only), archive entries and attachments (bytes sent by a parse
// worker), so a hostile document can be stopped by terminating it and its heap is capped on its own.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { sniffType, SNIFF_BYTES } from '../parse/sniff';
import { openEvidence } from '../source/positional-reader';
import { extractDocuments } from './extract';
import { pdfjs } from './pdf';
import { LIMITS } from './types';
import { toWire, type WireDocument } from './wire';

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

parentPort!.on('message', async (req: LooseRequest) => {
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
