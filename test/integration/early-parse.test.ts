import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { ingest } from '../../electron/engine/ingest/ingest';
import { CaseStore } from '../../electron/engine/store/case-store';
import { generateMaildir } from '../fixtures/maildir-generator';
import { snapshot } from '../helpers/resume';
import { tempDir } from '../helpers/temp';

// A new case's whole-file messages are parsed while discovery still walks (ingest/early-parse.ts); a case
// that exists already is ingested as before. Both must give the same case, and nothing may be written
// before the evidence guard has passed.
describe('early parse during discovery (new case) gives the case an existing case gets', () => {
  const evidence = tempDir('casefile-early-ev-');
  const cases = tempDir('casefile-early-cases-');
  const maildir = path.join(evidence, 'Maildir');
  const files = () => ['cur', 'new'].flatMap((d) => readdirSync(path.join(maildir, d)).map((f) => path.join(maildir, d, f)));

  before(() => generateMaildir(maildir, 700, 23));

  test('same messages, locations, sources, documents, threads and index; the same audit trail', async () => {
    const fresh = path.join(cases, 'fresh');
    const existing = path.join(cases, 'existing');
    CaseStore.open(existing, { create: true }).close(); // the case exists: no early parse
    // Small batches: many groups parsed ahead, and batches that mix those with jobs parsed later.
    const a = await ingest({ caseDir: fresh, inputs: [maildir], batchMessages: 50 });
    const b = await ingest({ caseDir: existing, inputs: [maildir], batchMessages: 50 });
    assert.equal(a.messages, b.messages);
    assert.ok(a.messages > 600);
    assert.deepEqual(snapshot(fresh, { documents: true }), snapshot(existing, { documents: true }));
    const trail = (dir: string) => {
      const store = CaseStore.open(dir);
      try {
        assert.equal(store.audit.verify().ok, true);
        return store.audit.entries().filter((e) => e.action.startsWith('source')).map((e) => [e.action, (e.details as any).path, (e.details as any).sha256]);
      } finally {
        store.close();
      }
    };
    assert.deepEqual(trail(fresh), trail(existing));
  });

  test('a case refused by the evidence guard after the walk is not created, and the evidence is untouched', async () => {
    const before = files().map((f) => [f, statSync(f).mtimeMs, readFileSync(f).length]);
    const inside = path.join(maildir, 'cur', 'case');
    await assert.rejects(ingest({ caseDir: inside, inputs: [maildir] }), /inside or beside the evidence/);
    assert.equal(existsSync(inside), false);
    assert.deepEqual(files().map((f) => [f, statSync(f).mtimeMs, readFileSync(f).length]), before);
  });
});
