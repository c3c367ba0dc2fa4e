// The index's case-wide structures (terms.bin and the pair-filter sidecars) are built at the end of an ingest
// by a worker thread beside the document flags and facets (search/index-structures.ts). They must be, byte
// for byte, what the same build on the ingest's own thread writes; and should the worker fail, the build
// falls back to that thread rather than leaving them out.
import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ingest } from '../../electron/engine/ingest/ingest';
import { updateCaseTerms } from '../../electron/engine/search/case-terms-build';
import { buildIndexStructuresAside, worthAWorker } from '../../electron/engine/search/index-structures';
import { updatePairSlices } from '../../electron/engine/search/pair-slices-build';
import { CaseStore } from '../../electron/engine/store/case-store';
import { generateMbox } from '../fixtures/archive-generator';
import { corpus, HAVE_CORPORA } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

/** terms.bin and every sidecar of `caseDir`'s index folder, by name. */
function structures(caseDir: string): Map<string, Buffer> {
  const dir = path.join(caseDir, 'index');
  const names = readdirSync(dir).filter((f) => f === 'terms.bin' || f.endsWith('.pairs'));
  return new Map(names.sort().map((f) => [f, readFileSync(path.join(dir, f))]));
}

function removeStructures(caseDir: string): void {
  for (const f of structures(caseDir).keys()) rmSync(path.join(caseDir, 'index', f));
}

test("an ingest's term dictionary and pair sidecars come from a worker, equal to a build on the ingest's thread; a failed worker falls back to that thread", async () => {
  const mbox = path.join(tempDir('casefile-structures-ev-'), 'gen.mbox');
  await generateMbox(mbox, Infinity, 33, 150);
  const caseDir = path.join(tempDir('casefile-structures-case-'), 'case');
  // Generated mail and real mail (notmuch's corpus when there), in shards of 40: several shards and sidecars.
  await ingest({ caseDir, inputs: [mbox, ...(HAVE_CORPORA ? [corpus('notmuch-corpora/test/corpora/default')] : [])], shardSize: 40 });
  const afterIngest = structures(caseDir);
  const shards = readdirSync(path.join(caseDir, 'index')).filter((f) => /^shard-\d+\.bin$/.test(f)).length;
  assert.ok(shards >= 4, `${shards} shards`);
  assert.ok(afterIngest.has('terms.bin'));
  assert.equal([...afterIngest.keys()].filter((f) => f.endsWith('.pairs')).length, shards);

  const store = CaseStore.open(caseDir);
  try {
    assert.equal(worthAWorker(store.db), true, 'sealed shards: built aside');
    // The reference: the same build on this thread.
    removeStructures(caseDir);
    updateCaseTerms(store.db, store.dir);
    updatePairSlices(store.db, store.dir);
    const reference = structures(caseDir);
    assert.deepEqual([...reference.keys()], [...afterIngest.keys()]);
    for (const [f, bytes] of reference) assert.ok(afterIngest.get(f)!.equals(bytes), `${f} as the ingest wrote it`);

    removeStructures(caseDir);
    assert.equal(await buildIndexStructuresAside(store.db, store.dir).done, 'worker');
    const fromWorker = structures(caseDir);
    assert.deepEqual([...fromWorker.keys()], [...reference.keys()]);
    for (const [f, bytes] of reference) assert.ok(fromWorker.get(f)!.equals(bytes), `${f} from the worker`);

    // A worker that cannot open the case (here: a copy of the index folder without the database) fails;
    // the structures are then built on this thread, from this connection's shard records.
    const copy = path.join(tempDir('casefile-structures-copy-'), 'case');
    cpSync(path.join(caseDir, 'index'), path.join(copy, 'index'), { recursive: true });
    removeStructures(copy);
    assert.equal(await buildIndexStructuresAside(store.db, copy).done, 'here');
    const fallback = structures(copy);
    assert.deepEqual([...fallback.keys()], [...reference.keys()]);
    for (const [f, bytes] of reference) assert.ok(fallback.get(f)!.equals(bytes), `${f} from the fallback`);
  } finally {
    store.close();
  }
});

test('a case of one shard builds its structures on the ingest thread (a worker would cost more than it saves)', async () => {
  const mbox = path.join(tempDir('casefile-structures-small-ev-'), 'gen.mbox');
  await generateMbox(mbox, Infinity, 34, 60);
  const caseDir = path.join(tempDir('casefile-structures-small-'), 'case');
  await ingest({ caseDir, inputs: [mbox] });
  const store = CaseStore.open(caseDir);
  try {
    assert.equal(worthAWorker(store.db), false);
  } finally {
    store.close();
  }
  const built = structures(caseDir);
  assert.ok(built.has('terms.bin') && built.has('shard-00001.pairs'), [...built.keys()].join(', '));
});
