// `npm run bench:peers [-- --messages N] [--runs N] [--rounds N] [--settle S] [--maildir DIR] [extra.mbox ...]`
// (not part of npm test). Builds a Maildir from the generated archive (N messages, default 20,000) and from each
// mbox given (or takes an existing one with --maildir, read-only), then, on the same Maildir in the same run:
// times `casefile ingest` (with the index) against `mu index` (maildir-utils) and `notmuch new`, with peak RSS
// and CPU (GNU time -v), and times cold searches — a new process per query — of `casefile search` against
// `notmuch count` and `mu find` on a fixed query set (median of --runs). Prints ratios. A missing tool is
// skipped with a note: apt-get install maildir-utils notmuch.
// Fairness: the new Maildir is flushed to disk (`sync`) and left to settle (--settle seconds) before any tool
// runs, so no tool pays for the write-back of the files just written; before each timed run the whole tree is
// read once, so every tool starts with it in the page cache; with --rounds N each tool runs N times, the order
// rotating from round to round (casefile first, then second, …), each run on a fresh index, after a `sync`
// (the previous run's index written out); every run is printed, and the ratios are of the medians.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { messageSpans } from '../../electron/engine/source/message-spans';
import { PositionalReader } from '../../electron/engine/source/positional-reader';
import { buildCli } from '../../scripts/build-cli.mjs';
import { generateMbox } from '../fixtures/archive-generator';
import { BENCH_DIR } from './bench-util';

const REPO = path.resolve(import.meta.dirname, '../..');
const { values, positionals } = parseArgs({ allowPositionals: true, options: {
    messages: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '1' },
    settle: { type: 'string', default: '10' },
    maildir: { type: 'string' },
  },
});
const runs = Number(values.runs);
const rounds = Math.max(1, Number(values.rounds));
// Plain words, a frequent word, a prefix wildcard, a phrase, a sender: what all three tools understand.
const QUERIES = [
  { label: 'kernel', casefile: 'kernel', xapian: 'kernel' },
  { label: 'campagne', casefile: 'campagne', xapian: 'campagne' },
  { label: 'budget', casefile: 'budget', xapian: 'budget' },
  { label: 'camp*', casefile: 'camp*', xapian: 'camp*' },
  { label: '"second tour"', casefile: '"second tour"', xapian: '"second tour"' },
  { label: 'from:example.fr', casefile: 'from:example.fr', xapian: 'from:example.fr' },
];

const have = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const TOOLS = { mu: have('mu'), notmuch: have('notmuch') };

/** One mbox → Maildir/cur files, split by Casefile's own splitter (the same messages for every tool). */
async function mboxToMaildir(mbox: string, maildir: string): Promise<number> {
  for (const sub of ['cur', 'new', 'tmp']) mkdirSync(path.join(maildir, sub), { recursive: true });
  const reader = await PositionalReader.open(mbox);
  const fd = openSync(mbox, 'r');
  let n = 0;
  try {
    for await (const span of messageSpans(reader, 'mbox', 0, mbox)) {
      const bytes = Buffer.alloc(span.length);
      readSync(fd, bytes, 0, span.length, span.offset);
      writeFileSync(path.join(maildir, 'cur', `${1490000000 + n}.M${n}P1.bench:2,S`), bytes);
      n++;
    }
  } finally {
    closeSync(fd);
    await reader.close();
  }
  return n;
}

interface Timing {
  seconds: number;
  /** User + system CPU seconds, all threads (GNU time). */
  cpu: number;
  rssMiB: number;
  stdout: string;
}

/** Wall seconds, CPU seconds and peak RSS (MiB) of a command, through GNU time. */
function timed(cmd: string[], env: NodeJS.ProcessEnv = {}): Timing {
  const t = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-v', ...cmd], { cwd: REPO, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 256 << 20 });
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
  const muNoMatch = cmd[0] === 'mu' && r.status === 4; // mu find: "no matches for search expression"
  if (r.status !== 0 && !muNoMatch) throw new Error(`${cmd.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  const cpu = ['User', 'System'].reduce((sum, k) => sum + Number(new RegExp(`${k} time \\(seconds\\): ([\\d.]+)`).exec(r.stderr ?? '')?.[1] ?? NaN), 0);
  return { seconds, cpu, rssMiB: rss ? Number(rss[1]) / 1024 : NaN, stdout: r.stdout };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every file of the Maildir read once: the next tool finds the tree in the page cache, as the one before did. */
function warmTree(maildir: string): void {
  for (const sub of ['cur', 'new']) {
    const dir = path.join(maildir, sub);
    if (existsSync(dir)) for (const name of readdirSync(dir)) readFileSync(path.join(dir, name));
  }
}

async function benchMaildir(label: string, maildir: string, messages: number): Promise<void> {
  const work = path.join(BENCH_DIR, 'peers', `${label}-work`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  console.log(`\n## ${label}: ${messages} messages in ${maildir}; load average ${load()}`);

  // Each indexer: how to make a fresh index, and the timed command. The last run's index serves the searches.
  const caseDir = path.join(work, 'case');
  const muHome = path.join(work, 'mu');
  const nmConfig = path.join(work, 'notmuch-config');
  const indexers: { name: string; fresh: () => void; run: () => Timing }[] = [
    {
      name: 'casefile ingest (with index)',
      fresh: () => rmSync(caseDir, { recursive: true, force: true }),
      run: () => timed([process.execPath, 'bin/casefile.mjs', 'ingest', maildir, '--case', caseDir]),
    },
  ];
  if (TOOLS.mu) {
    indexers.push({
      name: 'mu index',
      fresh: () => {
        rmSync(muHome, { recursive: true, force: true });
        timed(['mu', 'init', '--muhome', muHome, '--maildir', maildir]);
      },
      run: () => timed(['mu', 'index', '--muhome', muHome]),
    });
  }
  if (TOOLS.notmuch) {
    indexers.push({
      name: 'notmuch new',
      fresh: () => {
        rmSync(path.join(work, 'notmuch-db'), { recursive: true, force: true });
        mkdirSync(path.join(work, 'notmuch-db'), { recursive: true });
        writeFileSync(nmConfig, `[database]\npath=${path.join(work, 'notmuch-db')}\nmail_root=${maildir}\n[user]\nname=bench\nprimary_email=bench@example.org\n[new]\ntags=inbox\n`);
      },
      run: () => timed(['notmuch', 'new', '--quiet'], { NOTMUCH_CONFIG: nmConfig }),
    });
  }
  // Round r starts with indexer r (mod their number): none always runs first or last.
  const results = indexers.map(() => [] as (Timing & { load: string })[]);
  console.log('| round | indexer | wall | CPU (user + sys) | peak RSS | load average before |\n|---|---|---|---|---|---|');
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < indexers.length; k++) {
      const i = (r + k) % indexers.length;
      const indexer = indexers[i]!;
      indexer.fresh();
      spawnSync('sync'); // the previous tool's index written out: no write-back of it during this run
      warmTree(maildir);
      const before = load();
      const t = indexer.run();
      results[i]!.push({ ...t, load: before });
      console.log(`| ${r + 1} | ${indexer.name} | ${t.seconds.toFixed(1)} s | ${t.cpu.toFixed(1)} s | ${t.rssMiB.toFixed(0)} MiB | ${before} |`);
    }
  }
  const rows = indexers.map((x, i) => ({ name: x.name, seconds: median(results[i]!.map((t) => t.seconds)), cpu: median(results[i]!.map((t) => t.cpu)), rssMiB: median(results[i]!.map((t) => t.rssMiB)) }));
  const base = rows[0]!.seconds;
  console.log(`\n${rounds > 1 ? `median of ${rounds} rounds` : 'one round'}; load average ${load()}`);
  console.log('| indexer | wall | CPU | peak RSS | casefile ÷ this |\n|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.name} | ${r.seconds.toFixed(1)} s | ${r.cpu.toFixed(1)} s | ${r.rssMiB.toFixed(0)} MiB | ${(base / r.seconds).toFixed(2)}× |`);
  for (const [tool, ok] of Object.entries(TOOLS)) if (!ok) console.log(`(${tool} not installed: skipped — apt-get install maildir-utils notmuch)`);

  console.log(`\ncold searches (a new process per query, median of ${runs}); load average ${load()}`);
  const cols: [string, (q: (typeof QUERIES)[number]) => string[], NodeJS.ProcessEnv][] = [
    ['casefile search --json', (q) => [process.execPath, 'bin/casefile.mjs', 'search', caseDir, q.casefile, '--json', '--limit', '20'], {}],
  ];
  if (TOOLS.notmuch) cols.push(['notmuch count', (q) => ['notmuch', 'count', q.xapian], { NOTMUCH_CONFIG: nmConfig }]);
  if (TOOLS.mu) cols.push(['mu find', (q) => ['mu', 'find', '--muhome', muHome, q.xapian], {}]);
  console.log(`| query | ${cols.map(([c]) => c).join(' | ')} |\n|---|${cols.map(() => '---|').join('')}`);
  for (const q of QUERIES) {
    const cells = cols.map(([, argv, env]) => {
      timed(argv(q), env); // warm the page cache, as for the others
      const times = Array.from({ length: runs }, () => timed(argv(q), env));
      return `${(median(times.map((t) => t.seconds)) * 1000).toFixed(0)} ms (${median(times.map((t) => t.rssMiB)).toFixed(0)} MiB)`;
    });
    console.log(`| \`${q.label}\` | ${cells.join(' | ')} |`);
  }
}

await buildCli(); // the installed CLI runs compiled JavaScript
const n = Number(values.messages);
const generated = path.join(BENCH_DIR, 'evidence', `peers-${n}.mbox`);
if (!values.maildir && !existsSync(generated)) {
  mkdirSync(path.dirname(generated), { recursive: true });
  await generateMbox(generated, Number.MAX_SAFE_INTEGER, 2017, n);
}
/** The new files' write-back done (sync), then a pause for the machine to settle before any tool is timed. */
async function flushed(): Promise<void> {
  const t = process.hrtime.bigint();
  spawnSync('sync');
  console.log(`(Maildir flushed by sync in ${(Number(process.hrtime.bigint() - t) / 1e9).toFixed(1)} s; settling ${values.settle} s)`);
  await sleep(Number(values.settle) * 1000);
}

if (values.maildir) {
  // An existing Maildir: only read (by all three tools); its files are counted, not written.
  const maildir = path.resolve(values.maildir);
  const count = ['cur', 'new'].reduce((n, sub) => n + (existsSync(path.join(maildir, sub)) ? readdirSync(path.join(maildir, sub)).length : 0), 0);
  await benchMaildir(path.basename(maildir).replace(/\W+/g, '_'), maildir, count);
} else {
  const sources = [{ label: `generated-${n}`, mbox: generated }, ...positionals.map((m) => ({ label: path.basename(m).replace(/\W+/g, '_'), mbox: path.resolve(m) }))];
  for (const { label, mbox } of sources) {
    const maildir = path.join(BENCH_DIR, 'peers', `${label}-maildir`);
    rmSync(maildir, { recursive: true, force: true });
    const count = await mboxToMaildir(mbox, maildir);
    await flushed();
    await benchMaildir(label, maildir, count);
  }
}
