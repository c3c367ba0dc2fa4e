import { renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { ByteWriter, u32, type BinaryShard } from './binary-shard';
import { CASE_TERMS_MAGIC, CASE_TERMS_VERSION, CaseTerms, caseTermsPath, type CaseTermsHeader, type CoveredShard } from './case-terms';
import { caseIdOf, openCheckedShard } from './shard-check';
import { shardPath } from './shard-files';
import { blockedFileBytes } from './shard-bytes';
import { decodeTerms } from './term-dictionary';

const BLOCK_SIZE = 16 * 1024;
/** Terms of a shard decoded at a time while merging (memory: this many per shard, not whole dictionaries). */
const CHUNK = 4096;
/**
 * After an ingest the dictionary is rebuilt when the shards it does not stand for (new or rewritten) make
 * a quarter of those it does: each rebuild reads every shard's dictionary, so rebuilding after every
 * shard of a growing case would cost quadratic time; until then those few are searched on their own.
 */
const STALE_SHARE = 0.25;

/** The binary shards index_shards records (sealed or not: the checksum says when one was rewritten). */
export function shardRecords(db: Database.Database): CoveredShard[] {
  return (db.prepare("SELECT seq, file, first_id firstId, last_id lastId, docs, bytes, checksum FROM index_shards WHERE checksum IS NOT NULL AND file LIKE '%.bin' ORDER BY seq").all() as CoveredShard[]);
}

/** A shard's dictionary read in order, a chunk of decoded terms at a time. */
class Cursor {
  private chunk: string[] = [];
  private chunkAt = 0;
  rank = 0;
  constructor(
    readonly k: number,
    private readonly offsets: Buffer,
    private readonly blob: Buffer,
    private readonly count: number,
  ) {
    this.load();
  }
  get done(): boolean {
    return this.rank >= this.count;
  }
  get term(): string {
    return this.chunk[this.rank - this.chunkAt]!;
  }
  next(): void {
    if (++this.rank - this.chunkAt >= this.chunk.length && !this.done) this.load();
  }
  private load(): void {
    this.chunkAt = this.rank;
    if (this.count > 0) this.chunk = decodeTerms(this.offsets, this.blob, this.rank, Math.min(this.count, this.rank + CHUNK));
  }
}

/**
 * Write the case's term dictionary (case-terms.ts) from every intact binary shard: a k-way merge of
 * their sorted dictionaries (no posting list is read, nothing is re-indexed). A shard that cannot be read
 * is left out (searched on its own). Written beside the old file and renamed over it.
 */
export function buildCaseTerms(db: Database.Database, caseDir: string): { terms: number; shards: number; bytes: number } {
  const caseId = caseIdOf(db);
  const covered: CoveredShard[] = [];
  const cursors: Cursor[] = [];
  for (const rec of shardRecords(db)) {
    let shard: BinaryShard | null = null;
    try {
      shard = openCheckedShard(shardPath(caseDir, rec.file), rec, caseId);
      const { offsets, blob } = shard.dict();
      // Copies: a shard of format 1–3 is one Buffer of the whole file, which must not stay alive here.
      cursors.push(new Cursor(covered.length, Buffer.from(offsets), Buffer.from(blob), shard.termCount));
      covered.push(rec);
    } catch {
      // missing or damaged: not covered; the searcher reports it when a query reads it
    } finally {
      shard?.close();
    }
  }
  const termBytes: Buffer[] = [];
  const termOffsets: number[] = [0];
  const entries = new ByteWriter();
  const entryOffsets: number[] = [0];
  const heap = new CursorHeap(cursors.filter((c) => !c.done));
  const holders: Cursor[] = [];
  while (heap.size > 0) {
    const term = heap.top.term;
    holders.length = 0;
    while (heap.size > 0 && heap.top.term === term) holders.push(heap.pop());
    holders.sort((a, b) => a.k - b.k);
    entries.varint(holders.length);
    let prev = 0;
    for (const c of holders) {
      entries.varint(c.k - prev);
      entries.varint(c.rank);
      prev = c.k;
      c.next();
      if (!c.done) heap.push(c);
    }
    const bytes = Buffer.from(term, 'utf8');
    termBytes.push(bytes);
    termOffsets.push(termOffsets.at(-1)! + bytes.length);
    entryOffsets.push(entries.length);
  }
  const termBlob = Buffer.concat(termBytes);
  const body = Buffer.concat([u32(Uint32Array.from(termOffsets)), termBlob, u32(Uint32Array.from(entryOffsets)), entries.bytes()]);
  const header: CaseTermsHeader = { version: CASE_TERMS_VERSION, caseId, shards: covered, terms: termOffsets.length - 1, termBlobBytes: termBlob.length, entryBytes: entries.length, blockSize: BLOCK_SIZE, bodyBytes: body.length };
  const bytes = blockedFileBytes(CASE_TERMS_MAGIC, header, body);
  const file = caseTermsPath(caseDir);
  writeFileSync(`${file}.tmp`, bytes);
  renameSync(`${file}.tmp`, file);
  return { terms: header.terms, shards: covered.length, bytes: bytes.length };
}

/**
 * After an ingest: rebuild the dictionary when the shards it does not stand for have grown (STALE_SHARE).
 * `always`: whenever any shard is not covered (after shards were rewritten in place, e.g. by the OCR pass,
 * whose own cost dwarfs the rebuild's).
 */
export function updateCaseTerms(db: Database.Database, caseDir: string, { always = false } = {}): ReturnType<typeof buildCaseTerms> | null {
  const { records, covered } = dictionaryOnDisk(db, caseDir);
  if (records.length === 0) return null;
  const stale = records.length - covered;
  if (stale === 0 || (!always && covered > 0 && stale < covered * STALE_SHARE)) return null;
  try {
    return buildCaseTerms(db, caseDir);
  } catch {
    // Only an accelerator: without it (or with the old one) every shard it does not cover is searched on its own.
    rmSync(`${caseTermsPath(caseDir)}.tmp`, { force: true });
    return null;
  }
}

/** The dictionary on disk when it stands for every shard recorded (nothing to rebuild), else null. */
export function currentCaseTerms(db: Database.Database, caseDir: string): ReturnType<typeof buildCaseTerms> | null {
  const { records, covered, file } = dictionaryOnDisk(db, caseDir);
  if (!file || covered !== records.length || file.shards !== records.length) return null;
  return { terms: file.terms, shards: records.length, bytes: statSync(caseTermsPath(caseDir)).size };
}

/** The recorded shards, how many of them the dictionary on disk stands for, and its size (null: none usable). */
function dictionaryOnDisk(db: Database.Database, caseDir: string): { records: CoveredShard[]; covered: number; file: { terms: number; shards: number } | null } {
  const records = shardRecords(db);
  const current = CaseTerms.open(caseDir, caseIdOf(db));
  if (!current) return { records, covered: 0, file: null };
  try {
    return { records, covered: current.coverage(records).size, file: { terms: current.termCount, shards: current.shards.length } };
  } finally {
    current.close();
  }
}

/** Cursors by current term (code-unit order, as the shards sort), smallest on top. */
class CursorHeap {
  constructor(private readonly items: Cursor[]) {
    for (let i = (items.length >> 1) - 1; i >= 0; i--) this.down(i);
  }
  get size(): number {
    return this.items.length;
  }
  get top(): Cursor {
    return this.items[0]!;
  }
  pop(): Cursor {
    const top = this.items[0]!;
    const last = this.items.pop()!;
    if (this.items.length > 0) {
      this.items[0] = last;
      this.down(0);
    }
    return top;
  }
  push(c: Cursor): void {
    const a = this.items;
    let i = a.push(c) - 1;
    while (i > 0 && a[(i - 1) >> 1]!.term > a[i]!.term) {
      [a[i], a[(i - 1) >> 1]] = [a[(i - 1) >> 1]!, a[i]!];
      i = (i - 1) >> 1;
    }
  }
  private down(i: number): void {
    const a = this.items;
    for (;;) {
      const l = 2 * i + 1;
      let m = i;
      if (l < a.length && a[l]!.term < a[m]!.term) m = l;
      if (l + 1 < a.length && a[l + 1]!.term < a[m]!.term) m = l + 1;
      if (m === i) return;
      [a[i], a[m]] = [a[m]!, a[i]!];
      i = m;
    }
  }
}
