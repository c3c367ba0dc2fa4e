// Child process for the search benchmark: bring the case's term dictionary (index/terms.bin) up to date,
// as an ingest does at its end (rebuilt when the shards it does not stand for reach a quarter; written when
// absent, e.g. a case indexed before it existed), and the shards' sideways pair filters (index/*.pairs), as an
// ingest also writes them. Prints what was written and how long it took.
import { updateCaseTerms } from '../../electron/engine/search/case-terms-build';
import { updatePairSlices } from '../../electron/engine/search/pair-slices-build';
import { CaseStore } from '../../electron/engine/store/case-store';

const [caseDir] = process.argv.slice(2);
const store = CaseStore.open(caseDir!);
const t = process.hrtime.bigint();
const built = updateCaseTerms(store.db, store.dir);
const pairSlices = updatePairSlices(store.db, store.dir);
const seconds = Number(process.hrtime.bigint() - t) / 1e9;
store.close();
process.stdout.write(JSON.stringify({ built, pairSlices, seconds, maxRssBytes: process.resourceUsage().maxRSS * 1024 }) + '\n');
