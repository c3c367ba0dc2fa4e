// Child process for the search benchmark: (re)build the whole index of a case with a given shard size.
import { IndexFeeder } from '../../electron/engine/search/index-feeder';
import { CaseStore } from '../../electron/engine/store/case-store';

const [caseDir, shardSize] = process.argv.slice(2);
const store = CaseStore.open(caseDir!);
store.db.prepare('DELETE FROM index_shards').run();
const t = process.hrtime.bigint();
const feeder = await IndexFeeder.start(store.db, store.dir, Number(shardSize));
await feeder.finish();
const seconds = Number(process.hrtime.bigint() - t) / 1e9;
const docs = feeder.shardsIndexed.reduce((n, s) => n + s.docs, 0);
const bytes = (store.db.prepare('SELECT SUM(bytes) b FROM index_shards').get() as { b: number }).b;
const shards = (store.db.prepare('SELECT COUNT(*) n FROM index_shards').get() as { n: number }).n;
store.close();
process.stdout.write(JSON.stringify({ seconds, docs, bytes, shards, maxRssBytes: process.resourceUsage().maxRSS * 1024 }) + '\n');
