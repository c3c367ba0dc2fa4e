import { Searcher } from './electron/engine/search/searcher';
import { CaseStore } from './electron/engine/store/case-store';
import { QUERY_SET } from './test/bench/search-query-child';
const t0 = Date.now();
const store = CaseStore.open('/tmp/casefile-bench/cases/search-100000');
const s = new Searcher(store.db, store.dir).warm();
console.log('open', Date.now() - t0, 'ms');
for (const q of QUERY_SET) {
  const r = [0, 1, 2].map(() => s.search(q, { limit: 50 }));
  console.log(q.padEnd(45), r.map((x) => x.tookMs.toFixed(0)).join(' '), 'total', r[0]!.total);
}
