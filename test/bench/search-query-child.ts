// Child process for the search benchmark: open the case (timed), then run a fixed mixed query set.
import { Searcher } from '../../electron/engine/search/searcher';
import { CaseStore } from '../../electron/engine/store/case-store';

/** A fixed mix of what an investigator types: words, French accents, phrases, fields, filters, operators. */
export const QUERY_SET = [
  'budget',
  'élysée',
  'equipe campagne',
  '"second tour"',
  'from:jean.dupont@en-marche.fr',
  'from:en-marche.fr budget',
  'subject:sondage',
  'has:attachment rapport',
  'date:2017-04-01..2017-04-15 meeting',
  'confidential OR confidentiel',
  'campagne -presse',
  'camp*',
  'tresorier~1',
  'filename:pdf',
  'to:alice.martin@example.com after:2017-04-10',
  '"pièce jointe" urgent',
];

if (process.argv[1]?.endsWith("search-query-child.ts")) {
const [caseDir] = process.argv.slice(2);
const t = process.hrtime.bigint();
const store = CaseStore.open(caseDir!);
const searcher = new Searcher(store.db, store.dir).warm();
const openMs = Number(process.hrtime.bigint() - t) / 1e6;
const times: number[] = [];
for (let round = 0; round < 5; round++) {
  for (const q of QUERY_SET) times.push(searcher.search(q, { limit: 50 }).tookMs);
}
times.sort((a, b) => a - b);
const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!;
store.close();
process.stdout.write(JSON.stringify({ openMs, p50: pct(50), p95: pct(95), max: times.at(-1), queries: times.length, maxRssBytes: process.resourceUsage().maxRSS * 1024 }) + '\n');
}
