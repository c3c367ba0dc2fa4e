// Profiling aid: the fresh-open mix (search-cold-child.ts) `passes` times in one process, each query on a
// freshly opened case, printed query by query and pass by pass: the first pass shows what V8's compiling
// and first use add to each query, the later ones the query alone.
// Usage: node --import tsx test/bench/search-mix-passes-child.ts <case> [passes] [query-to-profile file.cpuprofile]
// (the named query's first pass is recorded with the inspector).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { Searcher } from '../../electron/engine/search/searcher';
import { CaseStore } from '../../electron/engine/store/case-store';
import { COLD_SET } from './search-cold-child';
import { QUERY_SET } from './search-query-child';

const [caseDir, passesArg, profiled, profileFile] = process.argv.slice(2) as [string, string?, string?, string?];
const session = profiled ? new Session() : null;
session?.connect();
const post = (m: string, p: object = {}) => session!.post(m, p, (e) => { if (e) throw e; });
const queries = [...COLD_SET, ...QUERY_SET];
const table = queries.map(() => [] as number[]);
for (let p = 0; p < Number(passesArg ?? 2); p++) {
  queries.forEach((q, i) => {
    const profiling = p === 0 && q === profiled;
    if (profiling) {
      post('Profiler.enable');
      post('Profiler.setSamplingInterval', { interval: 100 });
      post('Profiler.start');
    }
    const store = CaseStore.open(caseDir);
    try {
      table[i]!.push(new Searcher(store.db, store.dir).warm().search(q, { limit: 50 }).tookMs);
    } finally {
      store.close();
    }
    if (profiling) session!.post('Profiler.stop', {}, (_e, r) => writeFileSync(profileFile!, JSON.stringify((r as { profile: object }).profile)));
  });
}
for (let p = 0; p < table[0]!.length; p++) {
  const s = table.map((t) => t[p]!).sort((a, b) => a - b);
  console.log(`pass ${p + 1}: p50 ${s[12]!.toFixed(1)} p95 ${s[23]!.toFixed(1)} max ${s[24]!.toFixed(1)}`);
}
queries.forEach((q, i) => console.log(table[i]!.map((t) => t.toFixed(1).padStart(8)).join(''), ' ', q));
