// npm run bench:ingest [-- 100,1024,2048]   (sizes in MiB; default 100,1024,2048)
// Prints, measured in this one run: ingest time ÷ sha256sum time (without and with the search index built
// in the same pass), ingest vs a naive single-threaded mailparser loop, and peak RSS. Not part of npm test.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_DIR, benchArchive, mib, parseSizes, runChild, sha256sumSeconds } from './bench-util';
import { containerRows } from './container-rows';

const here = path.dirname(fileURLToPath(import.meta.url));
const sizes = parseSizes(process.argv[2], [100, 1024, 2048]);
const naiveLimit = Number(process.env.CASEFILE_BENCH_NAIVE_MAX_MIB ?? 1024);
const rows: string[] = [];
console.log(`ingest benchmark on ${os.cpus().length} cores (${os.cpus()[0]?.model}), archives in ${BENCH_DIR}`);
for (const size of sizes) {
  const file = await benchArchive(size);
  const bytes = statSync(file).size;
  sha256sumSeconds(file); // warm the page cache so both sides read from memory
  const shaSeconds = sha256sumSeconds(file);
  const caseDir = mkdtempSync(path.join(os.tmpdir(), 'casefile-bench-case-'));
  type Run = { seconds: number; messages: number; duplicates: number; errors: number; maxRssBytes: number };
  const ingest = runChild<Run>(path.join(here, 'ingest-child.ts'), [file, path.join(caseDir, 'case'), 'no-index']);
  const withIndex = runChild<Run>(path.join(here, 'ingest-child.ts'), [file, path.join(caseDir, 'case-indexed')]);
  rmSync(caseDir, { recursive: true, force: true });
  const naive = size <= naiveLimit ? runChild<{ seconds: number; maxRssBytes: number }>(path.join(here, 'naive-child.ts'), [file]) : null;
  const row = [
    `${mib(bytes)} MiB`,
    `${ingest.messages + ingest.duplicates} msgs`,
    `sha256sum ${shaSeconds.toFixed(2)} s`,
    `ingest ${ingest.seconds.toFixed(2)} s`,
    `ingest/sha256sum ${(ingest.seconds / shaSeconds).toFixed(2)}x`,
    `ingest+index ${withIndex.seconds.toFixed(2)} s = ${(withIndex.seconds / shaSeconds).toFixed(2)}x sha256sum (peak RSS ${mib(withIndex.maxRssBytes)} MiB)`,
    naive ? `naive mailparser ${naive.seconds.toFixed(2)} s (ingest is ${(naive.seconds / ingest.seconds).toFixed(2)}x faster)` : 'naive: skipped (size)',
    `${((ingest.messages + ingest.duplicates) / ingest.seconds).toFixed(0)} msg/s`,
    `${(bytes / 1048576 / ingest.seconds).toFixed(1)} MiB/s`,
    `peak RSS ${mib(ingest.maxRssBytes)} MiB`,
  ].join(' | ');
  rows.push(row);
  console.log(row);
}
// Archives (issue 12): the 1 GiB archive (or the largest size asked for) bare, in a zip and in a tar.gz.
const containerSize = sizes.includes(1024) ? 1024 : sizes[sizes.length - 1]!;
rows.push(...(await containerRows(await benchArchive(containerSize))));
console.log('\n' + rows.join('\n'));
