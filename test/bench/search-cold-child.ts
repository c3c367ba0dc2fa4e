// Child process for the search benchmark: each query of a wildcard/fuzzy mix on a freshly opened case
// (new connection, new searcher, shards loaded from disk), as the CLI and the app's first query see it.
import { Searcher } from '../../electron/engine/search/searcher';
import { CaseStore } from '../../electron/engine/store/case-store';

export const COLD_SET = ['updat*', 'selinux~1', 'camp*', 'c*gne', 'é*sée', 'tresorier~2', 'budgte', '*tion', 'kernel'];

if (process.argv[1]?.endsWith('search-cold-child.ts')) {
  const [caseDir] = process.argv.slice(2);
  const rows: { query: string; openMs: number; queryMs: number; total: number; error?: string }[] = [];
  for (const query of COLD_SET) {
    const t = process.hrtime.bigint();
    const store = CaseStore.open(caseDir!);
    const searcher = new Searcher(store.db, store.dir).warm();
    const openMs = Number(process.hrtime.bigint() - t) / 1e6;
    try {
      const r = searcher.search(query, { limit: 50 });
      rows.push({ query, openMs, queryMs: r.tookMs, total: r.total });
    } catch (err) {
      rows.push({ query, openMs, queryMs: Number(process.hrtime.bigint() - t) / 1e6 - openMs, total: 0, error: (err as Error).message });
    }
    store.close();
  }
  const times = rows.map((r) => r.queryMs).sort((a, b) => a - b);
  process.stdout.write(JSON.stringify({ rows, p50: times[Math.floor(times.length / 2)], max: times.at(-1) }) + '\n');
}
