import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { pagesOf } from '../../electron/engine/documents/wire';
import { ParsePool } from '../../electron/engine/parse/parse-pool';
import { makePdf, mboxMessage, type Attachment } from '../fixtures/document-generator';
import { tempDir } from '../helpers/temp';

// The shared extraction worker's hard-kill path: a document that never returns (a tight loop no soft
// deadline can interrupt) is stopped by terminating the worker after the hard timeout (lowered here);
// its message is kept with the document's error, and the documents after it extract in a fresh worker.
describe('extraction worker hard kill', () => {
  const dir = tempDir('casefile-hardkill-');
  const pdf = (word: string) => ({ name: `${word}.pdf`, type: 'application/pdf', bytes: makePdf(`Le mot ${word}`, { author: 'A', created: "D:20170301100000+01'00'" }) });
  // Plain text after the kill: a fresh worker extracts it without loading pdf.js, well inside the lowered timeout.
  const txt = (word: string) => ({ name: `${word}.txt`, type: 'text/plain', bytes: new TextEncoder().encode(`Le mot ${word}, en texte.`) });
  const eml = (i: number, atts: Attachment[]) => {
    const file = path.join(dir, `${i}.eml`);
    // mboxMessage's first line is the mbox separator: the .eml starts after it.
    const text = mboxMessage(i, 'Mon, 3 Apr 2017 10:00:00 +0200', 'a@example.fr', `Message ${i}`, 'Corps.', atts).replace(/^From [^\n]*\n/, '');
    writeFileSync(file, text);
    return { path: file, offset: 0, length: Buffer.byteLength(text), quotedFrom: false, extract: true };
  };
  const HARD_MS = 3000;
  const pool = new ParsePool(1, 60_000, { hardTimeoutMs: HARD_MS, workerData: { hangOnName: 'hang.pdf', preloadPdf: false } });
  after(() => pool.close());

  test('a hanging document gets extract-timeout; its message and the next documents are kept', async () => {
    const t = Date.now();
    const [first, second] = await pool.parse([eml(1, [txt('alpha'), pdf('hang'), txt('charlie')]), eml(2, [txt('bravo')])]);
    assert.ok(first && 'record' in first, JSON.stringify(first));
    assert.ok(second && 'record' in second, JSON.stringify(second));
    assert.equal(first.record.subject, 'Message 1');
    assert.equal(first.record.attachments.length, 3, 'both attachments recorded (hash, size) on the message');
    const docs = new Map([...first.record.documents!, ...second.record.documents!].map((d) => [d.name, d]));
    const hang = docs.get('hang.pdf');
    assert.equal(hang?.errors[0]?.code, 'extract-timeout', JSON.stringify(hang?.errors));
    assert.equal(hang?.type, 'pdf');
    assert.equal(hang?.sha256, first.record.attachments[1]!.sha256);
    assert.ok(Date.now() - t >= HARD_MS, 'stopped by the hard timeout, not before');
    for (const word of ['alpha', 'charlie', 'bravo']) {
      const d = docs.get(`${word}.txt`);
      assert.deepEqual(d?.errors, [], word);
      assert.match(pagesOf(d!.pagesDeflated).join(' '), new RegExp(`Le mot ${word}`), word);
    }
  });

  // The parse worker sends its attachments straight to the extraction worker (extract-channel.ts): when that
  // worker dies with several of them queued, the one it died on is reported and the others are sent again.
  test('an extraction worker that crashes with documents queued: that one gets extract-crash, none is lost', async () => {
    const crashing = new ParsePool(1, 60_000, { workerData: { crashOnName: 'crash.pdf', preloadPdf: false } }, 3);
    after(() => crashing.close());
    crashing.warmExtraction(); // started before the first attachment (a large ingest): the ports reach the parse worker first
    const words = ['delta', 'echo', 'foxtrot', 'golf', 'hotel'];
    const outs = await crashing.parse([eml(11, [txt(words[0]!), pdf('crash'), txt(words[1]!)]), eml(12, [txt(words[2]!)]), eml(13, [txt(words[3]!), txt(words[4]!)])]);
    const docs = new Map(outs.flatMap((o) => (assert.ok('record' in o, JSON.stringify(o)), o.record.documents ?? [])).map((d) => [d.name, d]));
    assert.equal(docs.get('crash.pdf')?.errors[0]?.code, 'extract-crash', JSON.stringify(docs.get('crash.pdf')?.errors));
    assert.equal(docs.get('crash.pdf')?.type, 'pdf');
    for (const word of words) {
      const d = docs.get(`${word}.txt`);
      assert.deepEqual(d?.errors, [], word);
      assert.match(pagesOf(d!.pagesDeflated).join(' '), new RegExp(`Le mot ${word}`), word);
    }
  });
});
