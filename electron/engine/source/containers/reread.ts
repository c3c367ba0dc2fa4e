import type { ArchiveInput } from './archive';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { sniffContainer, SNIFF_BYTES } from './formats';
import { ContainerError, DEFAULT_LIMITS } from './limits';
import { ExpansionBudget, materialize } from './materialize';
import { openArchive, walkContainer } from './walk';
import { EvidenceChangedError, readEvidenceHead } from '../positional-reader';

/**
 * Re-read `length` bytes at `offset` inside the entry reached by `chain` from the archive at `file`
 * (each name opens the next archive level), decompressing as it goes: nothing is written anywhere.
 * The caller checks the SHA-256 recorded at ingest. Re-reads are serialized (they share the caches below).
 */
export function readEntrySpan(file: string, chain: string[], offset: number, length: number, password?: string): Promise<Buffer> {
  const run = lock.then(() => readSpanNow(file, chain, offset, length, password));
  lock = run.catch(() => {});
  return run;
}

let lock: Promise<unknown> = Promise.resolve();

/** Bounds of the re-read caches (tests lower them) and how many times an archive was opened (tests count). */
export const REREAD = { smallArchiveBytes: 16 * 1024 * 1024, cacheBytes: 64 * 1024 * 1024, opens: 0 };

async function readSpanNow(file: string, chain: string[], offset: number, length: number, password?: string): Promise<Buffer> {
  const limits = DEFAULT_LIMITS;
  const { size, mtimeMs } = await stat(file);
  // Messages of one mbox entry are usually re-read one after another (export, verification): the last
  // entry read is kept in memory when small, keyed by the evidence's size and mtime as well.
  const key = JSON.stringify([file, size, mtimeMs, chain]);
  if (lastEntry?.key === key) return lastEntry.bytes.subarray(offset, offset + length);
  // A large entry's stream stays open where the last read ended: reads that go forward (an export in file
  // order) continue it instead of decompressing a tar.gz from its start for every message.
  if (cursor?.key === key && offset >= cursor.pos) return readForward(cursor, offset, length);
  // A small archive is read whole once and its files kept (7z/RAR need a 7-Zip run per opening).
  if (size <= REREAD.smallArchiveBytes) {
    const cached = await smallArchive(file, size, mtimeMs, password);
    const bytes = cached?.get(JSON.stringify(chain));
    if (bytes) return bytes.subarray(offset, offset + length);
  }
  const budget = new ExpansionBudget(limits.maxExpandRatio * size + limits.expandSlack + offset + length, limits.maxEntries, file);
  let input: ArchiveInput = { path: file };
  let format = sniffContainer(await readEvidenceHead(file, SNIFF_BYTES));
  for (let level = 0; level < chain.length; level++) {
    if (!format) throw new ContainerError('corrupt', `${[file, ...chain.slice(0, level)].join(' → ')} is no longer a readable archive`);
    const reader = await openArchive(input, format, limits, password);
    REREAD.opens++;
    let kept = false;
    // Iterated by hand: leaving a for-await loop would finish the generator, which ends a kept entry's stream.
    const entries = reader.entries();
    try {
      let found = false;
      for (let next = await entries.next(); !next.done; next = await entries.next()) {
        const entry = next.value;
        if (entry.type !== 'file' || entry.name !== chain[level]) continue;
        found = true;
        const bytes = await entry.open();
        if (level === chain.length - 1) {
          if (entry.size === null || entry.size > REREAD.cacheBytes) {
            await closeCursor();
            cursor = { key, it: bytes[Symbol.asyncIterator](), pos: 0, chunk: null, close: async () => (await entries.return(undefined), await reader.close()), timer: null };
            kept = true;
            return await readForward(cursor, offset, length);
          }
          const whole = await materialize(bytes, { memoryCap: REREAD.cacheBytes, spoolDir: null, budget, label: chain[level]! });
          lastEntry = { key, bytes: whole.buffer! };
          return whole.buffer!.subarray(offset, offset + length);
        }
        const inner = await materialize(bytes, { memoryCap: limits.nestedBytes, spoolDir: null, budget, label: chain[level]! });
        input = { buffer: inner.buffer!, name: chain[level]! };
        format = sniffContainer(inner.buffer!.subarray(0, SNIFF_BYTES));
        break;
      }
      if (!found) throw new ContainerError('corrupt', `${chain[level]} not found in ${[file, ...chain.slice(0, level)].join(' → ')}`);
    } finally {
      if (!kept) {
        await entries.return(undefined).catch(() => {});
        await reader.close().catch(() => {});
      }
    }
  }
  throw new ContainerError('corrupt', 'empty entry chain');
}

/** An open, partly read entry stream: `chunk` (not yet passed) starts at byte `pos` of the entry. */
interface Cursor {
  key: string;
  it: AsyncIterator<Buffer>;
  pos: number;
  chunk: Buffer | null;
  close: () => Promise<void>;
  timer: NodeJS.Timeout | null;
}
let cursor: Cursor | null = null;

async function closeCursor(): Promise<void> {
  const c = cursor;
  cursor = null;
  if (!c) return;
  if (c.timer) clearTimeout(c.timer);
  await c.it.return?.().catch(() => {});
  await c.close().catch(() => {});
}

/** Bytes [offset, offset + length) of the entry, reading the stream forward from where it stands. */
async function readForward(c: Cursor, offset: number, length: number): Promise<Buffer> {
  if (c.timer) clearTimeout(c.timer);
  const out: Buffer[] = [];
  let have = 0;
  try {
    while (have < length) {
      if (!c.chunk) {
        const next = await c.it.next();
        if (next.done) break;
        c.chunk = next.value;
      }
      const chunk = c.chunk!;
      const start = Math.max(0, offset - c.pos);
      const end = Math.min(chunk.length, offset + length - c.pos);
      if (end > start) {
        out.push(Buffer.from(chunk.subarray(start, end)));
        have += end - start;
      }
      if (offset + length - c.pos < chunk.length) break; // the span ends inside this chunk: keep it
      c.pos += chunk.length;
      c.chunk = null;
    }
  } catch (err) {
    await closeCursor();
    throw err;
  }
  // An idle stream is closed (it holds the archive open and a decompressor's state).
  c.timer = setTimeout(() => void lock.then(() => (cursor === c ? closeCursor() : undefined)), 30_000).unref();
  return Buffer.concat(out);
}

/** A whole entry (a document inside an archive) re-read through its chain and checked against its SHA-256. */
export async function readVerifiedEntry(file: string, chain: string[], size: number, sha256: string, password?: string): Promise<Buffer> {
  const bytes = await readEntrySpan(file, chain, 0, size, password);
  if (bytes.length !== size || createHash('sha256').update(bytes).digest('hex') !== sha256) {
    throw new EvidenceChangedError(`${[file, ...chain].join(' → ')}: bytes differ from the SHA-256 recorded at ingest (${sha256})`);
  }
  return bytes;
}

let small: { key: string; files: Map<string, Buffer> | null } | null = null;

async function smallArchive(file: string, size: number, mtimeMs: number, password?: string): Promise<Map<string, Buffer> | null> {
  const key = JSON.stringify([file, size, mtimeMs]);
  if (small?.key === key) return small.files;
  const format = sniffContainer(await readEvidenceHead(file, SNIFF_BYTES));
  let files: Map<string, Buffer> | null = new Map();
  let total = 0;
  if (format) {
    const sha256 = createHash('sha256').update(await readFile(file)).digest('hex');
    for await (const e of walkContainer(file, format, { sha256, size, spoolDir: null, password, limits: { inMemoryBytes: REREAD.cacheBytes } })) {
      if (e.type !== 'leaf' || !e.bytes.buffer) continue;
      total += e.bytes.size;
      if (total > REREAD.cacheBytes) {
        files = null;
        break;
      }
      files.set(JSON.stringify(e.chain), e.bytes.buffer);
    }
  }
  small = { key, files };
  return files;
}
let lastEntry: { key: string; bytes: Buffer } | null = null;

