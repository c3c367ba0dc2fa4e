import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { messageBody } from '../../electron/engine/api/message-body';
import { runAuthPass } from '../../electron/engine/auth/auth-pass';
import { ingest } from '../../electron/engine/ingest/ingest';
import { CaseQueries } from '../../electron/engine/store/case-queries';
import { CaseStore } from '../../electron/engine/store/case-store';
import { readOriginalBytes, readVerifiedOriginal } from '../../electron/engine/store/original-bytes';
import { packTar, packZip } from '../fixtures/pack-archives';
import { corpus, HAVE_CORPORA, needsCorpora } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

const NAMES = ['testPST.pst', 'testPST_variousBodyTypes.pst', 'testMSG.msg', 'test-outlook.msg'];
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Each message as (subject, SHA-256 of the re-encoded .eml, SHA-256 of the bytes re-read from the evidence now). */
async function messagesOf(caseDir: string): Promise<string[]> {
  const store = CaseStore.open(caseDir);
  try {
    const q = new CaseQueries(store.db);
    const out: string[] = [];
    for (const { id, sha256, subject } of store.db.prepare('SELECT id, sha256, subject FROM messages').all() as { id: number; sha256: string; subject: string }[]) {
      out.push(`${subject} ${sha256} ${sha((await readVerifiedOriginal(q, id)).bytes)}`);
    }
    return out.sort();
  } finally {
    store.close();
  }
}

describe('Outlook PST and .msg files inside archives', needsCorpora, () => {
  const dir = tempDir('casefile-cont-outlook-');
  const cases = tempDir('casefile-cont-outlook-cases-');
  const files = HAVE_CORPORA ? NAMES.map((n) => corpus('tika-documents', n)) : [];
  let reference: string[];

  before(async () => {
    if (!HAVE_CORPORA) return;
    await packZip(NAMES.map((n, i) => [`outlook/${n}`, files[i]!]), path.join(dir, 'outlook.zip'));
    await packTar(NAMES.map((n, i) => [`outlook/${n}`, files[i]!]), path.join(dir, 'outlook.tgz'));
    await ingest({ caseDir: path.join(cases, 'bare'), inputs: files, index: false, extract: false });
    reference = await messagesOf(path.join(cases, 'bare'));
    assert.equal(reference.length, 7 + 4 + 1 + 1, "Tika's item counts: 7 + 4 mail items, two .msg");
  });

  // The zip's entries are held in memory; a 64 KiB bound sends the tgz's PSTs through the case's spool area.
  for (const [name, limits] of [['outlook.zip', {}], ['outlook.tgz', { inMemoryBytes: 64 * 1024 }]] as const) {
    test(`${name}: the same items as the bare files, re-encoded identically and re-read through the archive`, async () => {
      const caseDir = path.join(cases, name);
      const summary = await ingest({ caseDir, inputs: [path.join(dir, name)], index: false, extract: false, containerLimits: limits });
      assert.deepEqual(summary.skippedSources, []);
      // The variousBodyTypes PST's unreadable search folder is reported under the entry's path, as for the bare file.
      assert.ok(summary.warnings!.some((w) => w.includes(`${name}!/outlook/testPST_variousBodyTypes.pst`) && w.includes('SPAM Search Folder 2')), JSON.stringify(summary.warnings));
      assert.deepEqual(await messagesOf(caseDir), reference);
      assert.deepEqual(readdirSync(path.join(caseDir, 'tmp')), [], 'spool area emptied');
      const store = CaseStore.open(caseDir);
      try {
        const q = new CaseQueries(store.db);
        const id = (store.db.prepare(`SELECT id FROM messages WHERE subject = 'Re: Feature Generators'`).get() as { id: number }).id;
        const m = q.message(id)!;
        assert.deepEqual(m.source.container?.entry, ['outlook/testPST.pst']);
        assert.equal(m.source.container?.sha256, sha(readFileSync(path.join(dir, name))));
        assert.match(m.source.derivation ?? '', /Outlook PST\/OST item \d+, re-encoded as \.eml/);
        // The public location (no source kind) re-reads too; the reading pane parses it.
        assert.equal(sha(await readOriginalBytes(m.source)), m.source.sha256);
        assert.equal((await messageBody(q, id))!.parseError ?? null, null);
        const msg = (store.db.prepare(`SELECT id FROM messages WHERE subject = 'MIME registry use cases'`).get() as { id: number }).id;
        assert.match((await messageBody(q, msg))!.text, /\S/);
        // The authenticity pass reads every item through the archive (none "evidence-unreadable").
        await runAuthPass(store.db, store.audit);
        const unreadable = store.db.prepare(`SELECT COUNT(*) n FROM message_auth WHERE result_json LIKE '%evidence-unreadable%'`).get() as { n: number };
        assert.equal(unreadable.n, 0);
      } finally {
        store.close();
      }
      const again = await ingest({ caseDir, inputs: [path.join(dir, name)], index: false, extract: false });
      assert.equal(again.messages, 0, 're-ingesting adds nothing');
    });
  }
});
