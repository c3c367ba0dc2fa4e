// Profiling aid: run one query on a freshly opened case, `runs` times (each a new connection and searcher),
// after the mix's other queries once (so the JIT is as warm as mid-mix); prints each run's time. With
// `--profile FILE` the last run is recorded with the inspector (a .cpuprofile of the query alone).
// Usage: node --import tsx test/bench/search-one-child.ts <case> <query> [runs] [--profile FILE] [--cold-jit]
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { Searcher } from '../../electron/engine/search/searcher';
import { CaseStore } from '../../electron/engine/store/case-store';
import { COLD_SET } from './search-cold-child';
import { QUERY_SET } from './search-query-child';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const coldJit = args.includes('--cold-jit');
if (coldJit) args.splice(args.indexOf('--cold-jit'), 1);
const profile = flag('--profile');
const [caseDir, query, runsArg] = args as [string, string, string?];
const runs = Number(runsArg ?? 3);

function once(q: string): { ms: number; total: number } {
  const store = CaseStore.open(caseDir);
  try {
    const r = new Searcher(store.db, store.dir).warm().search(q, { limit: 50 });
    return { ms: r.tookMs, total: r.total };
  } finally {
    store.close();
  }
}

if (!coldJit) for (const q of [...COLD_SET, ...QUERY_SET]) if (q !== query) once(q);
const session = profile ? new Session() : null;
const post = (m: string, p?: object) => new Promise<any>((res, rej) => session!.post(m, p ?? {}, (e, r) => (e ? rej(e) : res(r))));
for (let i = 0; i < runs; i++) {
  const last = i === runs - 1;
  if (last && session) {
    session.connect();
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 200 });
    await post('Profiler.start');
  }
  const r = once(query);
  if (last && session) writeFileSync(profile!, JSON.stringify((await post('Profiler.stop')).profile));
  console.log(`${query}\t${r.ms.toFixed(1)} ms\t${r.total} hits`);
}
