import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { ParsePool, type ParseOutcome } from '../../electron/engine/parse/parse-pool';
import type { SpanJob } from '../../electron/engine/parse/parse-span';
import { mboxMessage, type Attachment } from '../fixtures/document-generator';
import { tempDir } from '../helpers/temp';

// A parse worker parses a few messages at once (so it is not idle while an earlier message's attachments
// are in the extraction worker): the outcomes must be those of one message at a time, in order.
describe('parse window (several messages in a worker at once)', () => {
  const dir = tempDir('casefile-window-');
  const txt = (word: string) => ({ name: `${word}.txt`, type: 'text/plain', bytes: new TextEncoder().encode(`Le mot ${word}, en texte.`) });
  const eml = (i: number, atts: Attachment[]): SpanJob => {
    const file = path.join(dir, `${i}.eml`);
    const text = mboxMessage(i, 'Mon, 3 Apr 2017 10:00:00 +0200', 'a@example.fr', `Message ${i}`, `Corps ${i}.`, atts).replace(/^From [^\n]*\n/, '');
    writeFileSync(file, text);
    return { path: file, offset: 0, length: Buffer.byteLength(text), quotedFrom: false, extract: true };
  };
  // Plain-text attachments: extracted without loading pdf.js, so the test stays quick.
  const jobs = [eml(1, [txt('alpha')]), eml(2, [txt('commun'), txt('bravo')]), eml(3, []), eml(4, [txt('charlie'), txt('commun')]), eml(5, [txt('delta')]), eml(6, [txt('echo')])];
  const pools: ParsePool[] = [];
  after(() => Promise.all(pools.map((p) => p.close())));
  const run = async (window: number, items: SpanJob[], timeoutMs = 60_000) => {
    const pool = new ParsePool(1, timeoutMs, {}, window);
    pools.push(pool);
    return pool.parse(items);
  };
  const records = (outs: ParseOutcome[]) => outs.map((o) => (assert.ok('record' in o, JSON.stringify(o)), o.record));

  test('same records in the same order as one message at a time; a shared attachment extracted once', async () => {
    const one = records(await run(1, jobs));
    const three = records(await run(3, jobs));
    assert.deepEqual(three.map((r) => r.subject), ['Message 1', 'Message 2', 'Message 3', 'Message 4', 'Message 5', 'Message 6']);
    const strip = (r: (typeof one)[number]) => ({ ...r, documents: undefined });
    assert.deepEqual(three.map(strip), one.map(strip));
    // Documents travel with one message of the batch each (the batch is stored in one transaction).
    const docs = (rs: typeof one) => rs.flatMap((r) => r.documents ?? []).sort((a, b) => a.sha256.localeCompare(b.sha256));
    assert.deepEqual(docs(three), docs(one));
    assert.equal(docs(three).filter((d) => d.name === 'commun.txt').length, 1);
    assert.equal(docs(three).length, 6);
  });

  test('a message that hangs while others share its worker: only it is reported, the others parse', async () => {
    const fifo = path.join(dir, 'hang.fifo');
    execFileSync('mkfifo', [fifo]);
    after(() => closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK)));
    const out = await run(3, [jobs[0]!, { path: fifo, offset: 0, length: 10, quotedFrom: false, extract: true }, jobs[4]!], 2000);
    assert.ok('record' in out[0]! && out[0].record.subject === 'Message 1', JSON.stringify(out[0]));
    assert.ok('failure' in out[1]! && out[1].code === 'parse-timeout', JSON.stringify(out[1]));
    assert.ok('record' in out[2]! && out[2].record.subject === 'Message 5', JSON.stringify(out[2]));
  });
});
