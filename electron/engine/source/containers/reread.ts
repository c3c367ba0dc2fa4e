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
 * The caller checks the SHA-256 recorded at ingest.
 */
export async function readEntrySpan(file: string, chain: string[], offset: number, length: number, password?: string): Promise<Buffer> {
  const limits = DEFAULT_LIMITS;
  const { size, mtimeMs } = await stat(file);
  // Messages of one mbox entry are usually re-read one after another (export, verification): the last
  // entry read is kept in memory when small, keyed by the evidence's size and mtime as well.
  const key = JSON.stringify([file, size, mtimeMs, chain]);
  if (lastEntry?.key === key) return lastEntry.bytes.subarray(offset, offset + length);
  // A small archive is read whole once and its files kept (7z/RAR need a 7-Zip run per opening).
  if (size <= SMALL_ARCHIVE_BYTES) {
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
    try {
      let found = false;
      for await (const entry of reader.entries()) {
        if (entry.type !== 'file' || entry.name !== chain[level]) continue;
        found = true;
        const bytes = await entry.open();
        if (level === chain.length - 1) {
          if (entry.size === null || entry.size > CACHE_BYTES) return await slice(bytes, offset, length);
          const whole = await materialize(bytes, { memoryCap: CACHE_BYTES, spoolDir: null, budget, label: chain[level]! });
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
      await reader.close().catch(() => {});
    }
  }
  throw new ContainerError('corrupt', 'empty entry chain');
}

/** A whole entry (a document inside an archive) re-read through its chain and checked against its SHA-256. */
export async function readVerifiedEntry(file: string, chain: string[], size: number, sha256: string, password?: string): Promise<Buffer> {
  const bytes = await readEntrySpan(file, chain, 0, size, password);
  if (bytes.length !== size || createHash('sha256').update(bytes).digest('hex') !== sha256) {
    throw new EvidenceChangedError(`${[file, ...chain].join(' → ')}: bytes differ from the SHA-256 recorded at ingest (${sha256})`);
  }
  return bytes;
}

const CACHE_BYTES = 64 * 1024 * 1024;
const SMALL_ARCHIVE_BYTES = 16 * 1024 * 1024;
let small: { key: string; files: Map<string, Buffer> | null } | null = null;

async function smallArchive(file: string, size: number, mtimeMs: number, password?: string): Promise<Map<string, Buffer> | null> {
  const key = JSON.stringify([file, size, mtimeMs]);
  if (small?.key === key) return small.files;
  const format = sniffContainer(await readEvidenceHead(file, SNIFF_BYTES));
  let files: Map<string, Buffer> | null = new Map();
  let total = 0;
  if (format) {
    const sha256 = createHash('sha256').update(await readFile(file)).digest('hex');
    for await (const e of walkContainer(file, format, { sha256, size, spoolDir: null, password, limits: { inMemoryBytes: CACHE_BYTES } })) {
      if (e.type !== 'leaf' || !e.bytes.buffer) continue;
      total += e.bytes.size;
      if (total > CACHE_BYTES) {
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

async function slice(bytes: AsyncIterable<Buffer>, offset: number, length: number): Promise<Buffer> {
  const out: Buffer[] = [];
  let pos = 0;
  let have = 0;
  for await (const chunk of bytes) {
    const start = Math.max(0, offset - pos);
    const end = Math.min(chunk.length, offset + length - pos);
    if (end > start) {
      out.push(Buffer.from(chunk.subarray(start, end)));
      have += end - start;
    }
    pos += chunk.length;
    if (have >= length) break;
  }
  return Buffer.concat(out);
}
