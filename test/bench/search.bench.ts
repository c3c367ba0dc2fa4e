// npm run bench:search [-- --sizes 10000,100000,1000000] [--shard-sizes 5000,20000,50000]
// (or the older positional form: -- 10000,100000 20000)
// On generated cases of N messages, prints in one run: index build rate (docs/s), index size on disk,
// time to open a case, overview (facets, timeline, matrix) latency after each query, p50/p95 query latency over a fixed mixed query set, each query of a wildcard/fuzzy
// mix on a freshly opened case (search-cold-child.ts), peak RSS — per shard size.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateMbox } from '../fixtures/archive-generator';
import { BENCH_DIR, runChild, sizesOption } from './bench-util';

const here = path.dirname(fileURLToPath(import.meta.url));
const counts = sizesOption('sizes', 0, [10_000, 100_000]);
const shardSizes = sizesOption('shard-sizes', 1, [20_000]);
console.log(`search benchmark on ${os.cpus().length} cores; cases in ${BENCH_DIR}`);
const rows: string[] = [];
for (const count of counts) {
  const evidence = path.join(BENCH_DIR, 'evidence', `generated-${count}-messages.mbox`);
  mkdirSync(path.dirname(evidence), { recursive: true });
  if (!existsSync(evidence)) {
    // About 16 KB per generated message: 1,000,000 messages take ≈16 GB of disk and a long while.
    process.stderr.write(`generating ${evidence} (≈${((count * 16) / 1e6).toFixed(1)} GB)…\n`);
    await generateMbox(evidence, Infinity, 77, count);
  }
  const caseDir = path.join(BENCH_DIR, 'cases', `search-${count}`);
  if (!existsSync(path.join(caseDir, 'case.sqlite'))) {
    process.stderr.write(`ingesting ${count} messages (without index)…\n`);
    runChild(path.join(here, 'ingest-child.ts'), [evidence, caseDir, 'no-index']);
  }
  for (const shardSize of shardSizes) {
    rmSync(path.join(caseDir, 'index'), { recursive: true, force: true });
    const build = runChild<{ seconds: number; docs: number; bytes: number; shards: number; maxRssBytes: number }>(path.join(here, 'search-build-child.ts'), [caseDir, String(shardSize)]);
    const q = runChild<{ openMs: number; p50: number; p95: number; max: number; queries: number; maxRssBytes: number }>(path.join(here, 'search-query-child.ts'), [caseDir]);
    const f = runChild<{ firstMs: number; p50: number; p95: number; max: number; runs: number }>(path.join(here, 'facets-query-child.ts'), [caseDir]);
    const cold = runChild<{ rows: { query: string; openMs: number; queryMs: number; total: number; error?: string }[]; p50: number; max: number }>(path.join(here, 'search-cold-child.ts'), [caseDir]);
    for (const r of cold.rows) console.log(`  cold ${r.query.padEnd(12)} open ${r.openMs.toFixed(0)} ms, query ${r.queryMs.toFixed(1)} ms, ${r.error ?? `${r.total} hits`}`);
    const row = [
      `${count} msgs`,
      `shard ${shardSize}`,
      `${build.shards} shards`,
      `build ${(build.docs / build.seconds).toFixed(0)} docs/s`,
      `index ${(build.bytes / 1048576).toFixed(0)} MiB on disk`,
      `open ${q.openMs.toFixed(0)} ms`,
      `p50 ${q.p50.toFixed(1)} ms`,
      `p95 ${q.p95.toFixed(1)} ms`,
      `max ${q.max.toFixed(1)} ms (${q.queries} queries)`,
      `overview (facets+timeline+matrix) first ${f.firstMs.toFixed(0)} ms, p50 ${f.p50.toFixed(0)} ms, p95 ${f.p95.toFixed(0)} ms, max ${f.max.toFixed(0)} ms (${f.runs} runs)`,
      `cold wildcard/fuzzy p50 ${cold.p50.toFixed(1)} ms max ${cold.max.toFixed(1)} ms`,
      `peak RSS build ${(build.maxRssBytes / 1048576).toFixed(0)} MiB / search ${(q.maxRssBytes / 1048576).toFixed(0)} MiB`,
    ].join(' | ');
    rows.push(row);
    console.log(row);
  }
}
console.log('\n' + rows.join('\n'));
