import type Database from 'better-sqlite3';
import { BinaryShard, BLOCK_SIZE, ShardDamaged } from './binary-shard';
import { IndexFeeder } from './index-feeder';
import { ShardCache, type ShardProblem } from './shard-cache';
import { upgradeShard } from './shard-upgrade';

/**
 * Check every shard file of the case (present, intact in every block, of this case and place) and
 * rebuild, in place, each sealed one that is not. An unusable tail shard (still growing) is dropped
 * instead: the ordinary resume that follows re-indexes everything after the last sealed shard.
 * Intact shards of an older format, or of version 4 with blocks of another size, are rewritten as
 * version 4 with today's blocks (read from disk on demand); `upgraded` counts them.
 */
export async function repairShards(db: Database.Database, caseDir: string, upgraded: { count: number } = { count: 0 }): Promise<ShardProblem[]> {
  const cache = new ShardCache(db, caseDir, 1); // budget of one shard: each is checked, none kept
  for (const s of cache.shards) {
    const shard = cache.get(s);
    if (!(shard instanceof BinaryShard)) continue;
    try {
      shard.verify();
      if (shard.version < 4 || shard.blockSize !== BLOCK_SIZE) {
        upgradeShard(db, caseDir, s, shard);
        upgraded.count++;
      }
    } catch (err) {
      if (!(err instanceof ShardDamaged)) throw err;
      cache.markBad(s.seq, err.message);
    }
  }
  const problems = cache.problems;
  for (const p of problems) {
    const sealed = (db.prepare('SELECT sealed FROM index_shards WHERE seq = ?').get(p.seq) as { sealed: number } | undefined)?.sealed;
    if (sealed) await IndexFeeder.rebuild(db, caseDir, p);
    else db.prepare('DELETE FROM index_shards WHERE seq = ?').run(p.seq);
  }
  return problems;
}
