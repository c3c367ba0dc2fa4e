// The 25 queries of the fresh-open mix (search-cold-child.ts), four passes in one process, each query on
// a freshly opened case: shows how much of a pass's p95 is V8 compiling the search code (the first pass
// of a process) rather than the query. `node --import tsx test/bench/search-pass-order-child.ts <case>
// [warm|cold]`: which way the first pass opens (warm(): the app's way; cold: open + query timed together).
import { Searcher } from '../../electron/engine/search/searcher';
import { CaseStore } from '../../electron/engine/store/case-store';
import { COLD_SET } from './search-cold-child';
import { QUERY_SET } from './search-query-child';

function pass(caseDir: string, warm: boolean): string {
  const times: number[] = [];
  for (const query of [...COLD_SET, ...QUERY_SET]) {
    const started = process.hrtime.bigint();
    const store = CaseStore.open(caseDir);
    try {
      const searcher = warm ? new Searcher(store.db, store.dir).warm() : new Searcher(store.db, store.dir);
      const result = searcher.search(query, { limit: 50 });
      times.push(warm ? result.tookMs : Number(process.hrtime.bigint() - started) / 1e6);
    } finally {
      store.close();
    }
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!.toFixed(0);
  return `${warm ? 'warm(), query timed' : 'open + query timed'}: p50 ${at(50)} ms, p95 ${at(95)} ms, max ${times.at(-1)!.toFixed(0)} ms`;
}

const [caseDir, first = 'warm'] = process.argv.slice(2);
if (!caseDir) throw new Error('usage: search-pass-order-child.ts <case> [warm|cold]');
const warmFirst = first === 'warm';
for (const warm of [warmFirst, !warmFirst, warmFirst, !warmFirst]) console.log(pass(caseDir, warm));
