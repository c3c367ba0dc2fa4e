import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { deflateText, inflateText } from '../../electron/engine/util/raw-deflate';
import { corpusTexts, needsCorpora } from '../helpers/corpora';

function roundTrip(text: string, what: string): void {
  const d = deflateText(text);
  assert.equal(inflateRawSync(d).toString('utf8'), text, `${what}: zlib reads deflateText's output`);
  assert.equal(inflateText(d), text, `${what}: inflateText`);
  assert.equal(d.byteOffset, 0, what);
  assert.equal(d.byteLength, d.buffer.byteLength, `${what}: memory of its own size (postMessage clones the whole buffer)`);
}

test('raw deflate of bodies: small ones stored, all read back by zlib and by inflateText', () => {
  for (const n of [0, 1, 341, 1022, 1023, 1024, 1025, 5000, 70_000]) roundTrip('é'.repeat(n >> 1) + 'a'.repeat(n & 1), `${n} bytes`);
  // Far more text than 4× its deflated bytes (inflateText's first output chunk): read over many chunks.
  for (const n of [5000, 300_000]) assert.equal(inflateText(deflateRawSync('ab'.repeat(n))), 'ab'.repeat(n), `${n} × ab`);
  assert.equal(deflateText('a'.repeat(100))[0], 0x01, 'under 1 KiB: one stored block');
  assert.notEqual(deflateText('a'.repeat(2000))[0], 0x01, '1 KiB and more: compressed');
  // zlib's own output, including its stored blocks for incompressible bytes, whole and over several blocks.
  for (const level of [0, 1, 6]) {
    for (const size of [10, 1000, 100_000]) {
      const text = randomBytes(size).toString('base64');
      assert.equal(inflateText(deflateRawSync(text, { level })), text, `zlib level ${level}, ${size}`);
    }
  }
});

test('raw deflate of bodies: every corpus file as text', needsCorpora, () => {
  let n = 0;
  for (const { file, text } of corpusTexts('mailparser-fixtures', 'mimekit-testdata', 'notmuch-corpora')) {
    roundTrip(text.slice(0, 3000), file);
    n++;
  }
  assert.ok(n > 100, `${n} texts`);
});
