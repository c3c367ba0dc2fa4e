import { IndexFeeder } from '../../search/index-feeder';
import type { Command } from '../command';
import { withCase } from '../open-case';
import { printJson } from '../output';

export const indexCommand: Command = {
  summary: 'bring the search index up to date (after an interrupted ingest)',
  usage: `Usage: casefile index <case> [--json]

Indexes every message stored after the last complete index shard (ingest normally does this itself).`,
  options: { json: { type: 'boolean' } },
  async run([dir], values) {
    return withCase(dir, async (store) => {
      const started = Date.now();
      const feeder = await IndexFeeder.start(store.db, store.dir);
      await feeder.finish();
      const docs = feeder.shardsWritten.reduce((n, s) => n + s.docs, 0);
      const out = { shardsWritten: feeder.shardsWritten.length, docs, seconds: (Date.now() - started) / 1000 };
      if (values.json) printJson(out);
      else process.stdout.write(`${out.shardsWritten} shards written (${docs} messages) in ${out.seconds.toFixed(1)} s\n`);
      return 0;
    });
  },
};
