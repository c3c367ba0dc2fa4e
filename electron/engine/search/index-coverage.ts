import type Database from 'better-sqlite3';

/**
 * Whether the shards recorded cover every stored message: shards hold consecutive id ranges, each
 * starting after the one before (index-feeder.ts), so a last shard ending at the largest message id
 * covers them all. Checked after repairShards, which drops a tail shard it cannot use.
 */
export function indexCoversAll(db: Database.Database): boolean {
  const last = (db.prepare('SELECT MAX(last_id) m FROM index_shards').get() as { m: number | null }).m ?? 0;
  const maxId = (db.prepare('SELECT MAX(id) m FROM messages').get() as { m: number | null }).m ?? 0;
  return last >= maxId;
}
