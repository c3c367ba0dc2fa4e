import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { ingest } from '../../electron/engine/ingest/ingest';
import { CaseStore } from '../../electron/engine/store/case-store';
import { generateMbox, toMboxEntry } from '../fixtures/archive-generator';
import { tempDir } from '../helpers/temp';

// Finding 7 of issue 16: evidence truncated during ingest made it spin; evidence that grew got no warning
// and its new messages could never be ingested.

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function extraMessages(n: number, tag: string): string {
  let out = '';
  for (let i = 0; i < n; i++) {
    out += toMboxEntry(`From: late${i}@example.org\nSubject: ${tag} ${i}\nMessage-ID: <${tag}-${i}@example.org>\nDate: Mon, 3 Apr 2017 10:00:00 +0200\n\nArrived later ${i}.\n`);
  }
  return out;
}

function auditOf(caseDir: string) {
  const store = CaseStore.open(caseDir);
  try {
    return { entries: store.audit.entries(), ok: store.audit.verify().ok, sources: store.db.prepare('SELECT path, status, sha256, size FROM sources ORDER BY id').all() as any[] };
  } finally {
    store.close();
  }
}

describe('evidence changing during ingest', () => {
  const evidence = tempDir('casefile-change-ev-');
  const cases = tempDir('casefile-change-cases-');
  let template: Buffer;
  let templateMessages = 0;

  before(async () => {
    const file = path.join(evidence, 'template.mbox');
    templateMessages = (await generateMbox(file, 8 * 1024 * 1024, 11)).messages;
    template = readFileSync(file);
  });

  test('a file truncated mid-ingest ends the ingest promptly with a clear per-source error; other sources are ingested', { timeout: 60_000 }, async () => {
    const dir = path.join(evidence, 'trunc');
    const victim = path.join(dir, 'a-victim.mbox');
    const other = path.join(dir, 'b-other.mbox');
    mkdirSync(dir);
    writeFileSync(victim, template);
    writeFileSync(other, extraMessages(5, 'other'));
    let cut = false;
    const started = Date.now();
    const summary = await ingest({
      caseDir: path.join(cases, 'trunc'),
      inputs: [dir],
      batchMessages: 32,
      index: false,
      onProgress: () => {
        if (!cut) {
          cut = true;
          truncateSync(victim, Math.floor(template.length / 2));
        }
      },
    });
    assert.ok(cut, 'the file was truncated during the ingest');
    assert.ok(Date.now() - started < 45_000, 'ended promptly');
    assert.match(summary.skippedSources.join('\n'), /a-victim\.mbox: truncated/);
    const audit = auditOf(path.join(cases, 'trunc'));
    const byPath = Object.fromEntries(audit.sources.map((s) => [path.basename(s.path), s]));
    assert.equal(byPath['a-victim.mbox'].status, 'failed');
    assert.equal(byPath['b-other.mbox'].status, 'done');
    assert.ok(summary.messages >= 5, 'the messages read before the cut and the other source are kept');
    assert.ok(audit.entries.some((e) => e.action === 'source-failed' && /truncated/.test((e.details as any).reason)));
  });

  test('a file that grows during ingest gets a warning; the next run ingests the new bytes as new content', { timeout: 60_000 }, async () => {
    const file = path.join(evidence, 'growing.mbox');
    writeFileSync(file, template);
    const caseDir = path.join(cases, 'grow');
    const late = extraMessages(40, 'late');
    let grown = false;
    const first = await ingest({
      caseDir,
      inputs: [file],
      batchMessages: 32,
      index: false,
      onProgress: () => {
        if (!grown) {
          grown = true;
          appendFileSync(file, late);
        }
      },
    });
    assert.ok(grown);
    assert.match((first.warnings ?? []).join('\n'), /grew during ingest/);
    assert.equal(first.sources[0]!.sha256, sha256(template), 'the recorded hash covers exactly the bytes ingested');
    assert.equal(first.messages + first.duplicates, templateMessages);

    const second = await ingest({ caseDir, inputs: [file], index: false });
    assert.match((second.warnings ?? []).join('\n'), /grew from \d+ to \d+ bytes/);
    assert.equal(second.messages, 40, 'the appended messages are ingested');
    const whole = readFileSync(file);
    const audit = auditOf(caseDir);
    assert.ok(audit.ok);
    const hashes = audit.entries.filter((e) => e.action === 'source-ingested').map((e) => (e.details as any).sha256);
    assert.deepEqual(hashes, [sha256(template), sha256(whole)]);
    assert.equal(audit.sources[0].size, whole.length);

    const third = await ingest({ caseDir, inputs: [file], index: false });
    assert.equal(third.messages, 0);
    assert.match(third.skippedSources.join('\n'), /already ingested/);
  });

  test('a finished file rewritten in place (same size, other bytes) is refused on the next run', async () => {
    const file = path.join(evidence, 'rewritten.mbox');
    const caseDir = path.join(cases, 'rewrite');
    writeFileSync(file, extraMessages(3, 'orig'));
    await ingest({ caseDir, inputs: [file], index: false });
    const forged = readFileSync(file);
    forged[forged.length - 5] ^= 0x20;
    writeFileSync(file, forged);
    const again = await ingest({ caseDir, inputs: [file], index: false });
    assert.equal(again.messages, 0);
    assert.match(again.skippedSources.join('\n'), /no longer match the recorded SHA-256/);
  });
});
