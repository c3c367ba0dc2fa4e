import { extractDocuments, type ExtractHint } from './extract';
import { LIMITS } from './types';
import { toWire, type WireDocument } from './wire';

/** SHA-256s this worker already extracted: equal bytes in many messages are extracted once. */
const done = new Set<string>();
const DONE_CAP = 200_000;

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
    if (this.size > LIMITS.maxInputBytes) {
      return [toWire({ sha256, size: this.size, name: hint.name ?? '', type: 'other', meta: {}, pages: [], errors: [{ code: 'too-large', message: `larger than the ${LIMITS.maxInputBytes / 1048576} MiB extraction limit (hashed, not opened)` }] })];
    }
    const bytes = Buffer.concat(this.chunks);
    this.chunks = [];
    const docs = await extractDocuments(bytes, hint, sha256);
    return docs.map(toWire);
  }
}
