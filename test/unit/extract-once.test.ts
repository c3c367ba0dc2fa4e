import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { ParsePool } from '../../electron/engine/parse/parse-pool';
import { mboxMessage, type Attachment } from '../fixtures/document-generator';
import { tempDir } from '../helpers/temp';

// Each attachment goes to the shared extraction worker once. Two parse workers that both ask for their
// port before the extraction worker exists (extract-channel.ts: `needExtractor`) used to be connected twice:
// the first request started the worker and connected every parse worker, the second connected its sender
// again, and that worker sent every request still waiting over the second port too (extracted twice).
describe('extraction channel: one port per parse worker', () => {
  const dir = tempDir('casefile-extract-once-');
  const txt = (word: string): Attachment => ({ name: `${word}.txt`, type: 'text/plain', bytes: new TextEncoder().encode(`Le mot ${word}, en texte.`) });
  const eml = (i: number, atts: Attachment[]) => {
    const file = path.join(dir, `${i}.eml`);
    const text = mboxMessage(i, 'Mon, 3 Apr 2017 10:00:00 +0200', 'a@example.fr', `Message ${i}`, 'Corps.', atts).replace(/^From [^\n]*\n/, '');
    writeFileSync(file, text);
    return { path: file, offset: 0, length: Buffer.byteLength(text), quotedFrom: false, extract: true };
  };

  test('two parse workers asking at once: every distinct attachment is extracted once', async () => {
    const served = new Int32Array(new SharedArrayBuffer(4));
    const pool = new ParsePool(2, 60_000, { workerData: { served: served.buffer, preloadPdf: false } }, 3);
    after(() => pool.close());
    // One batch per worker, parsed at the same time; every attachment distinct (no SHA-256 shared).
    const batch = (from: number) => [0, 1, 2].map((k) => eml(from + k, [txt(`a${from + k}`), txt(`b${from + k}`)]));
    const outs = (await Promise.all([pool.parse(batch(1)), pool.parse(batch(11))])).flat();
    const docs = outs.flatMap((o) => (assert.ok('record' in o, JSON.stringify(o)), o.record.documents ?? []));
    assert.equal(docs.length, 12, 'every attachment has its document');
    assert.deepEqual(docs.flatMap((d) => d.errors), []);
    assert.equal(Atomics.load(served, 0), 12, 'requests the extraction worker served (one per attachment)');
  });
});
