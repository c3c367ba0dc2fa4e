#!/usr/bin/env node
// Runs every *.test.ts under test/ (unit, integration, e2e) with node's test runner and tsx.
// Benchmarks (test/bench) are not tests: `npm run bench:ingest` / `npm run bench:search`.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return name === 'bench' || name === 'output' ? [] : find(p);
    return name.endsWith('.test.ts') ? [p] : [];
  });
}

const files = find(root)
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
// With no file named, node --test would discover files on its own (bench scripts included).
if (files.length === 0) {
  console.error(`no test file matches ${only.join(' ')}`);
  process.exit(1);
}
// Two test files at a time (node's default is one fewer than the cores: one, on a 2-core machine, where
// the suite took ≈ 15 min; most files spend much of their time waiting on workers, Chromium or the disk).
// CASEFILE_TEST_CONCURRENCY=1 runs them one by one.
const concurrency = process.env.CASEFILE_TEST_CONCURRENCY ?? '2';
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  env: { ...process.env, CASEFILE_TEST: '1' },
});
process.exit(result.status ?? 1);
