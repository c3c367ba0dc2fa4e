// npm run bench:search [-- --sizes 10000,100000,1000000] [--shard-sizes 5000,20000,50000]
//                       [--profile full|lean] [--skip-build]
// (or the older positional form: -- 10000,100000 20000)
// On generated cases of N messages, prints in one run: index build rate (docs/s), index size on disk,
// time to open a case, overview (facets, timeline, matrix) latency after each query, p50/p95 query latency over a fixed mixed query set, each query of a wildcard/fuzzy
// mix on a freshly opened case (search-cold-child.ts), peak RSS — per shard size.
//
// Message profiles (test/fixtures/archive-generator.ts): up to 100,000 messages the `full` profile as
// always (≈16 KB per message, mostly attachments; ingested with extraction on), so those rows stay
// comparable with earlier runs. Above 100,000 the `lean` profile (same text, threads, languages,
// addresses and dates, attachments cut to 200–800-byte stubs: ≈2.2 KB per message, 2.2 GB for 1M)
// ingested with extraction OFF: this benchmark measures search, not extraction, and 16 GB of full
// messages would take hours to generate and ingest on a 2-core machine. `--profile` forces one profile.
// Generated archives and ingested cases are cached in $CASEFILE_BENCH_DIR between runs; `--skip-build`
// keeps an index already there (built by the ingest or `casefile index`) and only runs the query children
// (after writing the case's term dictionary, index/terms.bin, if the case has none up to date, as an ingest would).
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import Database from 'better-sqlite3';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateMbox, type MessageProfile } from '../fixtures/archive-generator';
import { BENCH_DIR, runChild, sizesOption } from './bench-util';

const here = path.dirname(fileURLToPath(import.meta.url));
const counts = sizesOption('sizes', 0, [10_000, 100_000]);
const shardSizes = sizesOption('shard-sizes', 1, [20_000]);
const argv = process.argv.slice(2);
const forcedProfile = argv.find((a, i) => argv[i - 1] === '--profile' || a.startsWith('--profile='))?.replace('--profile=', '') as MessageProfile | undefined;
const skipBuild = argv.includes('--skip-build');
console.log(`search benchmark on ${os.cpus().length} cores; cases in ${BENCH_DIR}`);
const rows: string[] = [];
for (const count of counts) {
  const profile: MessageProfile = forcedProfile ?? (count > 100_000 ? 'lean' : 'full');
  const suffix = profile === 'lean' ? '-lean' : '';
  const evidence = path.join(BENCH_DIR, 'evidence', `generated-${count}-messages${suffix}.mbox`);
  mkdirSync(path.dirname(evidence), { recursive: true });
  if (!existsSync(evidence)) {
    // About 16 KB per full message (1M: ≈16 GB), 2.2 KB per lean one (1M: 2.2 GB, ≈3 min).
    process.stderr.write(`${stamp()} generating ${evidence} (${profile}, ≈${((count * (profile === 'lean' ? 2.2 : 16)) / 1e6).toFixed(1)} GB)…\n`);
    await generateMbox(evidence, Infinity, 77, count, profile);
  }
  const caseDir = path.join(BENCH_DIR, 'cases', `search-${count}${suffix}`);
  // Run every time: a source ingested already is skipped at once, an interrupted ingest resumes.
  process.stderr.write(`${stamp()} ingesting ${count} messages (without index${profile === 'lean' ? ', without extraction' : ''}; resumes a partial case)…\n`);
  const ing = runChild<{ seconds: number; messages: number; maxRssBytes: number }>(path.join(here, 'ingest-child.ts'), [evidence, caseDir, 'no-index', profile === 'lean' ? 'no-extract' : 'extract']);
  if (ing.messages > 0) console.log(`  ingest ${ing.messages} msgs in ${ing.seconds.toFixed(0)} s (${(ing.messages / ing.seconds).toFixed(0)} msgs/s), peak RSS ${(ing.maxRssBytes / 1048576).toFixed(0)} MiB`);
  for (const shardSize of shardSizes) {
    process.stderr.write(`${stamp()} ${skipBuild ? 'keeping the index' : `building the index (shards of ${shardSize})`}…\n`);
    const build = skipBuild ? existingIndex(caseDir) : buildIndex(caseDir, shardSize);
    const terms = runChild<{ built: { terms: number; shards: number; bytes: number } | null; seconds: number }>(path.join(here, 'search-terms-child.ts'), [caseDir]);
    process.stderr.write(`${stamp()} querying…\n`);
    const q = runChild<{ openMs: number; p50: number; p95: number; max: number; queries: number; maxRssBytes: number }>(path.join(here, 'search-query-child.ts'), [caseDir]);
    const f = runChild<{ firstMs: number; p50: number; p95: number; max: number; runs: number }>(path.join(here, 'facets-query-child.ts'), [caseDir]);
    const cold = runChild<{ rows: { query: string; openMs: number; queryMs: number; total: number; error?: string }[]; mixRows: { query: string; queryMs: number; total: number }[]; p50: number; max: number; mix: { queries: number; p50: number; p95: number; max: number; openP50: number; openMax: number }; cli: { p50: number; p95: number; max: number; slowest: string }; maxRssBytes: number }>(path.join(here, 'search-cold-child.ts'), [caseDir]);
    for (const r of cold.rows) console.log(`  cold ${r.query.padEnd(12)} open ${r.openMs.toFixed(0)} ms, query ${r.queryMs.toFixed(1)} ms, ${r.error ?? `${r.total} hits`}`);
    const slowMix = cold.mixRows.filter((r) => r.queryMs > 100).map((r) => `${r.query} ${r.queryMs.toFixed(0)} ms`);
    console.log(`  fresh-open mix, queries over 100 ms: ${slowMix.join(', ') || 'none'}`);
    const row = [
      `${count} msgs (${profile})`,
      `shard ${skipBuild ? 'as built' : shardSize}`,
      `${build.shards} shards`,
      skipBuild ? 'build not run' : `build ${(build.docs / build.seconds).toFixed(0)} docs/s`,
      `index ${(build.bytes / 1048576).toFixed(0)} MiB on disk`,
      terms.built ? `term dictionary ${terms.built.terms} terms of ${terms.built.shards} shards, ${(terms.built.bytes / 1048576).toFixed(1)} MiB, written in ${terms.seconds.toFixed(1)} s` : 'term dictionary up to date',
      `open ${q.openMs.toFixed(0)} ms`,
      `p50 ${q.p50.toFixed(1)} ms`,
      `p95 ${q.p95.toFixed(1)} ms`,
      `max ${q.max.toFixed(1)} ms (${q.queries} queries)`,
      `overview (facets+timeline+matrix) first ${f.firstMs.toFixed(0)} ms, p50 ${f.p50.toFixed(0)} ms, p95 ${f.p95.toFixed(0)} ms, max ${f.max.toFixed(0)} ms (${f.runs} runs)`,
      `cold wildcard/fuzzy p50 ${cold.p50.toFixed(1)} ms max ${cold.max.toFixed(1)} ms`,
      `fresh-open mix (${cold.mix.queries} queries, each on a newly opened case) p50 ${cold.mix.p50.toFixed(1)} ms p95 ${cold.mix.p95.toFixed(1)} ms max ${cold.mix.max.toFixed(1)} ms, open (warm) p50 ${cold.mix.openP50.toFixed(0)} ms max ${cold.mix.openMax.toFixed(0)} ms`,
      `CLI-style open+query (no warm) p50 ${cold.cli.p50.toFixed(0)} ms p95 ${cold.cli.p95.toFixed(0)} ms max ${cold.cli.max.toFixed(0)} ms (${cold.cli.slowest})`,
      `peak RSS build ${skipBuild ? '–' : (build.maxRssBytes / 1048576).toFixed(0)} MiB / search ${(q.maxRssBytes / 1048576).toFixed(0)} MiB / cold ${(cold.maxRssBytes / 1048576).toFixed(0)} MiB`,
      `load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`,
    ].join(' | ');
    rows.push(row);
    console.log(row);
    if (skipBuild) break;
  }
}
console.log('\n' + rows.join('\n'));

interface Built { seconds: number; docs: number; bytes: number; shards: number; maxRssBytes: number }

function buildIndex(caseDir: string, shardSize: number): Built {
  rmSync(path.join(caseDir, 'index'), { recursive: true, force: true });
  return runChild<Built>(path.join(here, 'search-build-child.ts'), [caseDir, String(shardSize)]);
}

/** The index as the case has it (`--skip-build`): its size and shard count, no build figures. */
function existingIndex(caseDir: string): Built {
  const db = new Database(path.join(caseDir, 'case.sqlite'), { readonly: true });
  const r = db.prepare('SELECT COUNT(*) shards, COALESCE(SUM(bytes), 0) bytes FROM index_shards').get() as { shards: number; bytes: number };
  db.close();
  return { seconds: NaN, docs: NaN, bytes: r.bytes, shards: r.shards, maxRssBytes: NaN };
}

function stamp(): string {
  return `[${new Date().toISOString().slice(11, 19)} load ${os.loadavg()[0]!.toFixed(1)}]`;
}
