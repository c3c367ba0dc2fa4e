// Child process for the search benchmark: each query on a freshly opened case (new connection, new
// searcher, shards loaded from disk), as the CLI and the app's first query see it. The wildcard/fuzzy
// set below is reported query by query; with the mixed set of search-query-child.ts it makes the
// issue-15 mix "with wildcards and fuzzy terms, each query on a freshly opened case" (p50/p95/max).
import { Searcher } from '../../electron/engine/search/searcher';
import { CaseStore } from '../../electron/engine/store/case-store';
import { QUERY_SET } from './search-query-child';

export const COLD_SET = ['updat*', 'selinux~1', 'camp*', 'c*gne', 'é*sée', 'tresorier~2', 'budgte', '*tion', 'kernel'];

interface Row { query: string; openMs: number; queryMs: number; total: number; error?: string }

/**
 * Open the case, then run one query. `warm`: the app's way (the searcher loads what fits the budget
 * first; openMs includes it). Not warm: `casefile search`'s way (shards read as the query needs them,
 * so queryMs includes them) — open + query is what one CLI call costs, process start aside.
 */
function fresh(caseDir: string, query: string, warm = true): Row {
  const t = process.hrtime.bigint();
  const store = CaseStore.open(caseDir);
  try {
    const searcher = warm ? new Searcher(store.db, store.dir).warm() : new Searcher(store.db, store.dir);
    const openMs = Number(process.hrtime.bigint() - t) / 1e6;
    try {
      const r = searcher.search(query, { limit: 50 });
      return { query, openMs, queryMs: r.tookMs, total: r.total };
    } catch (err) {
      return { query, openMs, queryMs: Number(process.hrtime.bigint() - t) / 1e6 - openMs, total: 0, error: (err as Error).message };
    }
  } finally {
    store.close();
  }
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

if (process.argv[1]?.endsWith('search-cold-child.ts')) {
  const [caseDir] = process.argv.slice(2);
  const rows = COLD_SET.map((q) => fresh(caseDir!, q));
  const mix = [...rows, ...QUERY_SET.map((q) => fresh(caseDir!, q))];
  const times = rows.map((r) => r.queryMs).sort((a, b) => a - b);
  const mixTimes = mix.map((r) => r.queryMs).sort((a, b) => a - b);
  const opens = mix.map((r) => r.openMs).sort((a, b) => a - b);
  const cli = [...COLD_SET, ...QUERY_SET].map((q) => fresh(caseDir!, q, false));
  const cliTotals = cli.map((r) => r.openMs + r.queryMs).sort((a, b) => a - b);
  process.stdout.write(
    JSON.stringify({
      rows,
      mixRows: mix.map(({ query, queryMs, total }) => ({ query, queryMs, total })),
      p50: pct(times, 50),
      max: times.at(-1),
      mix: { queries: mix.length, p50: pct(mixTimes, 50), p95: pct(mixTimes, 95), max: mixTimes.at(-1), openP50: pct(opens, 50), openMax: opens.at(-1) },
      cli: { p50: pct(cliTotals, 50), p95: pct(cliTotals, 95), max: cliTotals.at(-1), slowest: cli.reduce((a, b) => (b.openMs + b.queryMs > a.openMs + a.queryMs ? b : a)).query },
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
    }) + '\n',
  );
}
