import { createHash } from 'node:crypto';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { ContainerError } from './limits';

/** Decompressed bytes seen so far for one top-level container, checked against the bomb bound. */
export class ExpansionBudget {
  expanded = 0;
  entries = 0;
  constructor(readonly maxBytes: number, readonly maxEntries: number, private readonly label: string) {}

  addBytes(n: number): void {
    this.expanded += n;
    if (this.expanded > this.maxBytes) {
      throw new ContainerError('bomb', `${this.label} expands beyond ${this.maxBytes} bytes (decompression bomb?); stopped there`, true);
    }
  }

  addEntry(): void {
    if (++this.entries > this.maxEntries) throw new ContainerError('bomb', `${this.label} holds more than ${this.maxEntries} entries; stopped there`, true);
  }
}

/** An entry's bytes once read: in memory, or spooled to a file inside the case (large mail entries). */
export interface Materialized {
  size: number;
  sha256: string;
  buffer: Buffer | null;
  file: string | null;
}

let spoolSeq = 0;

/**
 * Read an entry to its end, hashing it. Up to `memoryCap` bytes stay in memory; past that the bytes go to
 * a spool file in `spoolDir` (inside the case) when one is given, else reading stops with an error.
 */
export async function materialize(
  bytes: AsyncIterable<Buffer>,
  opts: { memoryCap: number; spoolDir: string | null; budget: ExpansionBudget; label: string },
): Promise<Materialized> {
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let size = 0;
  let fd: number | null = null;
  let file: string | null = null;
  try {
    for await (const chunk of bytes) {
      opts.budget.addBytes(chunk.length);
      hash.update(chunk);
      size += chunk.length;
      if (fd === null && size > opts.memoryCap) {
        if (!opts.spoolDir) throw new ContainerError('too-large', `${opts.label} is larger than ${opts.memoryCap} bytes, the limit for an archive held in memory`);
        file = path.join(opts.spoolDir, `spool-${process.pid}-${++spoolSeq}`);
        fd = openSync(file, 'wx', 0o600);
        for (const c of chunks) writeAll(fd, c);
        chunks.length = 0;
      }
      if (fd !== null) writeAll(fd, chunk);
      else chunks.push(Buffer.from(chunk));
    }
  } catch (err) {
    if (file) rmSync(file, { force: true });
    throw err;
  } finally {
    if (fd !== null) closeSync(fd);
  }
  return { size, sha256: hash.digest('hex'), buffer: file ? null : Buffer.concat(chunks), file };
}

function writeAll(fd: number, buf: Buffer): void {
  for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
}
