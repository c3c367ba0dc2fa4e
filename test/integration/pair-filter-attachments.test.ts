// A message whose attachments have no text (an image, an archive, a PDF without a text layer) keeps its
// adjacent-word-pair filter: attachment text without a word cannot hold a phrase. Such messages were given
// no filter (always verified against their stored text), because the attachment text of a document without
// text is a newline. A message with attachment text that has words still has none (a phrase may be there),
// and phrases find the same messages either way.
import assert from 'node:assert/strict';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ingest } from '../../electron/engine/ingest/ingest';
import { BinaryShard } from '../../electron/engine/search/binary-shard';
import { pairHashes } from '../../electron/engine/search/phrase-pairs';
import { shardPath } from '../../electron/engine/search/shard-files';
import { CaseStore } from '../../electron/engine/store/case-store';
import { makePdf, mboxMessage } from '../fixtures/document-generator';
import { answers } from '../helpers/search-answers';
import { tempDir } from '../helpers/temp';

describe('pair filters of messages with attachments', () => {
  const caseDir = path.join(tempDir('casefile-pair-att-case-'), 'case');
  const pdf = (text: string) => ({ name: 'note.pdf', type: 'application/pdf', bytes: makePdf(text, { author: 'Jean Dupont', created: "D:20170301100000+01'00'" }) });
  const png = { name: 'photo.png', type: 'image/png', bytes: Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex') };

  before(async () => {
    const mbox = path.join(tempDir('casefile-pair-att-ev-'), 'att.mbox');
    const msgs = [
      ['No text PDF', 'Le second tour approche.', [pdf('')]],
      ['Image', 'Le premier tour est passé.', [png]],
      ['Text PDF', 'Rien ici.', [pdf('Le budget du second tour')]],
      ['Plain', 'Le second tour encore.', []],
    ] as const;
    writeFileSync(mbox, msgs.map(([subject, body, att], i) => mboxMessage(200 + i, `Mon, ${3 + i} Apr 2017 10:00:00 +0200`, 'jean@example.fr', subject, body, [...att])).join(''));
    await ingest({ caseDir, inputs: [mbox] });
  });

  after(() => rmSync(path.dirname(caseDir), { recursive: true, force: true }));

  test('a filter where the attachments have no word, none where they have', () => {
    const store = CaseStore.open(caseDir);
    const idOf = (subject: string) => (store.db.prepare('SELECT id FROM messages WHERE subject = ?').get(subject) as { id: number }).id;
    const ids = Object.fromEntries(['No text PDF', 'Image', 'Text PDF', 'Plain'].map((s) => [s, idOf(s)]));
    const docs = store.db.prepare("SELECT count(*) n FROM documents WHERE name = 'note.pdf'").get() as { n: number };
    store.close();
    assert.ok(docs.n >= 2, 'the PDFs were extracted');
    const files = readdirSync(path.join(caseDir, 'index')).filter((f) => f.startsWith('shard-') && f.endsWith('.bin'));
    assert.equal(files.length, 1);
    const shard = BinaryShard.openFile(shardPath(caseDir, files[0]!));
    try {
      const absent = pairHashes('zzqx wordless');
      assert.equal(shard.mayContainPairs(ids['No text PDF']!, absent), false, 'a PDF without text: filter kept');
      assert.equal(shard.mayContainPairs(ids['Image']!, absent), false, 'an image: filter kept');
      assert.equal(shard.mayContainPairs(ids['Plain']!, absent), false);
      assert.equal(shard.mayContainPairs(ids['Text PDF']!, absent), true, 'attachment text with words: no filter');
      assert.equal(shard.mayContainPairs(ids['No text PDF']!, pairHashes('second tour')), true);
    } finally {
      shard.close();
    }
    const [hits] = answers(caseDir, ['"second tour"'], 2000).map((a) => (JSON.parse(a).hits as { subject: string }[]).map((h) => h.subject).sort());
    assert.deepEqual(hits, ['No text PDF', 'Plain', 'Text PDF']);
  });
});
