// `npm run bench:cli [-- --case DIR | --messages N] [--runs N]`: wall time of one cold `casefile search`
// (a new process each time, as a script calling the CLI per question would) through the TypeScript sources
// (tsx), through the compiled CLI (node bin/casefile.mjs) and through `npx casefile`. Median of N runs.
// Without --case, a case of N generated messages (default 10,000) is built once under $CASEFILE_BENCH_DIR.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildCli } from '../../scripts/build-cli.mjs';
import { generateMbox } from '../fixtures/archive-generator';
import { BENCH_DIR } from './bench-util';

const REPO = path.resolve(import.meta.dirname, '../..');
const { values } = parseArgs({ options: { case: { type: 'string' }, messages: { type: 'string', default: '10000' }, runs: { type: 'string', default: '11' } } });
const runs = Number(values.runs);
const QUERIES = ['kernel', 'campagne', 'camp*', 'tresorier~1', '"second tour"'];

async function benchCase(): Promise<string> {
  if (values.case) return path.resolve(values.case);
  const n = Number(values.messages);
  const caseDir = path.join(BENCH_DIR, 'cases', `cli-${n}`);
  if (existsSync(path.join(caseDir, 'case.sqlite'))) return caseDir;
  const mbox = path.join(BENCH_DIR, 'evidence', `cli-${n}.mbox`);
  process.stderr.write(`generating ${n} messages and ingesting them into ${caseDir}…\n`);
  await generateMbox(mbox, Number.MAX_SAFE_INTEGER, 2017, n);
  const r = spawnSync(process.execPath, ['bin/casefile.mjs', 'ingest', mbox, '--case', caseDir], { cwd: REPO, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('ingest failed');
  return caseDir;
}

function timeOnce(cmd: string, args: string[], env: NodeJS.ProcessEnv): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: REPO, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

const caseDir = await benchCase();
await buildCli();
const variants: [string, string, string[], NodeJS.ProcessEnv][] = [
  ['source (tsx)', process.execPath, ['bin/casefile.mjs'], { CASEFILE_CLI: 'source' }],
  ['compiled, node bin/casefile.mjs', process.execPath, ['bin/casefile.mjs'], {}],
  ['compiled, npx casefile', 'npx', ['casefile'], {}],
];
console.log(`case ${caseDir}; ${runs} runs each; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`| query | ${variants.map(([name]) => name).join(' | ')} |`);
console.log(`|---|${variants.map(() => '---|').join('')}`);
for (const q of QUERIES) {
  const cells = variants.map(([, cmd, pre, env]) => {
    timeOnce(cmd, [...pre, 'search', caseDir, q, '--json'], env); // first run fills the page cache
    return `${median(Array.from({ length: runs }, () => timeOnce(cmd, [...pre, 'search', caseDir, q, '--json'], env))).toFixed(0)} ms`;
  });
  console.log(`| \`${q}\` | ${cells.join(' | ')} |`);
}
console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
