import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readEntrySpan, REREAD } from '../../electron/engine/source/containers/reread';
import { packTar, packZip } from '../fixtures/pack-archives';
import { tempDir } from '../helpers/temp';

/** Deterministic, poorly compressible bytes (an LCG), so the gzip stream has many blocks. */
function bytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = 32 + ((x >>> 16) % 95);
  }
  return b;
}

// Re-reading messages of a large entry of a tar.gz used to decompress the archive from its start for every
// message; the entry's stream now stays open and forward reads continue it.
describe('re-reading spans of a large archive entry', () => {
  const dir = tempDir('casefile-reread-');
  const entry = bytes(3 * 1024 * 1024 + 123, 7);
  const saved = { ...REREAD };
  const spans: [number, number][] = [];
  for (let off = 0, i = 0; off < entry.length; i++) {
    const len = Math.min(entry.length - off, 5000 + ((i * 7919) % 60000));
    spans.push([off, len]);
    off += len + (i % 3 === 0 ? 17 : 0); // gaps between spans (envelope lines) too
  }

  before(async () => {
    await packTar([['big/inbox.mbox', entry], ['small.txt', Buffer.from('x')]], path.join(dir, 'a.tgz'));
    await packZip([['big/inbox.mbox', entry]], path.join(dir, 'a.zip'));
    Object.assign(REREAD, { smallArchiveBytes: 0, cacheBytes: 64 * 1024 });
  });
  after(() => Object.assign(REREAD, { ...saved, opens: REREAD.opens }));

  for (const name of ['a.tgz', 'a.zip']) {
    test(`${name}: forward reads open the archive once; a read backwards reopens it; concurrent reads stay correct`, async () => {
      const file = path.join(dir, name);
      const opens = REREAD.opens;
      for (const [off, len] of spans) assert.ok((await readEntrySpan(file, ['big/inbox.mbox'], off, len)).equals(entry.subarray(off, off + len)), `${off}+${len}`);
      assert.equal(REREAD.opens - opens, 1, `${spans.length} forward reads, one opening`);
      const [off, len] = spans[3]!;
      assert.ok((await readEntrySpan(file, ['big/inbox.mbox'], off, len)).equals(entry.subarray(off, off + len)));
      assert.equal(REREAD.opens - opens, 2);
      const shuffled = spans.filter((_, i) => i % 5 === 0).reverse();
      const got = await Promise.all(shuffled.map(([o, l]) => readEntrySpan(file, ['big/inbox.mbox'], o, l)));
      got.forEach((b, i) => assert.ok(b.equals(entry.subarray(shuffled[i]![0], shuffled[i]![0] + shuffled[i]![1]))));
      // Past the end: what is there (the caller's hash check then fails).
      assert.equal((await readEntrySpan(file, ['big/inbox.mbox'], entry.length - 10, 100)).length, 10);
    });
  }
});
