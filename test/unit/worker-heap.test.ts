import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { WORKER_YOUNG_GENERATION_MB } from '../../electron/engine/util/worker-heap';
import { generateMbox } from '../fixtures/archive-generator';
import { REPO } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

// util/worker-heap.ts (issue 15 item 3): each worker thread of a real ingest runs with the small young generation
// (V8's default lets each grow to 48 MiB); the workers print their limits with CASEFILE_PHASES=mem.
test('the parse, extraction and index workers of an ingest run with the small young generation', async () => {
  const mbox = path.join(tempDir('casefile-worker-heap-'), 'mail.mbox');
  await generateMbox(mbox, 400_000, 7, 40); // with attachments: the extraction worker starts too
  const env = { ...process.env, CASEFILE_PHASES: 'mem' };
  const r = spawnSync(process.execPath, [path.join(REPO, 'bin/casefile.mjs'), 'ingest', mbox, '--case', path.join(tempDir('casefile-worker-heap-case-'), 'case')], { encoding: 'utf8', env });
  assert.equal(r.status, 0, r.stderr);
  const young = new Map<string, number>();
  for (const m of r.stderr.matchAll(/\[heap\] (\w+)#\d+ limits: young generation (\d+) MiB/g)) young.set(m[1]!, Number(m[2]));
  assert.deepEqual([...young.keys()].sort(), ['extract', 'index', 'parse'], r.stderr);
  for (const [name, mb] of young) assert.equal(mb, WORKER_YOUNG_GENERATION_MB, name);
  assert.ok(WORKER_YOUNG_GENERATION_MB < 48, "below V8's default young generation");
});
