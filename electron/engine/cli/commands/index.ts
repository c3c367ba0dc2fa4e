import type Database from 'better-sqlite3';
import { buildCaseTerms, currentCaseTerms } from '../../search/case-terms-build';
import { IndexFeeder } from '../../search/index-feeder';
import { updatePairSlices } from '../../search/pair-slices-build';
import { repairShards } from '../../search/index-repair';
import { indexCoversAll } from '../../search/index-coverage';
import type { ShardWritten } from '../../search/index-worker';
import type { Command } from '../command';
import { withCase } from '../open-case';
import { printJson } from '../output';

export const indexCommand: Command = {
  summary: 'bring the search index up to date (after an interrupted ingest)',
  usage: `Usage: casefile index <case> [--json]

Checks every index shard (present, intact, of this case), rebuilds any that is missing or damaged,
rewrites shards of an older format in the current one (read from disk on demand), then indexes every
message stored after the last complete shard (ingest normally does this itself; an index that already
holds every message is left as it is), and writes the case's term dictionary (index/terms.bin) from the
shards' dictionaries when it does not stand for every shard, and each shard's pair filters turned
sideways (index/shard-NNNNN.pairs: phrases read a few KiB per shard).`,
  options: { json: { type: 'boolean' } },
  async run([dir], values) {
    return withCase(dir, async (store) => {
      const started = Date.now();
      const upgraded = { count: 0 };
      const repaired = await repairShards(store.db, store.dir, upgraded);
      for (const p of repaired) if (!values.json) process.stdout.write(`shard ${p.seq} (messages ${p.firstId}–${p.lastId}) rebuilt: ${p.reason}\n`);
      if (upgraded.count && !values.json) process.stdout.write(`${upgraded.count} shards rewritten in the current format\n`);
      // A complete index is left as it is: feeding again would rebuild its unsealed tail shard (up to 10,000 messages).
      const shards = indexCoversAll(store.db) ? [] : await indexTheRest(store.db, store.dir);
      const docs = shards.reduce((n, s) => n + s.docs, 0);
      const caseTerms = currentCaseTerms(store.db, store.dir) ?? buildCaseTerms(store.db, store.dir);
      const pairSlices = updatePairSlices(store.db, store.dir);
      const out = { shardsWritten: shards.length, docs, repaired, upgraded: upgraded.count, caseTerms, pairSlices, seconds: (Date.now() - started) / 1000 };
      if (values.json) printJson(out);
      else process.stdout.write(`${out.shardsWritten} shards written (${docs} messages) in ${out.seconds.toFixed(1)} s\n`);
      return 0;
    });
  },
};

async function indexTheRest(db: Database.Database, caseDir: string): Promise<ShardWritten[]> {
  const feeder = await IndexFeeder.start(db, caseDir);
  await feeder.finish();
  return feeder.shardsIndexed;
}
