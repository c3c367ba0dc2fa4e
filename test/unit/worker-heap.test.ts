import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { strToU8, zipSync } from 'fflate';
import { WORKER_YOUNG_GENERATION_MB } from '../../electron/engine/util/worker-heap';
import { generateMbox } from '../fixtures/archive-generator';
import { REPO } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

// util/worker-heap.ts (issue 15 item 3): each worker thread of a real ingest runs with the small young generation
// (V8's default lets each grow to 48 MiB), and every extraction worker (attachments, loose files, archive entries)
// with the capped old generation; the workers print their limits with CASEFILE_PHASES=mem.
test('the parse, extraction and index workers of an ingest run with the small young generation, extraction capped', async () => {
  const evidence = path.join(tempDir('casefile-worker-heap-'), 'evidence');
  mkdirSync(evidence);
  await generateMbox(path.join(evidence, 'mail.mbox'), 400_000, 7, 40); // with attachments: the extraction worker starts
  writeFileSync(path.join(evidence, 'notes.txt'), 'Budget de la campagne, second tour.\n'); // a loose document: its own worker
  writeFileSync(path.join(evidence, 'papers.zip'), zipSync({ 'inner/memo.txt': strToU8('Memo: le trésorier confirme.\n') }));
  const env = { ...process.env, CASEFILE_PHASES: 'mem' };
  const r = spawnSync(process.execPath, [path.join(REPO, 'bin/casefile.mjs'), 'ingest', evidence, '--case', path.join(tempDir('casefile-worker-heap-case-'), 'case')], { encoding: 'utf8', env });
  assert.equal(r.status, 0, r.stderr);
  const limits = [...r.stderr.matchAll(/\[heap\] (\w+)#\d+ limits: young generation (\d+) MiB, old generation (\d+) MiB/g)].map((m) => ({ name: m[1]!, young: Number(m[2]), old: Number(m[3]) }));
  assert.deepEqual([...new Set(limits.map((l) => l.name))].sort(), ['extract', 'index', 'parse'], r.stderr);
  for (const l of limits) assert.equal(l.young, WORKER_YOUNG_GENERATION_MB, JSON.stringify(l));
  const extract = limits.filter((l) => l.name === 'extract');
  assert.ok(extract.length >= 2, `the attachments' and the loose file's extraction workers: ${r.stderr}`);
  for (const l of extract) assert.equal(l.old, 384, 'every extraction worker has the capped old generation');
  assert.ok(WORKER_YOUNG_GENERATION_MB < 48, "below V8's default young generation");
});
