// `node --import tsx test/bench/progressive.bench.ts [archive]` (default: the 1 GiB generated archive):
// starts a real `casefile ingest` and, from other processes, polls `casefile list` and `casefile search`
// every 100 ms; prints when the first listed message and the first search hit (indexComplete: false)
// came back, counted from the ingest's start (issue 15 item 4: list within 5 s). Stops the ingest then.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { benchArchive, BENCH_DIR } from './bench-util';

const REPO = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(REPO, 'bin/casefile.mjs');
const archive = process.argv[2] ? path.resolve(process.argv[2]) : await benchArchive(1024);
const caseDir = path.join(BENCH_DIR, 'cases', 'progressive');
rmSync(caseDir, { recursive: true, force: true });
const cli = (args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return r.status === 0 ? JSON.parse(r.stdout) : null;
};

console.log(`archive ${archive}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const t0 = Date.now();
const ingest = spawn(process.execPath, [BIN, 'ingest', archive, '--case', caseDir], { stdio: 'ignore' });
const s = () => ((Date.now() - t0) / 1000).toFixed(1);
let listed = false;
let searched = false;
while (ingest.exitCode === null && !(listed && searched)) {
  await sleep(100);
  if (!existsSync(path.join(caseDir, 'case.sqlite'))) continue;
  if (!listed) {
    const page = cli(['list', caseDir, '--limit', '5']);
    if (page?.total > 0) {
      listed = true;
      console.log(`first list: ${s()} s after the start (${page.total} messages stored)`);
    }
  } else {
    const r = cli(['search', caseDir, 'campagne OR campaign']);
    if (r?.total > 0) {
      searched = true;
      console.log(`first search hits: ${s()} s after the start (${r.total} hits, ${r.notIndexed} newest messages not indexed yet, indexComplete ${r.indexComplete})`);
    }
  }
}
ingest.kill('SIGKILL');
console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
