import type Database from 'better-sqlite3';
import { BinaryShard, ShardDamaged } from './binary-shard';

/** The case's own id (made by migration 6), written into every shard built for it. */
export function caseIdOf(db: Database.Database): string {
  const row = db.prepare("SELECT value FROM meta WHERE key = 'case_id'").get() as { value: string } | undefined;
  return row?.value ?? '';
}

/** What index_shards records about a shard file. */
export interface ShardRecord {
  seq: number;
  firstId: number;
  lastId: number;
  docs: number;
  bytes: number;
  checksum: number | null;
}

/**
 * Open a binary shard file and check that it is the very file index_shards recorded for this case and
 * place: intact (its CRC-32: the whole file for version 3; for version 4 the header, which holds every
 * block's CRC, each block being checked when it is read), of this case, with this seq, id range and size.
 * Throws ShardDamaged with the reason otherwise. Shards written before these checks existed carry no
 * identity and pass on size alone.
 */
export function openCheckedShard(file: string, rec: ShardRecord, caseId: string): BinaryShard {
  const shard = BinaryShard.openFile(file, rec.seq);
  try {
    checkIdentity(shard, rec, caseId);
  } catch (err) {
    shard.close();
    throw err;
  }
  return shard;
}

function checkIdentity(shard: BinaryShard, rec: ShardRecord, caseId: string): void {
  if (shard.fileBytes !== rec.bytes) throw new ShardDamaged(`its size is ${shard.fileBytes} bytes, ${rec.bytes} were written (truncated or replaced)`);
  const id = shard.identity;
  if (rec.checksum !== null && shard.checksum !== rec.checksum) throw new ShardDamaged('it is not the file that was written there (checksum differs)');
  if (id) {
    if (id.caseId !== caseId) throw new ShardDamaged('it belongs to another case');
    if (id.seq !== rec.seq || id.firstId !== rec.firstId || id.lastId !== rec.lastId || id.docs !== rec.docs) {
      throw new ShardDamaged(`it is shard ${id.seq} (messages ${id.firstId}–${id.lastId}), not shard ${rec.seq}`);
    }
  }
}

export { ShardDamaged };
