import { readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { BinaryShard } from './binary-shard';
import { shardRecords } from './case-terms-build';
import { PAIR_SLICES_MAGIC, PAIR_SLICES_VERSION, PairSlices, pairSlicesPath, type PairSlicesHeader } from './pair-slices';
import { blockedFileBytes } from './shard-bytes';
import { caseIdOf, openCheckedShard } from './shard-check';
import { INDEX_DIR, shardPath } from './shard-files';

/** Small blocks: a phrase reads 3 rows of a few hundred bytes to a few KiB per group. */
const BLOCK_SIZE = 4 * 1024;

/**
 * The sideways form (pair-slices.ts) of a version 4 shard's pair filters, or null when the shard has none
 * to give (older format).
 */
export function buildPairSlices(shard: BinaryShard): Buffer | null {
  const id = shard.identity;
  if (shard.version < 4 || !id || shard.checksum === null) return null;
  const n = id.lastId - id.firstId + 1;
  const offsetBytes = n > 0x10000 ? 4 : 2;
  const groups: { bytes: number; members: Uint8Array[]; offsets: number[] }[] = [];
  const byLength = new Map<number, number>();
  const filtered = new Uint8Array(n);
  const filters = [...shard.pairFilters()].sort((a, b) => a[0] - b[0]);
  for (const [mid, filter] of filters) {
    if (filter.length === 0 || mid < id.firstId || mid > id.lastId) continue; // may hold anything: loose
    let g = byLength.get(filter.length);
    if (g === undefined) {
      byLength.set(filter.length, (g = groups.length));
      groups.push({ bytes: filter.length, members: [], offsets: [] });
    }
    groups[g]!.members.push(filter);
    groups[g]!.offsets.push(mid - id.firstId);
    filtered[mid - id.firstId] = 1;
  }
  const loose: number[] = [];
  for (let k = 0; k < n; k++) if (!filtered[k]) loose.push(k);
  const parts: Buffer[] = [];
  let at = 0;
  const add = (part: Buffer) => {
    parts.push(part);
    at += part.length;
    return at - part.length;
  };
  const described = groups.map(({ bytes, members, offsets }) => {
    const rowBytes = (members.length + 7) >>> 3;
    const rows = Buffer.alloc(bytes * 8 * rowBytes);
    members.forEach((filter, j) => {
      const column = j >>> 3;
      const mask = 1 << (j & 7);
      for (let b = 0; b < bytes; b++) {
        const v = filter[b]!;
        if (v === 0) continue;
        for (let t = 0; t < 8; t++) if (v & (1 << t)) rows[(b * 8 + t) * rowBytes + column]! |= mask;
      }
    });
    return { bytes, count: members.length, rowsAt: add(rows), membersAt: add(offsetList(offsets, offsetBytes)) };
  });
  const looseAt = add(offsetList(loose, offsetBytes));
  const body = Buffer.concat(parts);
  const header: PairSlicesHeader = {
    version: PAIR_SLICES_VERSION,
    blockSize: BLOCK_SIZE,
    bodyBytes: body.length,
    shard: { ...id, bytes: shard.fileBytes, checksum: shard.checksum },
    offsetBytes,
    groups: described,
    loose: { at: looseAt, count: loose.length },
  };
  return blockedFileBytes(PAIR_SLICES_MAGIC, header, body);
}

/** Offsets as little-endian integers of `width` bytes. */
function offsetList(offsets: number[], width: 2 | 4): Buffer {
  const out = Buffer.alloc(offsets.length * width);
  offsets.forEach((k, i) => (width === 2 ? out.writeUInt16LE(k, i * 2) : out.writeUInt32LE(k, i * 4)));
  return out;
}

/**
 * Write the sideways pair filters of every intact version 4 shard that lacks a current one (a new shard, a
 * rewritten one). Only an accelerator: a shard it fails on keeps being searched through its own filters.
 */
export function updatePairSlices(db: Database.Database, caseDir: string): { written: number; current: number } {
  const caseId = caseIdOf(db);
  const out = { written: 0, current: 0 };
  const records = shardRecords(db);
  removeOrphans(caseDir, new Set(records.map((r) => pairSlicesPath(shardPath(caseDir, r.file)))));
  for (const rec of records) {
    const file = shardPath(caseDir, rec.file);
    let shard: BinaryShard | null = null;
    try {
      shard = openCheckedShard(file, rec, caseId);
      const existing = PairSlices.open(file, shard);
      existing?.close();
      if (existing) {
        out.current++;
        continue;
      }
      const bytes = buildPairSlices(shard);
      if (!bytes) continue;
      const target = pairSlicesPath(file);
      writeFileSync(`${target}.tmp`, bytes);
      renameSync(`${target}.tmp`, target);
      out.written++;
    } catch {
      rmSync(`${pairSlicesPath(file)}.tmp`, { force: true });
    } finally {
      shard?.close();
    }
  }
  return out;
}

/** Sidecars of shards the case no longer records (a shard dropped by a repair): only files of our own name pattern. */
function removeOrphans(caseDir: string, wanted: Set<string>): void {
  let names: string[];
  try {
    names = readdirSync(path.join(caseDir, INDEX_DIR));
  } catch {
    return;
  }
  for (const name of names) {
    const file = shardPath(caseDir, name);
    if (!/^shard-\d+\.pairs$/.test(name) || wanted.has(file)) continue;
    try {
      rmSync(file, { force: true });
    } catch {
      // held open elsewhere (Windows): removed by a later run
    }
  }
}
