// `npm run bench:cli [-- --case DIR | --messages N] [--runs N] [--variants source,esm,bin,npx]`: one cold
// `casefile search` (a new process each time, as a script calling the CLI per question would) through the
// TypeScript sources (tsx), the compiled ESM build without code cache (`node dist-cli/casefile.js`, what
// `search` ran before its single-command bundle), the compiled CLI as installed (package.json's bin,
// `node bin/casefile.cjs`: dist-cli/fast/search.cjs with V8's code cache) and `npx casefile`: median wall and
// CPU time of N runs, variants alternating. Then the fresh-open mix of search-cold-child.ts (25 queries with
// wildcards and fuzzy words), each query a new process of each compiled variant: p50/p95/max of the engine's
// tookMs (the query on a case just opened by a process just started) and of the process's wall time.
// Without --case, a case of N generated messages (default 10,000) is built once under $CASEFILE_BENCH_DIR.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildCli } from '../../scripts/build-cli.mjs';
import { generateMbox } from '../fixtures/archive-generator';
import { BENCH_DIR } from './bench-util';
import { COLD_SET } from './search-cold-child';
import { QUERY_SET } from './search-query-child';

const REPO = path.resolve(import.meta.dirname, '../..');
const { values } = parseArgs({
  options: { case: { type: 'string' }, messages: { type: 'string', default: '10000' }, runs: { type: 'string', default: '11' }, variants: { type: 'string' } },
});
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

/**
 * CPU time (user + system, ms) of the children this process has waited for, from /proc (Linux; 10 ms
 * ticks): on a loaded machine a child's wall time mostly says how long it waited for a core, its CPU
 * time what it cost. NaN elsewhere.
 */
function childrenCpuMs(): number {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10; // cutime, cstime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

function runOnce(cmd: string, args: string[], env: NodeJS.ProcessEnv): { ms: number; cpuMs: number; stdout: string } {
  const t = process.hrtime.bigint();
  const cpu = childrenCpuMs();
  const r = spawnSync(cmd, args, { cwd: REPO, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return { ms, cpuMs: childrenCpuMs() - cpu, stdout: r.stdout };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

const caseDir = await benchCase();
await buildCli();
const allVariants: [string, string, string[], NodeJS.ProcessEnv][] = [
  ['source (tsx)', process.execPath, ['bin/casefile.mjs'], { CASEFILE_CLI: 'source' }],
  ['compiled ESM, no code cache', process.execPath, ['dist-cli/casefile.js'], {}],
  ['compiled, node bin/casefile.cjs', process.execPath, ['bin/casefile.cjs'], {}],
  ['compiled, npx casefile', 'npx', ['casefile'], {}],
];
const keys = ['source', 'esm', 'bin', 'npx'];
const wanted = values.variants?.split(',') ?? keys;
const variants = allVariants.filter((_, i) => wanted.includes(keys[i]!));
console.log(`case ${caseDir}; ${runs} runs each; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`| query (median wall, CPU user+sys) | ${variants.map(([name]) => name).join(' | ')} |`);
console.log(`|---|${variants.map(() => '---|').join('')}`);
for (const q of QUERIES) {
  const args = (pre: string[]) => [...pre, 'search', caseDir, q, '--json'];
  for (const [, cmd, pre, env] of variants) runOnce(cmd, args(pre), env); // first runs fill the page cache
  // Alternating run by run, so a change of the machine's load weighs on every variant alike.
  const done = variants.map(() => [] as { ms: number; cpuMs: number }[]);
  for (let i = 0; i < runs; i++) variants.forEach(([, cmd, pre, env], v) => done[v]!.push(runOnce(cmd, args(pre), env)));
  const cells = done.map((d) => `${median(d.map((x) => x.ms)).toFixed(0)} ms (CPU ${median(d.map((x) => x.cpuMs)).toFixed(0)})`);
  console.log(`| \`${q}\` | ${cells.join(' | ')} |`);
}

// The fresh-open mix, one new process per query (after one untimed pass), for the compiled variants asked for.
const mix = [...COLD_SET, ...QUERY_SET];
const row = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(0)}, p95 ${pct(xs, 95).toFixed(0)}, max ${Math.max(...xs).toFixed(0)} ms (${mix[xs.indexOf(Math.max(...xs))]})`;
for (const [name, cmd, pre, env] of variants.filter(([, cmd, , env]) => cmd === process.execPath && !env.CASEFILE_CLI)) {
  const search = (q: string) => runOnce(cmd, [...pre, 'search', caseDir, q, '--json', '--limit', '50'], env);
  for (const q of mix) search(q);
  const took: number[] = [];
  const wall: number[] = [];
  for (const q of mix) {
    const r = search(q);
    took.push((JSON.parse(r.stdout) as { tookMs: number }).tookMs);
    wall.push(r.ms);
  }
  console.log(`fresh-open mix, ${mix.length} queries, a new process each (${name}): engine tookMs ${row(took)}; process wall ${row(wall)}`);
}
console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
