// `npm run bench:peers [-- --messages N] [--runs N] [extra.mbox ...]` (not part of npm test).
// Builds a Maildir from the generated archive (N messages, default 20,000) and from each mbox given, then,
// on the same Maildir in the same run: times `casefile ingest` (with the index) against `mu index`
// (maildir-utils) and `notmuch new`, with peak RSS (GNU time -v), and times cold searches — a new process
// per query — of `casefile search` against `notmuch count` and `mu find` on a fixed query set (median of
// --runs). Prints ratios. A missing tool is skipped with a note: apt-get install maildir-utils notmuch.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { messageSpans } from '../../electron/engine/source/message-spans';
import { PositionalReader } from '../../electron/engine/source/positional-reader';
import { buildCli } from '../../scripts/build-cli.mjs';
import { generateMbox } from '../fixtures/archive-generator';
import { BENCH_DIR } from './bench-util';

const REPO = path.resolve(import.meta.dirname, '../..');
const { values, positionals } = parseArgs({ allowPositionals: true, options: { messages: { type: 'string', default: '20000' }, runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
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

/** Wall seconds and peak RSS (MiB) of a command, through GNU time. */
function timed(cmd: string[], env: NodeJS.ProcessEnv = {}): { seconds: number; rssMiB: number; stdout: string } {
  const t = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-v', ...cmd], { cwd: REPO, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 256 << 20 });
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
  const muNoMatch = cmd[0] === 'mu' && r.status === 4; // mu find: "no matches for search expression"
  if (r.status !== 0 && !muNoMatch) throw new Error(`${cmd.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return { seconds, rssMiB: rss ? Number(rss[1]) / 1024 : NaN, stdout: r.stdout };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

async function benchMaildir(label: string, maildir: string, messages: number): Promise<void> {
  const work = path.join(BENCH_DIR, 'peers', `${label}-work`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  console.log(`\n## ${label}: ${messages} messages in ${maildir}; load average ${load()}`);
  const rows: [string, { seconds: number; rssMiB: number }][] = [];

  const caseDir = path.join(work, 'case');
  rows.push(['casefile ingest (with index)', timed([process.execPath, 'bin/casefile.mjs', 'ingest', maildir, '--case', caseDir])]);
  const muHome = path.join(work, 'mu');
  if (TOOLS.mu) {
    timed(['mu', 'init', '--muhome', muHome, '--maildir', maildir]);
    rows.push(['mu index', timed(['mu', 'index', '--muhome', muHome])]);
  }
  const nmConfig = path.join(work, 'notmuch-config');
  if (TOOLS.notmuch) {
    mkdirSync(path.join(work, 'notmuch-db'), { recursive: true });
    writeFileSync(nmConfig, `[database]\npath=${path.join(work, 'notmuch-db')}\nmail_root=${maildir}\n[user]\nname=bench\nprimary_email=bench@example.org\n[new]\ntags=inbox\n`);
    rows.push(['notmuch new', timed(['notmuch', 'new', '--quiet'], { NOTMUCH_CONFIG: nmConfig })]);
  }
  const base = rows[0]![1].seconds;
  console.log('| indexer | wall | peak RSS | casefile ÷ this |\n|---|---|---|---|');
  for (const [name, r] of rows) console.log(`| ${name} | ${r.seconds.toFixed(1)} s | ${r.rssMiB.toFixed(0)} MiB | ${(base / r.seconds).toFixed(2)}× |`);
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
if (!existsSync(generated)) {
  mkdirSync(path.dirname(generated), { recursive: true });
  await generateMbox(generated, Number.MAX_SAFE_INTEGER, 2017, n);
}
const sources = [{ label: `generated-${n}`, mbox: generated }, ...positionals.map((m) => ({ label: path.basename(m).replace(/\W+/g, '_'), mbox: path.resolve(m) }))];
for (const { label, mbox } of sources) {
  const maildir = path.join(BENCH_DIR, 'peers', `${label}-maildir`);
  rmSync(maildir, { recursive: true, force: true });
  const count = await mboxToMaildir(mbox, maildir);
  await benchMaildir(label, maildir, count);
}
