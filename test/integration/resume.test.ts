import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { ingest } from '../../electron/engine/ingest/ingest';
import { generateMbox } from '../fixtures/archive-generator';
import { snapshot, startCli } from '../helpers/resume';
import { tempDir } from '../helpers/temp';

describe('interrupted ingest resumes exactly', () => {
  const evidence = tempDir('casefile-resume-ev-');
  const cases = tempDir('casefile-resume-cases-');
  const archive = path.join(evidence, 'archive.mbox');
  let total = 0;

  before(async () => {
    // ≈800 messages: the kill lands after the first (32-message) batch, with several batches left to resume.
    total = (await generateMbox(archive, 12 * 1024 * 1024, 7)).bytes;
    // With extraction on (the CLI's default): a kill must not lose the documents of committed messages.
    await ingest({ caseDir: path.join(cases, 'reference'), inputs: [archive] });
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
    const resumed = await ingest({ caseDir, inputs: [archive] });
    assert.ok(resumed.messages > 0 && resumed.messages < snapshot(path.join(cases, 'reference')).messages, 'resume parsed only the rest');
    const reference = snapshot(path.join(cases, 'reference'), { documents: true });
    assert.ok(reference.documents!.length > 0 && reference.attachments!.every((a: any) => a.document), 'the reference has a document for every attachment');
    assert.deepEqual(snapshot(caseDir, { documents: true }), reference);
  });

  test('Ctrl-C (SIGINT) stops cleanly with exit code 130; the next run completes', async () => {
    const caseDir = path.join(cases, 'sigint');
    const run = startCli(archive, caseDir);
    await run.progressed;
    run.child.kill('SIGINT');
    const code = await run.exited;
    assert.equal(code, 130, run.stderr());
    assert.match(run.stderr(), /run the same command again to resume/);
    await ingest({ caseDir, inputs: [archive] });
    assert.deepEqual(snapshot(caseDir, { documents: true }), snapshot(path.join(cases, 'reference'), { documents: true }));
  });

  test('a source given again (or twice) is not ingested twice', async () => {
    const caseDir = path.join(cases, 'reference');
    const again = await ingest({ caseDir, inputs: [archive, archive] });
    assert.equal(again.messages, 0);
    assert.equal(again.duplicates, 0);
    assert.match(again.skippedSources.join('\n'), /already ingested/);
  });
});
