import { parentPort } from 'node:worker_threads';
import type { ExtractHint } from './extract';
import type { ExtractService } from './extract-service';
import { LIMITS } from './types';
import { toWire, type WireDocument } from './wire';

/** Parse worker → pool: extract this attachment (its bytes transferred). */
export interface ExtractRequest {
  extract: number;
  bytes: Uint8Array;
  sha256: string;
  name: string | null;
  contentType: string | null;
}
/** Pool → parse worker: the documents of request `extracted`. */
export interface ExtractReply {
  extracted: number;
  documents: WireDocument[];
}

const waiting = new Map<number, (docs: WireDocument[]) => void>();
let nextId = 1;
let listening = false;
/** Outside a worker (a caller parsing on its own thread): a local service, loaded on first use. */
let local: Promise<ExtractService> | null = null;
const localDone = new Set<string>();
/** Tests: forget what the local service extracted, so the same attachment is extracted again. */
export function forgetLocalExtractions(): void {
  localDone.clear();
}

/**
 * Collects an attachment's decoded bytes as the parser streams them (up to LIMITS.maxInputBytes; a
 * larger one is recorded, not opened) and, once its hash is known, hands them to the ingest's one
 * extraction worker (extract-service.ts, owned by the parse pool): no extractor is loaded in the parse
 * worker, so it is ready to parse at once and pdf.js lives in a single isolate.
 */
export class AttachmentCollector {
  private chunks: Buffer[] = [];
  private size = 0;
  /** Set by own(): the one chunk is memory nothing else uses, so it may be transferred as it is. */
  private owned = false;

  push(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size <= LIMITS.maxInputBytes) this.chunks.push(chunk);
    else this.chunks = [];
  }

  /**
   * The whole attachment, decoded into memory of its own (the fast MIME path's base64 and quoted-printable
   * output): transferred to the extraction worker without the copy push() needs. A view into other memory
   * (an undecoded part is a slice of the message) is copied as before.
   */
  own(content: Buffer): void {
    this.push(content);
    this.owned = content.byteOffset === 0 && content.buffer.byteLength > Buffer.poolSize;
  }

  async finish(sha256: string, hint: ExtractHint): Promise<WireDocument[]> {
    const name = hint.name ?? '';
    if (this.size > LIMITS.maxInputBytes) {
      return [toWire({ sha256, size: this.size, name, type: 'other', meta: {}, pages: [], errors: [{ code: 'too-large', message: `larger than the ${LIMITS.maxInputBytes / 1048576} MiB extraction limit (hashed, not opened)` }] })];
    }
    const bytes = this.owned && this.chunks.length === 1 ? this.chunks[0]! : this.copy();
    this.chunks = [];
    if (!parentPort) {
      local ??= import('./extract-service').then((m) => new m.ExtractService());
      return (await local).extract(bytes, sha256, hint, localDone);
    }
    return request(parentPort, { extract: nextId++, bytes, sha256, name: hint.name ?? null, contentType: hint.contentType ?? null });
  }

  /** The chunks in an ArrayBuffer of its own (never Node's shared pool), so it can be transferred. */
  private copy(): Uint8Array {
    const bytes = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) {
      bytes.set(c, at);
      at += c.length;
    }
    return bytes;
  }
}

function request(port: NonNullable<typeof parentPort>, req: ExtractRequest): Promise<WireDocument[]> {
  if (!listening) {
    listening = true;
    port.on('message', (m: Partial<ExtractReply>) => {
      if (typeof m?.extracted !== 'number') return;
      waiting.get(m.extracted)?.(m.documents ?? []);
      waiting.delete(m.extracted);
    });
  }
  return new Promise((resolve) => {
    waiting.set(req.extract, resolve);
    port.postMessage(req, [req.bytes.buffer as ArrayBuffer]);
  });
}
