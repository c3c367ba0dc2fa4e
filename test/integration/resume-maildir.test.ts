import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { ingest } from '../../electron/engine/ingest/ingest';
import { CaseStore } from '../../electron/engine/store/case-store';
import { generateMaildir } from '../fixtures/maildir-generator';
import { snapshot, startCli } from '../helpers/resume';
import { tempDir } from '../helpers/temp';

// A Maildir is one source per message: its file's SHA-256 is taken from the parse worker's hash of the
// message (whole-file.ts) and its bookkeeping rides in the batch transactions. These check that a kill
// at any point still resumes to the same case, and that every file's recorded SHA-256 is its own.
describe('Maildir: interrupted ingest resumes exactly; each file hashed and audited once', () => {
  const evidence = tempDir('casefile-resume-md-ev-');
  const cases = tempDir('casefile-resume-md-cases-');
  const maildir = path.join(evidence, 'Maildir');
  const files = () => ['cur', 'new'].flatMap((d) => readdirSync(path.join(maildir, d)).map((f) => path.join(maildir, d, f)));

  before(async () => {
    generateMaildir(maildir, 300, 11);
    // Document extraction is not compared (snapshot): left out of the in-process runs to save time.
    await ingest({ caseDir: path.join(cases, 'reference'), inputs: [maildir], extract: false });
  });

  test('every file: source done with the SHA-256 of its bytes, one source-ingested audit entry naming it', () => {
    const store = CaseStore.open(path.join(cases, 'reference'));
    try {
      const recorded = new Map((store.db.prepare('SELECT path, sha256, status FROM sources').all() as any[]).map((r) => [r.path, r]));
      const audited = store.audit.entries().filter((e) => e.action === 'source-ingested').map((e) => e.details as { path: string; sha256: string });
      assert.equal(audited.length, 300);
      const auditedSha = new Map(audited.map((a) => [a.path, a.sha256]));
      for (const file of files()) {
        const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
        assert.equal(recorded.get(file)?.status, 'done', file);
        assert.equal(recorded.get(file)?.sha256, sha, file);
        assert.equal(auditedSha.get(file), sha, file);
      }
      assert.equal(store.audit.verify().ok, true);
    } finally {
      store.close();
    }
  });

  test('kill -9 in the middle, run again: same messages, locations, sources, threads and index', async () => {
    const caseDir = path.join(cases, 'killed');
    const run = startCli(maildir, caseDir);
    await run.progressed;
    run.child.kill('SIGKILL');
    await run.exited;
    const partial = snapshot(caseDir);
    assert.ok(partial.sources.some((s: any) => s.status !== 'done'), 'killed before the end');
    const resumed = await ingest({ caseDir, inputs: [maildir], extract: false });
    assert.ok(resumed.messages < snapshot(path.join(cases, 'reference')).messages, 'resume parsed only the rest');
    assert.deepEqual(snapshot(caseDir), snapshot(path.join(cases, 'reference')));
    const store = CaseStore.open(caseDir);
    try {
      const audited = store.audit.entries().filter((e) => e.action === 'source-ingested').map((e) => (e.details as any).path);
      assert.equal(new Set(audited).size, audited.length, 'no file audited twice');
      assert.equal(audited.length, 300);
      assert.equal(store.audit.verify().ok, true);
    } finally {
      store.close();
    }
  });
});
