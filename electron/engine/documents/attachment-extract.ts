import { parentPort } from 'node:worker_threads';
import type { ExtractHint } from './extract';
import type { ExtractService } from './extract-service';
import { requestExtraction } from './extract-client';
import { LIMITS } from './types';
import { toWire, type WireDocument } from './wire';

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
    return requestExtraction(parentPort, bytes, sha256, hint);
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
