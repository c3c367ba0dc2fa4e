import type Database from 'better-sqlite3';
import { IndexFeeder } from './index-feeder';
import { ShardCache, type ShardProblem } from './shard-cache';

/**
 * Check every shard file of the case (present, intact, of this case and place) and rebuild, in place,
 * each sealed one that is not. An unusable tail shard (still growing) is dropped instead: the
 * ordinary resume that follows re-indexes everything after the last sealed shard.
 */
export async function repairShards(db: Database.Database, caseDir: string): Promise<ShardProblem[]> {
  const cache = new ShardCache(db, caseDir, 1); // budget of one shard: each is checked, none kept
  for (const s of cache.shards) cache.get(s);
  const problems = cache.problems;
  for (const p of problems) {
    const sealed = (db.prepare('SELECT sealed FROM index_shards WHERE seq = ?').get(p.seq) as { sealed: number } | undefined)?.sealed;
    if (sealed) await IndexFeeder.rebuild(db, caseDir, p);
    else db.prepare('DELETE FROM index_shards WHERE seq = ?').run(p.seq);
  }
  return problems;
}
