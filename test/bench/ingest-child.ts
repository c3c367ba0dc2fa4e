// Child process for the ingest benchmark: one ingest, reports seconds and its own peak RSS.
// Modes: `no-index` skips the index; a 4th argument `no-extract` skips document extraction.
import { ingest } from '../../electron/engine/ingest/ingest';

const [source, caseDir, mode, extractMode] = process.argv.slice(2);
const t = process.hrtime.bigint();
const summary = await ingest({ caseDir: caseDir!, inputs: [source!], index: mode !== 'no-index', extract: extractMode !== 'no-extract' });
const seconds = Number(process.hrtime.bigint() - t) / 1e9;
process.stdout.write(JSON.stringify({ seconds, messages: summary.messages, duplicates: summary.duplicates, errors: summary.errors, maxRssBytes: process.resourceUsage().maxRSS * 1024 }) + '\n');
