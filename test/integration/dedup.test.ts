import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ingest } from '../../electron/engine/ingest/ingest';
import { CaseQueries } from '../../electron/engine/store/case-queries';
import { CaseStore } from '../../electron/engine/store/case-store';
import { tempDir } from '../helpers/temp';

function message({ from = 'Alice <alice@example.com>', date = 'Mon, 01 May 2017 10:00:00 +0200', html = '<p>Le budget est <b>validé</b>.</p>', text = 'Le budget est validé.', subject = 'Budget' } = {}) {
  return [
    `From: ${from}`,
    'To: bob@example.org',
    `Subject: ${subject}`,
    `Date: ${date}`,
    'Message-ID: <same-id@example.com>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/alternative; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    text,
    '--b',
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    html,
    '--b--',
    '',
  ].join('\n');
}

test('copies sharing a Message-ID merge only when content, sender and date agree', async () => {
  const ev = tempDir('casefile-dedup-ev-');
  const variants: Record<string, string> = {
    'original.eml': message(),
    'whitespace-and-subject-tag.eml': message({ text: 'Le budget   est validé.\n\n', subject: '[campagne] Budget' }).replace(/\n/g, '\r\n'),
    'html-changed.eml': message({ html: '<p>Le budget est <b>refusé</b>.</p>' }),
    'date-changed.eml': message({ date: 'Tue, 02 May 2017 10:00:00 +0200' }),
    'sender-changed.eml': message({ from: 'Alice <alice@forged.example>' }),
  };
  for (const [name, text] of Object.entries(variants)) writeFileSync(path.join(ev, name), text);
  const caseDir = path.join(tempDir('casefile-dedup-case-'), 'c');
  const summary = await ingest({ caseDir, inputs: [ev] });
  assert.equal(summary.messages, 4, 'original + whitespace/list-tag copy merge; HTML, Date and sender changes stay apart');
  assert.equal(summary.duplicates, 1);
  const store = CaseStore.open(caseDir);
  const q = new CaseQueries(store.db);
  const ids = (store.db.prepare('SELECT id FROM messages ORDER BY id').raw().all() as [number][]).map((r) => r[0]);
  const merged = ids.map((id) => q.message(id)!).find((m) => m.locations.length === 2)!;
  assert.deepEqual(merged.locations.map((l) => path.basename(l.path)).sort(), ['original.eml', 'whitespace-and-subject-tag.eml']);
  assert.equal(merged.sameMessageId.length, 3, 'the variants point at each other');
  store.close();
});
