// sha256Hex (util/sha256.ts: Node's one-shot crypto.hash where it exists) must give createHash's digest for
// every input the parse workers hash: message bytes, attachment bytes, UTF-8 strings (duplicate keys).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { sha256Hex } from '../../electron/engine/util/sha256';

test('sha256Hex equals createHash on buffers and UTF-8 strings', () => {
  const inputs: (string | Buffer)[] = ['', 'abc', 'Élysée l’œuvre 😀', 'lone \ud800 surrogate', Buffer.alloc(0), Buffer.from([0, 255, 128, 10]), Buffer.alloc(100_000, 7)];
  for (const x of inputs) assert.equal(sha256Hex(x), createHash('sha256').update(x).digest('hex'), JSON.stringify(String(x).slice(0, 40)));
});
