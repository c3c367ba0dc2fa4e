// Child process for the search benchmark: overview latency (facets + timeline + matrix) after a query.
import { FacetService } from '../../electron/engine/facets/facet-service';
import { Searcher } from '../../electron/engine/search/searcher';
import { CaseStore } from '../../electron/engine/store/case-store';
import { QUERY_SET } from './search-query-child';

const [caseDir] = process.argv.slice(2);
const store = CaseStore.open(caseDir!);
const searcher = new Searcher(store.db, store.dir).warm();
const service = new FacetService(store.db, () => searcher, store.dir);
const t = performance.now();
service.compute('', {});
const firstMs = performance.now() - t; // loads the facet columns of every message (once per open case)
const top = service.compute('', {}).facets.domain[0]?.value ?? '';
const variants: Record<string, unknown>[] = [{}, { stackBy: 'mailbox' }, { filters: { domain: [top] } }, { stackBy: 'language', unit: 'week' }];
const times: number[] = [];
for (const q of ['', ...QUERY_SET]) for (const v of variants) times.push(service.compute(q, v).tookMs);
times.sort((a, b) => a - b);
const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!;
store.close();
process.stdout.write(JSON.stringify({ firstMs, p50: pct(50), p95: pct(95), max: times.at(-1), runs: times.length }) + '\n');
