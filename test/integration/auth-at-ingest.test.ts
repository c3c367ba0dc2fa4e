// Parse workers compute the authenticity report of unsigned, dated messages during ingest (issue 15); the
// pass after ingest does the rest. The reports must be exactly those the pass computes for every message.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runAuthPassThenRethread } from '../../electron/engine/auth/auth-pass-rethread';
import { verifiedAtIngest } from '../../electron/engine/auth/auth-writer';
import { ingest } from '../../electron/engine/ingest/ingest';
import { CaseStore } from '../../electron/engine/store/case-store';
import { generateMbox } from '../fixtures/archive-generator';
import { corpus, needsCorpora } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

type Snapshot = Map<number, string>;

function snapshot(store: CaseStore): Snapshot {
  const rows = store.db.prepare('SELECT message_id, keys_version, signed, result_json FROM message_auth ORDER BY message_id').all() as any[];
  const terms = store.db.prepare("SELECT group_concat(term, ' ') t FROM (SELECT term FROM message_auth_terms WHERE message_id = ? ORDER BY term)");
  return new Map(rows.map((r) => [r.message_id, JSON.stringify([r.keys_version, r.signed, JSON.parse(r.result_json), (terms.get(r.message_id) as { t: string | null }).t])]));
}

test('reports computed at ingest equal the pass\'s own, message by message; audited once, as before', needsCorpora, async () => {
  const dir = tempDir('casefile-auth-ingest-');
  const mbox = path.join(dir, 'evidence', 'generated.mbox');
  mkdirSync(path.dirname(mbox));
  await generateMbox(mbox, 2 * 1024 * 1024, 15);
  const caseDir = path.join(dir, 'case');
  await ingest({ caseDir, inputs: [corpus('ponymail-asf-mbox'), corpus('notmuch-corpora'), corpus('mailauth-dkim/test/fixtures'), mbox], index: false, extract: false });
  const store = CaseStore.open(caseDir);
  try {
    const messages = (store.db.prepare('SELECT COUNT(*) n FROM messages').get() as { n: number }).n;
    const atIngest = verifiedAtIngest(store.db).count;
    assert.ok(atIngest > 300 && atIngest < messages, `${atIngest} of ${messages} verified at ingest (signed and undated ones left to the pass)`);
    const first = await runAuthPassThenRethread(store);
    assert.equal(first.checked, messages);
    const viaIngest = snapshot(store);
    assert.equal(viaIngest.size, messages);
    const audit = store.db.prepare("SELECT details_json AS details FROM audit WHERE action = 'auth-verified'").all() as { details: string }[];
    assert.equal(audit.length, 1);
    assert.equal(JSON.parse(audit[0]!.details).checked, messages);
    assert.equal(JSON.parse(audit[0]!.details).verifiedAtIngest, atIngest);
    assert.equal(verifiedAtIngest(store.db).count, 0, 'counted once');

    // The reference: the pass alone, on every message.
    store.db.exec('DELETE FROM message_auth_terms; DELETE FROM message_auth;');
    const second = await runAuthPassThenRethread(store);
    assert.equal(second.checked, messages);
    const viaPass = snapshot(store);
    for (const [id, expected] of viaPass) assert.equal(viaIngest.get(id), expected, `message ${id}`);
    const signed = [...viaPass.values()].filter((v) => JSON.parse(v)[1] === 1).length;
    assert.ok(signed >= 10, `${signed} signed messages (verified by the pass both times)`);
  } finally {
    store.close();
  }
});
