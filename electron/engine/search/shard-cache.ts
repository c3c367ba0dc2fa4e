import { readFileSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { BinaryShard } from './binary-shard';
import { LeanShard } from './lean-shard';
import { shardPath } from './shard-files';

export interface ShardInfo {
  seq: number;
  file: string;
  firstId: number;
  lastId: number;
  docs: number;
  bytes: number;
}

/** Memory a loaded shard takes per byte of its file: a binary shard is its Buffer; legacy JSON expands. */
const MEMORY_PER_FILE_BYTE = { bin: 1.2, json: 8 }; // json measured: 289 MiB of shard JSON → ≈2.3 GiB RSS
const memoryOf = (s: ShardInfo) => s.bytes * (s.file.endsWith('.json') ? MEMORY_PER_FILE_BYTE.json : MEMORY_PER_FILE_BYTE.bin);

export type ShardIndex = BinaryShard | LeanShard;
export const DEFAULT_SHARD_BUDGET = 3 * 1024 * 1024 * 1024;

/**
 * The case's index shards, loaded on demand and kept while they fit a memory budget (least recently
 * used shards are dropped beyond it). A case whose shards fit is fully resident: every query is served
 * from memory. A larger case (≈1M messages) still answers every query, loading shards as it goes, with
 * memory bounded by the budget instead of by the archive.
 */
export class ShardCache {
  readonly shards: ShardInfo[];
  private readonly loaded = new Map<number, ShardIndex>();
  private residentBytes = 0;

  constructor(
    db: Database.Database,
    private readonly caseDir: string,
    private readonly budgetBytes = DEFAULT_SHARD_BUDGET,
  ) {
    this.shards = (db.prepare('SELECT seq, file, first_id, last_id, docs, bytes FROM index_shards ORDER BY seq').all() as any[]).map((r) => ({
      seq: r.seq,
      file: r.file,
      firstId: r.first_id,
      lastId: r.last_id,
      docs: r.docs,
      bytes: r.bytes,
    }));
  }

  /** Load as many shards as the budget holds (called when a case is opened). */
  warm(): void {
    for (const s of this.shards) {
      if (this.residentBytes + memoryOf(s) > this.budgetBytes) break;
      this.get(s);
    }
  }

  get(shard: ShardInfo): ShardIndex {
    const hit = this.loaded.get(shard.seq);
    if (hit) {
      this.loaded.delete(shard.seq);
      this.loaded.set(shard.seq, hit);
      return hit;
    }
    const bytes = readFileSync(shardPath(this.caseDir, shard.file));
    const index = shard.file.endsWith('.json') ? new LeanShard(JSON.parse(bytes.toString('utf8'))) : new BinaryShard(bytes);
    this.residentBytes += memoryOf(shard);
    this.loaded.set(shard.seq, index);
    while (this.residentBytes > this.budgetBytes && this.loaded.size > 1) {
      const [oldest] = this.loaded.keys();
      this.loaded.delete(oldest!);
      this.residentBytes -= memoryOf(this.shards.find((s) => s.seq === oldest)!);
    }
    return index;
  }

  /** The shard whose id range holds message `id`, if any. */
  shardOf(id: number): ShardInfo | undefined {
    let lo = 0;
    let hi = this.shards.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.shards[mid]!;
      if (id < s.firstId) hi = mid - 1;
      else if (id > s.lastId) lo = mid + 1;
      else return s;
    }
    return undefined;
  }

  get residentShards(): number {
    return this.loaded.size;
  }
}
