import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { DocumentWriter } from '../documents/document-store';
import { runOne, startExtractWorker } from '../documents/loose-files';
import { LIMITS } from '../documents/types';
import { toWire, type WireDocument } from '../documents/wire';
import { sniffType } from '../parse/sniff';
import type { Materialized } from '../source/containers/materialize';
import { entryDisplayPath } from '../store/container-entries';

/** What an archive entry that is not mail became: its documents, to be stored in the pipeline's order. */
export interface EntryDocument {
  documents: WireDocument[];
  sniffed: string | null;
  /** The first extraction error, for the entry's `detail` (null when it read cleanly). */
  problem: string | null;
}

/**
 * Archive entries that are not mail become documents exactly like loose files of a folder (issue 11
 * item 2): extracted in the same worker (terminated when it hangs), recorded with hash and sniffed type
 * even when unreadable. The location is the entry's display path (`dump.zip!/docs/a.pdf`) with the
 * archive's mtime; the chain itself, size and SHA-256 are in `container_entries`, which `readEntrySpan`
 * re-reads through.
 */
export class EntryDocuments {
  private worker: Worker | null = null;
  private readonly writer: DocumentWriter;

  constructor(db: Database.Database) {
    this.writer = new DocumentWriter(db);
  }

  async extract(chain: string[], head: Buffer, bytes: Materialized): Promise<EntryDocument> {
    const name = path.posix.basename(chain[chain.length - 1]!);
    const sniffed = await sniffType(head);
    if (bytes.size > LIMITS.maxInputBytes) {
      const message = `larger than the ${LIMITS.maxInputBytes / 1048576} MiB extraction limit (hashed, not opened)`;
      return this.unread(name, bytes, sniffed, 'too-large', message);
    }
    const data = bytes.buffer ?? (await readFile(bytes.file!)); // a spool file inside the case
    this.worker ??= startExtractWorker();
    const reply = await runOne(this.worker, { bytes: data, name, sha256: bytes.sha256 });
    if ('failure' in reply) {
      void this.worker.terminate();
      this.worker = null;
      return this.unread(name, bytes, sniffed, reply.code, reply.failure);
    }
    const first = reply.documents[0]?.errors[0];
    return { documents: reply.documents, sniffed: reply.sniffed ?? sniffed, problem: first ? `${first.code}: ${first.message}` : null };
  }

  /** Store an entry's documents and its location (inside the caller's transaction). */
  store(containerPath: string, mtimeMs: number, chain: string[], bytes: Materialized, doc: EntryDocument): void {
    for (const d of doc.documents) this.writer.store(d);
    this.writer.storeLoose(entryDisplayPath(containerPath, chain), bytes.size, mtimeMs, bytes.sha256, doc.sniffed);
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = null;
  }

  private unread(name: string, bytes: Materialized, sniffed: string | null, code: string, message: string): EntryDocument {
    const doc = toWire({ sha256: bytes.sha256, size: bytes.size, name, type: 'other', meta: {}, pages: [], errors: [{ code, message }] });
    return { documents: [doc], sniffed, problem: `${code}: ${message}` };
  }
}
