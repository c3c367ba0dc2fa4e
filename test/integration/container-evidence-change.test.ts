import assert from 'node:assert/strict';
import { appendFileSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ingest } from '../../electron/engine/ingest/ingest';
import { CaseStore } from '../../electron/engine/store/case-store';
import { packTar, packZip } from '../fixtures/pack-archives';
import { tempDir } from '../helpers/temp';

/** An mbox of `n` small messages. */
function mbox(n: number, tag: string): Buffer {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    parts.push(`From a@example.org Sat Apr  1 10:00:00 2017\nFrom: a@example.org\nSubject: ${tag} ${i}\nMessage-ID: <${tag}.${i}@example.org>\nDate: Sat, 1 Apr 2017 10:00:00 +0000\n\nbody ${tag} ${i}\n\n`);
  }
  return Buffer.from(parts.join(''));
}

function sourceRow(caseDir: string, file: string) {
  const store = CaseStore.open(caseDir);
  try {
    return store.db.prepare('SELECT status, sha256, size, (SELECT COUNT(*) FROM messages) AS messages FROM sources WHERE path = ?').get(file) as { status: string; sha256: string; size: number; messages: number };
  } finally {
    store.close();
  }
}

// Bare files that grow are re-checked and their new bytes read as new content (README "Evidence handling");
// an archive with bytes appended is another archive, so it is refused with the reason, never resumed.
describe('an archive that changed is changed evidence, not a resumed ingest', () => {
  const evidence = tempDir('casefile-cont-change-ev-');
  const cases = tempDir('casefile-cont-change-cases-');

  test('grown since it was ingested: refused with the reason, nothing re-read; a touched one is re-hashed and skipped', async () => {
    const zip = path.join(evidence, 'dump.zip');
    await packZip([['a.mbox', mbox(5, 'a')]], zip);
    const caseDir = path.join(cases, 'grown');
    await ingest({ caseDir, inputs: [zip], index: false });
    const before = sourceRow(caseDir, zip);
    assert.deepEqual([before.status, before.messages], ['done', 5]);

    const later = new Date(statSync(zip).mtimeMs + 60_000);
    utimesSync(zip, later, later);
    const touched = await ingest({ caseDir, inputs: [zip], index: false });
    assert.equal(touched.messages, 0);
    assert.match(touched.skippedSources.join('\n'), /only its modification time changed; SHA-256 re-checked/);

    appendFileSync(zip, Buffer.from('appended bytes'));
    const grown = await ingest({ caseDir, inputs: [zip], index: false });
    assert.equal(grown.messages, 0);
    assert.match(grown.skippedSources.join('\n'), /dump\.zip: grew from \d+ to \d+ bytes since it was ingested.*a different archive; not re-read/);
    assert.deepEqual(sourceRow(caseDir, zip), before, 'the recorded archive (size, SHA-256, status) and its messages unchanged');
  });

  test('changed while it is read: the messages stored so far stay, the archive is not marked done, the next run refuses it', async () => {
    const tar = path.join(evidence, 'live.tar');
    await packTar([['a.mbox', mbox(400, 'a')], ['b.mbox', mbox(400, 'b')]], tar, { gzip: false });
    const caseDir = path.join(cases, 'live');
    let appended = false;
    const summary = await ingest({
      caseDir,
      inputs: [tar],
      index: false,
      batchMessages: 20,
      onProgress: () => {
        if (appended) return;
        appended = true;
        appendFileSync(tar, Buffer.alloc(512)); // the first batches are stored: the archive changes under the walk
      },
    });
    assert.ok(appended);
    assert.match(summary.skippedSources.join('\n'), /live\.tar: changed while it was read \(\d+ → \d+ bytes\)/);
    const row = sourceRow(caseDir, tar);
    assert.equal(row.status, 'failed');
    assert.ok(row.messages > 0, 'what was stored stays');
    const again = await ingest({ caseDir, inputs: [tar], index: false });
    assert.equal(again.messages, 0);
    assert.match(again.skippedSources.join('\n'), /live\.tar: changed on disk since it was registered/);
  });
});
