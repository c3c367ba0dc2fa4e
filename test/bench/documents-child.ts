// Child process for the documents benchmark: one ingest with or without extraction; seconds, documents, peak RSS.
import { ingest } from '../../electron/engine/ingest/ingest';
import { CaseStore } from '../../electron/engine/store/case-store';

const [source, caseDir, mode] = process.argv.slice(2);
const t = process.hrtime.bigint();
const summary = await ingest({ caseDir: caseDir!, inputs: [source!], extract: mode === 'extract', allowCaseNearEvidence: true });
const seconds = Number(process.hrtime.bigint() - t) / 1e9;
const store = CaseStore.open(caseDir!);
const documents = (store.db.prepare('SELECT COUNT(*) n FROM documents').get() as { n: number }).n;
const withErrors = (store.db.prepare("SELECT COUNT(*) n FROM documents WHERE errors_json != '[]'").get() as { n: number }).n;
store.close();
process.stdout.write(JSON.stringify({ seconds, messages: summary.messages, documents, withErrors, maxRssBytes: process.resourceUsage().maxRSS * 1024 }) + '\n');
