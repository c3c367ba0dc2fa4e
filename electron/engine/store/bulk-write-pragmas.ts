import type Database from 'better-sqlite3';

/**
 * SQLite settings for the ingest's connection, which writes a batch of messages per transaction
 * (issue 15). The default page cache (2 MiB) is smaller than one batch's rows plus the index pages they
 * touch (locations by SHA-256 and by source, messages by Message-ID are scattered), and the default
 * checkpoint every 1,000 pages (4 MiB of WAL) copies pages back into the database every few batches,
 * the same index pages again each time. A 32 MiB cache and a checkpoint every 64 MiB of WAL cut the
 * main thread's COMMIT time; durability is unchanged (still WAL with synchronous = NORMAL, every batch
 * committed), and closing the case checkpoints what is left. Connection settings only: nothing is
 * stored in the case file.
 */
export function tuneForBulkWrites(db: Database.Database): void {
  db.pragma('cache_size = -32768');
  db.pragma('wal_autocheckpoint = 16384');
}
