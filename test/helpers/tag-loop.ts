// Child process for the kill -9 test: tags messages one transaction at a time and acknowledges each on
// stdout only after it committed; every 25th step also runs a bulk tag of every message in one transaction.
import { CaseStore } from '../../electron/engine/store/case-store';
import { TagStore } from '../../electron/engine/tags/tag-store';

const store = CaseStore.open(process.argv[2]!);
const tags = new TagStore(store.db, store.audit);
const ids = (store.db.prepare('SELECT id FROM messages ORDER BY id').raw().all() as [number][]).map((r) => r[0]);
for (let round = 0; ; round++) {
  for (const [i, id] of ids.entries()) {
    tags.add(`single-${round}`, [id], 'kill test');
    process.stdout.write(`ack ${round} ${id}\n`);
    if (i % 25 === 0) {
      tags.add(`bulk-${round}-${i}`, ids, 'kill test');
      process.stdout.write(`bulk ${round} ${i}\n`);
    }
  }
}
