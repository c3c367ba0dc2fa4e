import { buildCaseTerms } from '../../search/case-terms-build';
import { IndexFeeder } from '../../search/index-feeder';
import { updatePairSlices } from '../../search/pair-slices-build';
import { repairShards } from '../../search/index-repair';
import type { Command } from '../command';
import { withCase } from '../open-case';
import { printJson } from '../output';

export const indexCommand: Command = {
  summary: 'bring the search index up to date (after an interrupted ingest)',
  usage: `Usage: casefile index <case> [--json]

Checks every index shard (present, intact, of this case), rebuilds any that is missing or damaged,
rewrites shards of an older format in the current one (read from disk on demand), then indexes every
message stored after the last complete shard (ingest normally does this itself), and writes the case's
term dictionary (index/terms.bin) from the shards' dictionaries, and each shard's pair filters turned
sideways (index/shard-NNNNN.pairs: phrases read a few KiB per shard).`,
  options: { json: { type: 'boolean' } },
  async run([dir], values) {
    return withCase(dir, async (store) => {
      const started = Date.now();
      const upgraded = { count: 0 };
      const repaired = await repairShards(store.db, store.dir, upgraded);
      for (const p of repaired) if (!values.json) process.stdout.write(`shard ${p.seq} (messages ${p.firstId}–${p.lastId}) rebuilt: ${p.reason}\n`);
      if (upgraded.count && !values.json) process.stdout.write(`${upgraded.count} shards rewritten in the current format\n`);
      const feeder = await IndexFeeder.start(store.db, store.dir);
      await feeder.finish();
      const docs = feeder.shardsWritten.reduce((n, s) => n + s.docs, 0);
      const caseTerms = buildCaseTerms(store.db, store.dir);
      const pairSlices = updatePairSlices(store.db, store.dir);
      const out = { shardsWritten: feeder.shardsWritten.length, docs, repaired, upgraded: upgraded.count, caseTerms, pairSlices, seconds: (Date.now() - started) / 1000 };
      if (values.json) printJson(out);
      else process.stdout.write(`${out.shardsWritten} shards written (${docs} messages) in ${out.seconds.toFixed(1)} s\n`);
      return 0;
    });
  },
};
