import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { ingest } from '../../electron/engine/ingest/ingest';
import { CaseStore } from '../../electron/engine/store/case-store';
import { generateMbox, Rng } from '../fixtures/archive-generator';
import { REPO } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

// Finding 6 of issue 16: a source finished by a run that was then killed was skipped on resume and never
// audited (after 20 kills, 0 of 58 source SHA-256s were in the audit log).

const SOURCES = 5;

function doneCount(caseDir: string): number {
  const file = path.join(caseDir, 'case.sqlite');
  if (!existsSync(file)) return 0;
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare(`SELECT COUNT(*) n FROM sources WHERE status = 'done'`).get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0; // schema not created yet
  }
}

/** Run the CLI; SIGKILL it once `until` holds (or it ends by itself). Resolves with whether it was killed. */
async function runUntil(folder: string, caseDir: string, until: () => boolean): Promise<boolean> {
  const child = spawn(process.execPath, [path.join(REPO, 'bin/casefile.mjs'), 'ingest', folder, '--case', caseDir, '--workers', '1'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let killed = false;
  let ended = false;
  void exited.then(() => (ended = true));
  while (!ended) {
    if (until()) {
      child.kill('SIGKILL');
      killed = true;
      break;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  await exited;
  return killed;
}

describe('every hashed source is audited, across kills and resumes', () => {
  const evidence = tempDir('casefile-auditkill-ev-');
  const cases = tempDir('casefile-auditkill-case-');
  const folder = path.join(evidence, 'mailboxes');

  before(async () => {
    mkdirSync(folder);
    for (let i = 0; i < SOURCES; i++) await generateMbox(path.join(folder, `box${i}.mbox`), 1536 * 1024, 100 + i);
  });

  test('kill -9 right after sources finish and at random moments; every source SHA-256 ends up in the audit log once', { timeout: 240_000 }, async () => {
    const caseDir = path.join(cases, 'killed');
    const rng = new Rng(7);
    let kills = 0;
    // Kill right after a source is marked done (the run's end-of-ingest audit entry is never reached).
    for (let round = 0; round < 3 && doneCount(caseDir) < SOURCES; round++) {
      const before = doneCount(caseDir);
      if (await runUntil(folder, caseDir, () => doneCount(caseDir) > before)) kills++;
    }
    // Then at random moments.
    for (let round = 0; round < 3 && doneCount(caseDir) < SOURCES; round++) {
      const at = Date.now() + 1500 + rng.next() * 2000;
      if (await runUntil(folder, caseDir, () => Date.now() >= at)) kills++;
    }
    assert.ok(kills >= 2, `killed ${kills} times`);
    await ingest({ caseDir, inputs: [folder], index: false });

    const store = CaseStore.open(caseDir);
    try {
      assert.ok(store.audit.verify().ok, 'chain intact');
      const audited = store.audit.entries().filter((e) => e.action === 'source-ingested').map((e) => (e.details as any).sha256);
      const expected = Array.from({ length: SOURCES }, (_, i) => createHash('sha256').update(readFileSync(path.join(folder, `box${i}.mbox`))).digest('hex'));
      assert.deepEqual([...audited].sort(), [...expected].sort(), 'each source audited exactly once with its real SHA-256');
    } finally {
      store.close();
    }
  });
});
