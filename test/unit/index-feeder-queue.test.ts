import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { IndexFeeder, QUEUE_BYTES } from '../../electron/engine/search/index-feeder';
import { CaseStore } from '../../electron/engine/store/case-store';
import { tempDir } from '../helpers/temp';

// The index feeder's run-ahead is bounded in bytes (issue 15 item 3): add() returns only once the docs
// posted and not yet taken into the worker's builder are within QUEUE_BYTES; every doc is still indexed.
test('the index worker queue stays within QUEUE_BYTES; all docs are indexed', async () => {
  const store = CaseStore.open(tempDir('casefile-feeder-'), { create: true });
  const feeder = await IndexFeeder.start(store.db, store.dir, 1000);
  after(async () => {
    await feeder.close(); // a failed assertion must not leave the worker keeping the test alive
    store.close();
  });
  const text = 'alpha beta gamma delta '.repeat(Math.ceil((QUEUE_BYTES / 4) / 23)); // ≈ a quarter of the bound each
  const docs = 12;
  for (let id = 1; id <= docs; id++) {
    await feeder.add([{ id, subject: `doc ${id}`, from: '', to: '', cc: '', filename: '', attachment: text, bodyDeflated: null }]);
    const queued = (feeder as unknown as { queuedBytes: number }).queuedBytes;
    assert.ok(queued <= QUEUE_BYTES, `queued ${queued} bytes after add ${id}`);
  }
  await feeder.finish();
  assert.equal(feeder.shardsWritten.at(-1)?.docs, docs);
  assert.equal((feeder as unknown as { queuedBytes: number }).queuedBytes, 0, 'every add answered');
});
