import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { ingest } from '../../electron/engine/ingest/ingest';
import { CaseStore } from '../../electron/engine/store/case-store';
import { generateMessage, Rng, toMboxEntry } from '../fixtures/archive-generator';
import { tempDir } from '../helpers/temp';

const HOSTILE: ((rng: Rng) => string)[] = [
  () => `Subject: ${'A'.repeat(2 * 1024 * 1024)}\nFrom: x@y\n\nhuge header\n`,
  () => `From: x@y\nContent-Type: multipart/mixed; boundary=b\n\n${'--b\nContent-Type: multipart/mixed; boundary=b\n\n'.repeat(2000)}`,
  () => `From: x@y\nContent-Type: multipart/mixed; boundary="never"\n\n--never\nContent-Type: text/plain\n\ntruncated mid part`,
  () => `From: x@y\nContent-Type: text/plain; charset=x-unknown-charset\n\nbonjour \xe9t\xe9\n`,
  () => `From: x@y\nContent-Type: text/plain; charset=utf-7\n\n+AGEAYgBj-\n`,
  () => `From: x@y\nContent-Type: text/plain; charset=utf-8\n\nmislabeled latin-1: caf\xe9 \xe0 l'\xc9lys\xe9e\n`,
  () => `Date: not a date at all\nFrom: <<<@@@>>>\nTo: ,,,;;;\nMessage-ID: <a@b> <c@d>\n\n\u0000\u0000binary\u0000\n`,
  () => `Content-Transfer-Encoding: base64\nContent-Type: application/pdf\n\n%%%% not base64 !!!! ====\n`,
  () => `Subject: =?UTF-8?B?broken?= =?ISO-2022-JP?B?GyRCJCIbKEI=?= =?x-bad?Q?=ZZ?=\n\nx\n`,
  () => `From: x@y\nContent-Type: text/html\n\n${'<div>'.repeat(20000)}deep${'</div>'.repeat(100)}\n`,
  (rng) => Array.from({ length: 5000 }, () => String.fromCharCode(rng.int(256))).join(''),
  () => '',
  () => '\n\n\n',
];

function mutate(rng: Rng, text: string): string {
  const op = rng.int(5);
  const at = rng.int(Math.max(1, text.length));
  if (op === 0) return text.slice(0, at); // truncated
  if (op === 1) {
    const chars = text.split('');
    for (let i = 0; i < 1 + rng.int(40); i++) chars[rng.int(Math.max(1, chars.length))] = String.fromCharCode(rng.int(256));
    return chars.join('');
  }
  if (op === 2) return text.slice(0, at) + Array.from({ length: 200 + rng.int(2000) }, () => String.fromCharCode(rng.int(256))).join('') + text.slice(at);
  if (op === 3) return text.replace(/boundary="?([^";\n]+)"?/, 'boundary="$1x"'); // boundary mismatch
  return text.replace(/\n\n/, '\n' + 'X-Junk: ' + 'y'.repeat(rng.int(100_000)) + '\n\n');
}

describe('fuzz: mutated, truncated and hostile messages', () => {
  const evidence = tempDir('casefile-fuzz-ev-');
  const cases = tempDir('casefile-fuzz-cases-');
  const mbox = path.join(evidence, 'fuzz.mbox');
  const emlDir = path.join(evidence, 'eml');
  const MBOX_MESSAGES = 2500;
  const EML_FILES = 600;

  before(() => {
    const rng = new Rng(1234);
    const entries: string[] = [];
    for (let i = 0; i < MBOX_MESSAGES; i++) {
      const base = i % 50 === 0 ? HOSTILE[(i / 50) % HOSTILE.length]!(rng) : generateMessage(rng, i, null).text;
      entries.push(toMboxEntry(i % 50 === 0 ? base : mutate(rng, base)));
    }
    writeFileSync(mbox, Buffer.from(entries.join(''), 'latin1'));
    mkdirSync(emlDir);
    for (let i = 0; i < EML_FILES; i++) {
      const base = i < HOSTILE.length ? HOSTILE[i]!(rng) : generateMessage(rng, i, null).text;
      writeFileSync(path.join(emlDir, `m${String(i).padStart(4, '0')}.eml`), Buffer.from(i < HOSTILE.length ? base : mutate(rng, base), 'latin1'));
    }
  });

  test('every message is stored (with per-message errors), nothing is lost, no crash, no hang', { timeout: 300_000 }, async () => {
    const caseDir = path.join(cases, 'case');
    const summary = await ingest({ caseDir, inputs: [mbox, emlDir] });
    const store = CaseStore.open(caseDir);
    const db = store.db;
    const locations = db.prepare('SELECT s.path, s.kind, l.offset, l.length, l.envelope FROM locations l JOIN sources s ON s.id = l.source_id ORDER BY s.id, l.offset').all() as any[];
    const withErrors = (db.prepare('SELECT COUNT(*) n FROM messages WHERE error_count > 0').get() as any).n;
    const codes = new Set((db.prepare("SELECT DISTINCT json_extract(value, '$.code') c FROM messages, json_each(messages.errors_json)").all() as any[]).map((r) => r.c));
    const sources = db.prepare("SELECT COUNT(*) n FROM sources WHERE status = 'done'").get() as any;
    store.close();

    assert.equal(sources.n, 1 + EML_FILES, 'every source finished');
    assert.equal(summary.messages + summary.duplicates, locations.length);
    // Every .eml file is exactly one message covering all its bytes.
    const emls = locations.filter((l) => l.kind === 'eml');
    assert.equal(emls.length, EML_FILES);
    // The mbox is covered end to end: between two messages there is only a From_ line and an empty line.
    const bytes = readFileSync(mbox);
    const spans = locations.filter((l) => l.kind === 'mbox');
    assert.ok(spans.length >= MBOX_MESSAGES * 0.95, `most messages found (${spans.length})`);
    let pos = 0;
    for (const s of spans) {
      const gap = bytes.toString('latin1', pos, s.offset);
      assert.ok(/^(\n|\r\n)?(From [^\n]*\n)?$/.test(gap), `only separators between messages at ${pos}: ${JSON.stringify(gap.slice(0, 80))}`);
      pos = s.offset + s.length;
    }
    assert.ok(/^(\n|\r\n)?$/.test(bytes.toString('latin1', pos)), 'nothing after the last message but its separator');
    assert.ok(withErrors > 10, `errors recorded per message (${withErrors})`);
    for (const expected of ['invalid-date', 'charset-invalid']) assert.ok(codes.has(expected), `error code ${expected} among ${[...codes].join(', ')}`);
  });
});
