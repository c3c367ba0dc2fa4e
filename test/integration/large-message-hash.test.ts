import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ingest } from '../../electron/engine/ingest/ingest';
import { CaseStore } from '../../electron/engine/store/case-store';
import { tempDir } from '../helpers/temp';

// Finding 5 of issue 16: a message over 32 MiB whose parse fails early was hashed over only the bytes the
// parser had read (~1 MiB), so two different 40 MiB messages with the same 2 MiB header merged as
// duplicates and neither recorded hash matched the evidence.

test('two different 40 MiB messages with the same 2 MiB header stay two messages, each hashed over all its bytes', { timeout: 120_000 }, async () => {
  const dir = tempDir('casefile-bigpair-');
  // A 2 MiB header block makes mailparser give up at once ("Max header size exceeded").
  const header = 'From: a@example.org\nSubject: big\nMessage-ID: <big@example.org>\n' + Array.from({ length: 2048 }, (_, i) => `X-Pad-${i}: ${'p'.repeat(1000)}\n`).join('') + '\n';
  const envelope = 'From a@example.org Mon Apr  3 10:00:00 2017\n';
  const bodies = ['A', 'B'].map((c) => Buffer.alloc(39 * 1024 * 1024, `${c}${c}${c}${c}${c}${c}${c}\n`));
  const file = path.join(dir, 'pair.mbox');
  writeFileSync(file, Buffer.concat(bodies.flatMap((b) => [Buffer.from(envelope + header), b, Buffer.from('\n')])));

  const caseDir = path.join(tempDir('casefile-bigpair-case-'), 'c');
  const summary = await ingest({ caseDir, inputs: [file], index: false });
  assert.equal(summary.messages, 2);
  assert.equal(summary.duplicates, 0);

  const bytes = readFileSync(file);
  const store = CaseStore.open(caseDir);
  try {
    const rows = store.db.prepare('SELECT m.sha256 AS msg, m.size, m.errors_json, l.sha256 AS loc, l.offset, l.length FROM messages m JOIN locations l ON l.message_id = m.id ORDER BY l.offset').all() as any[];
    assert.equal(rows.length, 2);
    for (const r of rows) {
      assert.ok(r.length > 40 * 1024 * 1024 - 1, 'span is the whole message');
      const real = createHash('sha256').update(bytes.subarray(r.offset, r.offset + r.length)).digest('hex');
      assert.equal(r.msg, real, 'message hash covers every byte of the span');
      assert.equal(r.loc, real);
      assert.equal(r.size, r.length, 'recorded size is the real span length');
      assert.match(r.errors_json, /MIME parse failed: Max header size/, `the parse failed early and says why: ${r.errors_json.slice(0, 300)}`);
    }
    assert.notEqual(rows[0].msg, rows[1].msg);
  } finally {
    store.close();
  }
});
