import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { ingest } from '../../electron/engine/ingest/ingest';
import { CaseStore } from '../../electron/engine/store/case-store';
import { generateMbox } from '../fixtures/archive-generator';
import { REPO } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

/** Everything that must be identical between an interrupted+resumed ingest and an uninterrupted one. */
function snapshot(caseDir: string) {
  const store = CaseStore.open(caseDir);
  const db = store.db;
  const result = {
    messages: (db.prepare('SELECT COUNT(*) n FROM messages').get() as any).n,
    locations: db.prepare('SELECT l.offset, l.length, l.sha256, m.sha256 AS msg FROM locations l JOIN messages m ON m.id = l.message_id ORDER BY l.offset').all(),
    sources: db.prepare('SELECT path, sha256, status, ingested_offset, messages FROM sources').all(),
    threads: (db.prepare('SELECT COUNT(*) n FROM threads').get() as any).n,
    // The search index covers every message exactly once (no double indexing after a resume).
    indexedDocs: (db.prepare('SELECT SUM(docs) n FROM index_shards').get() as any).n,
  };
  store.close();
  return result;
}

/** Start the real CLI on the archive; resolves once the case has committed at least one batch. */
function startCli(source: string, caseDir: string) {
  const child = spawn(process.execPath, [path.join(REPO, 'bin/casefile.mjs'), 'ingest', source, '--case', caseDir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  const progressed = (async () => {
    const dbFile = path.join(caseDir, 'case.sqlite');
    // Up to 2 min: on a loaded 2-core machine the CLI's start (tsx, workers) alone can take 30 s.
    for (let i = 0; i < 2400; i++) {
      await new Promise((r) => setTimeout(r, 50));
      if (!existsSync(dbFile)) continue;
      try {
        const db = new Database(dbFile, { readonly: true, fileMustExist: true });
        const row = db.prepare('SELECT MAX(ingested_offset) o FROM sources').get() as { o: number | null } | undefined;
        db.close();
        if (row?.o && row.o > 0) return row.o;
      } catch {
        // The schema may not exist yet.
      }
    }
    throw new Error(`ingest made no progress: ${stderr}`);
  })();
  return { child, exited, progressed, stderr: () => stderr };
}

describe('interrupted ingest resumes exactly', () => {
  const evidence = tempDir('casefile-resume-ev-');
  const cases = tempDir('casefile-resume-cases-');
  const archive = path.join(evidence, 'archive.mbox');
  let total = 0;

  before(async () => {
    total = (await generateMbox(archive, 24 * 1024 * 1024, 7)).bytes;
    // Document extraction is not compared (snapshot): left out of the in-process runs to save time.
    await ingest({ caseDir: path.join(cases, 'reference'), inputs: [archive], extract: false });
  });

  test('kill -9 in the middle, run again: same messages, hashes and threads as an uninterrupted run', async () => {
    const caseDir = path.join(cases, 'killed');
    const run = startCli(archive, caseDir);
    const offset = await run.progressed;
    run.child.kill('SIGKILL');
    await run.exited;
    assert.ok(offset < total, 'killed before the end');
    const partial = snapshot(caseDir);
    assert.equal((partial.sources[0] as any).status, 'partial');
    const resumed = await ingest({ caseDir, inputs: [archive], extract: false });
    assert.ok(resumed.messages > 0 && resumed.messages < snapshot(path.join(cases, 'reference')).messages, 'resume parsed only the rest');
    assert.deepEqual(snapshot(caseDir), snapshot(path.join(cases, 'reference')));
  });

  test('Ctrl-C (SIGINT) stops cleanly with exit code 130; the next run completes', async () => {
    const caseDir = path.join(cases, 'sigint');
    const run = startCli(archive, caseDir);
    await run.progressed;
    run.child.kill('SIGINT');
    const code = await run.exited;
    assert.equal(code, 130, run.stderr());
    assert.match(run.stderr(), /run the same command again to resume/);
    await ingest({ caseDir, inputs: [archive], extract: false });
    assert.deepEqual(snapshot(caseDir), snapshot(path.join(cases, 'reference')));
  });

  test('a source given again (or twice) is not ingested twice', async () => {
    const caseDir = path.join(cases, 'reference');
    const again = await ingest({ caseDir, inputs: [archive, archive] });
    assert.equal(again.messages, 0);
    assert.equal(again.duplicates, 0);
    assert.match(again.skippedSources.join('\n'), /already ingested/);
  });
});
