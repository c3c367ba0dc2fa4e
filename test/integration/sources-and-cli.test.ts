import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ingest } from '../../electron/engine/ingest/ingest';
import { CaseQueries } from '../../electron/engine/store/case-queries';
import { CaseStore } from '../../electron/engine/store/case-store';
import { cli, cliJson } from '../helpers/cli';
import { corpus, needsCorpora } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

const MSG = (n: number, extra = '') => `From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nSubject: message ${n}\r\nMessage-ID: <m${n}@example.org>\r\nDate: Mon, 1 May 2017 1${n}:00:00 +0200\r\n${extra}\r\nBody ${n}\r\n`;

describe('sources: eml, emlx, Maildir, folders', () => {
  const ev = tempDir('casefile-src-ev-');
  const cases = tempDir('casefile-src-cases-');

  test('a folder tree of .eml, Maildir (cur/new/tmp, names with ":") and .emlx files', async () => {
    const root = path.join(ev, 'export');
    for (const sub of ['Maildir/cur', 'Maildir/new', 'Maildir/tmp', 'nested/deeper']) mkdirSync(path.join(root, sub), { recursive: true });
    writeFileSync(path.join(root, 'Maildir/cur/1490000000.M1P2.host:2,S'), MSG(1));
    writeFileSync(path.join(root, 'Maildir/new/1490000001.M2P2.host'), MSG(2));
    writeFileSync(path.join(root, 'nested/deeper/three.eml'), MSG(3));
    const four = Buffer.from(MSG(4));
    writeFileSync(path.join(root, 'nested/4.emlx'), Buffer.concat([Buffer.from(`${four.length}\n`), four, Buffer.from('<?xml version="1.0"?><plist><dict></dict></plist>\n')]));
    writeFileSync(path.join(root, '.DS_Store'), Buffer.from([0, 0, 0, 1, 0x42, 0x75, 0x64, 0x31]));
    const caseDir = path.join(cases, 'tree');
    const summary = await ingest({ caseDir, inputs: [root] });
    assert.equal(summary.messages, 4);
    const store = CaseStore.open(caseDir);
    const q = new CaseQueries(store.db);
    const subjects = q.list(10, 0).messages.map((m) => m.subject);
    assert.deepEqual(subjects, ['message 1', 'message 2', 'message 3', 'message 4']);
    const emlx = q.list(10, 0).messages[3]!;
    const loc = q.message(emlx.id)!.source;
    assert.equal(loc.offset, String(four.length).length + 1, 'emlx: the message starts after the byte-count line');
    assert.equal(loc.length, four.length, 'emlx: the plist trailer is not part of the message');
    store.close();
  });

  test('the case directory is refused inside or beside the evidence', async () => {
    const file = path.join(ev, 'one.eml');
    writeFileSync(file, MSG(5));
    await assert.rejects(ingest({ caseDir: path.join(ev, 'case-here'), inputs: [file] }), /inside or beside the evidence/);
    const r = cli(['ingest', file, '--case', path.join(ev, 'case-here')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /inside or beside the evidence/);
    await ingest({ caseDir: path.join(ev, 'case-ok'), inputs: [file], allowCaseNearEvidence: true });
  });
});

describe('CLI', needsCorpora, () => {
  const cases = tempDir('casefile-cli-');
  const caseDir = path.join(cases, 'case');
  const mbox = corpus('ponymail-asf-mbox/corpus/asterix-dev-201709-mailarchivesao.mbox');

  test('ingest --json prints the summary on stdout only', () => {
    const r = cli(['ingest', mbox, '--case', caseDir, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const summary = JSON.parse(r.stdout);
    assert.equal(summary.messages, 53);
    assert.deepEqual(Object.keys(summary).sort(), ['cancelled', 'duplicates', 'errors', 'messages', 'seconds', 'skipped', 'skippedSources', 'sources', 'warnings'].sort());
    assert.equal(summary.sources[0].path, mbox);
    assert.equal(summary.sources[0].bytes, readFileSync(mbox).length);
    assert.match(summary.sources[0].sha256, /^[0-9a-f]{64}$/);
  });

  test('list, show, thread and stats give the documented JSON fields', () => {
    const page = cliJson(['list', caseDir, '--limit', '5', '--offset', '2']);
    assert.equal(page.total, 53);
    assert.equal(page.messages.length, 5);
    const dates = cliJson(['list', caseDir, '--limit', '100']).messages.map((m: any) => m.date).filter(Boolean);
    assert.deepEqual(dates, [...dates].sort(), 'listed by date');
    const msg = cliJson(['show', caseDir, String(page.messages[0].id)]);
    for (const k of ['id', 'sha256', 'source', 'locations', 'messageId', 'date', 'from', 'to', 'cc', 'subject', 'threadId', 'size', 'attachments', 'tags', 'errors']) {
      assert.ok(k in msg, `message JSON has ${k}`);
    }
    assert.deepEqual(Object.keys(msg.source).sort(), ['length', 'offset', 'path', 'sha256']);
    const thread = cliJson(['thread', caseDir, String(msg.id)]);
    assert.equal(thread.threadId, msg.threadId);
    const ids: number[] = [];
    const walk = (n: any) => {
      if (n.id) ids.push(n.id);
      n.children.forEach(walk);
    };
    walk(thread.root);
    assert.ok(ids.includes(msg.id));
    const stats = cliJson(['stats', caseDir]);
    assert.equal(stats.messages, 53);
    assert.ok(stats.topSenders.length > 0 && stats.topSenders[0].count >= stats.topSenders.at(-1).count);
    assert.match(stats.dateRange.first, /^2017-0[89]/);
  });

  test('exit codes: 1 for usage errors, 2 for input problems; --help everywhere', () => {
    assert.equal(cli([]).status, 1);
    assert.equal(cli(['frobnicate']).status, 1);
    assert.equal(cli(['list', caseDir, '--limit', 'lots']).status, 1);
    assert.equal(cli(['ingest', mbox]).status, 1, '--case is required');
    const missing = cli(['ingest', path.join(cases, 'nope.mbox'), '--case', path.join(cases, 'c2')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /nope\.mbox/);
    assert.equal(cli(['show', path.join(cases, 'no-case'), '1']).status, 2);
    assert.equal(cli(['show', caseDir, '99999']).status, 2);
    for (const c of ['ingest', 'list', 'show', 'thread', 'stats', 'audit']) {
      const r = cli([c, '--help']);
      assert.equal(r.status, 0);
      assert.match(r.stdout, new RegExp(`Usage: casefile ${c}`));
    }
  });

  test('audit log records the ingest with source hashes and verifies', () => {
    const entries = cliJson(['audit', caseDir]);
    assert.deepEqual(entries.map((e: any) => e.action), ['case-created', 'source-ingested', 'sources-ingested', 'auth-verified']);
    // Each source is audited when it is marked done (same transaction), the run's summary after.
    assert.equal(entries[1].details.sha256, cliJson(['stats', caseDir]).sources[0].sha256);
    assert.equal(entries[2].details.sources[0].sha256, cliJson(['stats', caseDir]).sources[0].sha256);
    assert.equal(cli(['audit', caseDir, '--verify']).status, 0);
  });

  test('a copied evidence tree is found again by content: moved evidence is not re-ingested as new messages', async () => {
    const copyDir = tempDir('casefile-cli-copy-');
    cpSync(mbox, path.join(copyDir, 'copy.mbox'));
    const summary = await ingest({ caseDir, inputs: [path.join(copyDir, 'copy.mbox')] });
    assert.equal(summary.messages, 0, 'same bytes: all duplicates');
    assert.equal(summary.duplicates, 53);
  });
});
