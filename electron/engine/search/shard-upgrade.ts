import { renameSync, writeFileSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { encodeShardSource, shardChecksum, type BinaryShard, type ShardIdentity, type ShardSource } from './binary-shard';
import type { ShardInfo } from './shard-cache';
import { caseIdOf } from './shard-check';
import { shardPath } from './shard-files';

/** A binary shard of any version read back as what it was written from (same terms, lists and weights). */
function sourceOf(shard: BinaryShard): ShardSource {
  return {
    fields: shard.fields,
    terms: Array.from({ length: shard.termCount }, (_, i) => shard.termAt(i)),
    list: (t, f, ids, weights) => shard.listAt(t, f, ids, weights),
  };
}

/** The version 4 file of a shard of any version (blocks of today's size unless told: tests write older files). */
export function upgradedBytes(shard: BinaryShard, identity: ShardIdentity, blockSize?: number): Buffer {
  return encodeShardSource(sourceOf(shard), shard.pairFilters(), identity, blockSize);
}

/**
 * Rewrite an intact shard of an older format (1–3), or of version 4 with blocks of another size, as
 * version 4 with today's blocks, which a query reads from disk block by block instead of whole: the same
 * terms, posting lists, weights and pair filters (copied, not re-indexed), with the identity index_shards
 * records. Written beside it and renamed over it, so the file is always whole; index_shards then records
 * the new size and checksum.
 */
export function upgradeShard(db: Database.Database, caseDir: string, rec: ShardInfo, shard: BinaryShard): void {
  const bytes = upgradedBytes(shard, { caseId: caseIdOf(db), seq: rec.seq, firstId: rec.firstId, lastId: rec.lastId, docs: rec.docs });
  const file = shardPath(caseDir, rec.file);
  writeFileSync(`${file}.tmp`, bytes);
  renameSync(`${file}.tmp`, file);
  db.prepare('UPDATE index_shards SET bytes = ?, checksum = ? WHERE seq = ?').run(bytes.length, shardChecksum(bytes), rec.seq);
}
