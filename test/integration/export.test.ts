import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { unquoteMboxrd } from '../../electron/engine/parse/mboxrd-unquote';
import { ingest } from '../../electron/engine/ingest/ingest';
import { CaseQueries } from '../../electron/engine/store/case-queries';
import { CaseStore } from '../../electron/engine/store/case-store';
import { readOriginalBytes } from '../../electron/engine/store/original-bytes';
import { TOOL_VERSION } from '../../electron/engine/version';
import { generateMbox } from '../fixtures/archive-generator';
import { cli, cliJson } from '../helpers/cli';
import { corpus, HAVE_CORPORA, REPO } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** SHA-256 of every message's original bytes in a case, as stored, and as re-read from its evidence. */
async function caseHashes(caseDir: string): Promise<{ stored: string[]; reread: string[]; spans: Map<number, Buffer> }> {
  const store = CaseStore.open(caseDir);
  const q = new CaseQueries(store.db);
  const rows = store.db.prepare('SELECT id, sha256 FROM messages ORDER BY id').all() as { id: number; sha256: string }[];
  const reread: string[] = [];
  const spans = new Map<number, Buffer>();
  for (const r of rows) {
    const loc = q.sourceLocations(r.id)[0]!;
    const bytes = await readOriginalBytes(loc);
    reread.push(sha(bytes));
    spans.set(loc.offset, bytes);
  }
  store.close();
  return { stored: rows.map((r) => r.sha256).sort(), reread: reread.sort(), spans };
}

describe('export of a tagged set: mbox, eml, csv, json; verify; re-ingest round trip', () => {
  const evidence = tempDir('casefile-export-ev-');
  const cases = tempDir('casefile-export-cases-');
  const outs = tempDir('casefile-export-out-');
  const caseDir = path.join(cases, 'case');
  const generated = path.join(evidence, 'generated.mbox');
  let tagged: string[] = [];

  before(async () => {
    // Generated mail has mboxrd-quoted ">From " lines, attachments, legacy charsets; the corpora add real mail.
    await generateMbox(generated, 2 * 1024 * 1024, 7, 600);
    const inputs = [generated, path.join(REPO, 'test/fixtures/hostile')];
    if (HAVE_CORPORA) inputs.push(corpus('ponymail-asf-mbox/corpus'), corpus('mailparser-fixtures'), corpus('notmuch-corpora/test/corpora/default'));
    await ingest({ caseDir, inputs });
    // Everything except one word: a query that must select (nearly) the whole case.
    const r = cliJson(['tag', caseDir, 'evidence', '--query=-zzyzxunlikelyword']);
    assert.equal(r.changed, cliJson(['stats', caseDir]).messages, 'every message tagged');
    assert.ok(r.changed > 100, `tagged ${r.changed}`);
    const store = CaseStore.open(caseDir);
    tagged = (store.db.prepare("SELECT m.sha256 FROM messages m JOIN message_tags mt ON mt.message_id = m.id JOIN tags t ON t.id = mt.tag_id WHERE t.name = 'evidence'").raw().all() as [string][])
      .map((x) => x[0])
      .sort();
    store.close();
  });

  test('tag by query tags exactly the hits, and tag: finds them', () => {
    const total = cliJson(['stats', caseDir]).messages;
    assert.equal(tagged.length, total);
    assert.equal(cliJson(['search', caseDir, 'tag:evidence', '--limit', '1']).total, total);
    assert.deepEqual(cliJson(['tags', caseDir]).map((t: any) => [t.name, t.count]), [['evidence', total]]);
  });

  test('eml export holds the exact original bytes, and re-ingests to the same SHA-256s', async () => {
    const out = path.join(outs, 'eml');
    const r = cliJson(['export', caseDir, '--tag', 'evidence', '--format', 'eml', '--out', out]);
    assert.equal(r.messages, tagged.length);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    for (const m of manifest.messages) assert.equal(sha(readFileSync(path.join(out, m.file))), m.sha256, m.file);
    assert.equal(cli(['verify', out]).status, 0);
    const again = path.join(cases, 'from-eml');
    // Only bytes and hashes are compared: no search index or document extraction needed.
    await ingest({ caseDir: again, inputs: [path.join(out, 'eml')], index: false, extract: false });
    const h = await caseHashes(again);
    assert.deepEqual(h.stored, tagged);
    assert.deepEqual(h.reread, tagged);
  });

  test('mbox export: mboxrd quoting only, and re-ingest gives back every original byte', async () => {
    const out = path.join(outs, 'mbox');
    cliJson(['export', caseDir, '--tag', 'evidence', '--format', 'mbox', '--out', out]);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    assert.ok(manifest.messages.some((m: any) => m.mbox.quoted), 'the generated archive has From lines that needed quoting');
    const again = path.join(cases, 'from-mbox');
    const summary = await ingest({ caseDir: again, inputs: [path.join(out, 'messages.mbox')], index: false, extract: false });
    assert.equal(summary.messages, tagged.length, 'the splitter finds every exported message, no more, no less');
    const { spans } = await caseHashes(again);
    const restored: string[] = [];
    for (const m of manifest.messages) {
      const span = spans.get(m.mbox.offset);
      assert.ok(span, `a message starts at ${m.mbox.offset}`);
      let bytes = m.mbox.quoted ? unquoteMboxrd(span) : span;
      if (m.mbox.appendedNewline) bytes = bytes.subarray(0, -1);
      restored.push(sha(bytes));
      if (!m.mbox.quoted && !m.mbox.appendedNewline) assert.equal(sha(span), m.sha256, 'unquoted messages are byte-identical in the mbox');
    }
    assert.deepEqual(restored.sort(), tagged);
  });

  test('csv and json carry the metadata; manifest names case, sources, selection, tool', () => {
    const out = path.join(outs, 'csv');
    cliJson(['export', caseDir, '--tag', 'evidence', '--format', 'csv', '--out', out]);
    const csv = readFileSync(path.join(out, 'messages.csv'), 'utf8');
    assert.match(csv, /^\ufeffid,date,from,to,cc,subject,message_id,tags,note,source_path,source_offset,length,sha256,attachments,dkim,arc,flags\r\n/);
    for (const s of tagged) assert.ok(csv.includes(s), `sha ${s} in csv`);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    assert.equal(manifest.tool.version, TOOL_VERSION);
    assert.deepEqual(manifest.selection, { tag: 'evidence' });
    assert.ok(manifest.sources.every((s: any) => /^[0-9a-f]{64}$/.test(s.sha256)));
    assert.match(manifest.case.auditHead, /^[0-9a-f]{64}$/);

    const jsonOut = path.join(outs, 'json');
    cliJson(['export', caseDir, '--query', 'has:attachment', '--format', 'json', '--out', jsonOut]);
    const records = JSON.parse(readFileSync(path.join(jsonOut, 'messages.json'), 'utf8'));
    assert.equal(records.length, cliJson(['search', caseDir, 'has:attachment', '--limit', '1']).total);
    assert.ok(records.every((r: any) => r.attachments.length > 0 && r.attachments.every((a: any) => /^[0-9a-f]{64}$/.test(a.sha256))));
  });

  test('hostile attachment names are written inside the export, safely and without collisions', () => {
    const out = path.join(outs, 'hostile');
    cliJson(['export', caseDir, '--query', 'subject:"hostile attachment names"', '--format', 'json', '--attachments', '--out', out]);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    const [msg] = manifest.messages;
    const names = readdirSync(path.join(out, 'attachments', String(msg.id))).sort();
    assert.deepEqual(names, [
      '_.._windows_evil.bat',
      '_.._x.txt',
      '_CON',
      'A (2).TXT',
      'a.txt',
      'attachment-10',
      'invoice_fdp.exe',
      'longlonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglong.pdf',
      'nul_name.txt',
      'Procès-verbal.pdf',
    ].sort());
    for (const a of msg.attachments) assert.equal(sha(readFileSync(path.join(out, a.file))), a.sha256, `${a.file} holds the decoded attachment`);
    assert.ok(!existsSync(path.join(outs, 'x.txt')) && !existsSync(path.join(out, 'x.txt')));
    assert.equal(cli(['verify', out]).status, 0);
  });

  test('verify fails, naming the file, after a one-byte change, a deletion or an added file', () => {
    const out = path.join(outs, 'tamper');
    cliJson(['export', caseDir, '--tag', 'evidence', '--format', 'eml', '--attachments', '--out', out]);
    assert.equal(cli(['verify', out]).status, 0);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    const victim = manifest.messages[5].file;
    const bytes = readFileSync(path.join(out, victim));
    bytes[bytes.length >> 1] ^= 0x01;
    writeFileSync(path.join(out, victim), bytes);
    const r1 = cli(['verify', out, '--json']);
    assert.equal(r1.status, 2);
    assert.deepEqual(JSON.parse(r1.stdout).altered, [victim]);
    bytes[bytes.length >> 1] ^= 0x01;
    writeFileSync(path.join(out, victim), bytes);
    assert.equal(cli(['verify', out]).status, 0, 'restored byte: passes again');

    const gone = manifest.files.find((f: any) => f.path.startsWith('attachments/')).path;
    const keep = readFileSync(path.join(out, gone));
    rmSync(path.join(out, gone));
    const r2 = cli(['verify', out]);
    assert.equal(r2.status, 2);
    assert.match(r2.stdout, new RegExp(`missing: ${gone.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    writeFileSync(path.join(out, gone), keep);

    writeFileSync(path.join(out, 'eml', 'planted.eml'), 'From: forger@example.com\n\nhello\n');
    const r3 = cli(['verify', out, '--json']);
    assert.equal(r3.status, 2);
    assert.deepEqual(JSON.parse(r3.stdout).extra, ['eml/planted.eml']);
    rmSync(path.join(out, 'eml', 'planted.eml'));

    appendFileSync(path.join(out, 'manifest.json'), ' ');
    const r4 = JSON.parse(cli(['verify', out, '--json']).stdout);
    assert.equal(r4.manifest, 'altered');
    assert.equal(r4.ok, false);
  });

  test('verify names the altered message inside an mbox export', () => {
    const out = path.join(outs, 'mbox-tamper');
    cliJson(['export', caseDir, '--tag', 'evidence', '--format', 'mbox', '--out', out]);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    const target = manifest.messages[10];
    const file = path.join(out, 'messages.mbox');
    const bytes = readFileSync(file);
    const at = target.mbox.offset + target.mbox.length - 3;
    bytes[at] = bytes[at] === 0x41 ? 0x42 : 0x41;
    writeFileSync(file, bytes);
    const r = JSON.parse(cli(['verify', out, '--json']).stdout);
    assert.deepEqual(r.altered, ['messages.mbox']);
    assert.deepEqual(r.alteredMessages, [{ id: target.id, file: 'messages.mbox' }]);
  });

  test('zip export verifies; existing outputs are never overwritten unless asked; audit records every export', () => {
    const zip = path.join(outs, 'set.zip');
    const r = cliJson(['export', caseDir, '--query', 'has:attachment', '--format', 'eml', '--attachments', '--zip', '--out', zip]);
    assert.equal(cli(['verify', zip]).status, 0);
    const refused = cli(['export', caseDir, '--query', 'has:attachment', '--format', 'eml', '--zip', '--out', zip]);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /already exists/);
    const replaced = cliJson(['export', caseDir, '--query', 'has:attachment', '--format', 'csv', '--zip', '--overwrite', '--out', zip]);
    assert.equal(cli(['verify', zip]).status, 0);
    assert.notEqual(replaced.manifestSha256, r.manifestSha256);
    const exports = cliJson(['audit', caseDir]).filter((e: any) => e.action === 'export-written');
    assert.ok(exports.some((e: any) => e.details.manifestSha256 === replaced.manifestSha256 && e.details.out === zip));
    assert.equal(cli(['audit', caseDir, '--verify']).status, 0);
    assert.deepEqual(readdirSync(outs).filter((n) => n.includes('.partial-')), [], 'no temp folders left behind');
  });

  test('tags and notes travel between two analysts\' cases of the same evidence', async () => {
    const other = path.join(cases, 'colleague');
    await ingest({ caseDir: other, inputs: [generated], extract: false });
    const theirIds = cliJson(['search', other, 'has:attachment', '--limit', '5']).hits.map((h: any) => String(h.id));
    cliJson(['tag', other, 'forgery-suspect', '--color', '#e03131', ...theirIds.flatMap((id: string) => ['--id', id])]);
    cli(['note', other, theirIds[0], 'Attachment metadata predates the campaign.']);
    const file = path.join(outs, 'colleague-tags.json');
    assert.equal(cli(['tags', other, '--export', file]).status, 0);
    const report = cliJson(['tags', caseDir, '--import', file]);
    assert.deepEqual(report.tags, [{ name: 'forgery-suspect', matched: 5, changed: 5, unknown: 0 }]);
    assert.equal(report.notes.set, 1);
    const mine = cliJson(['search', caseDir, 'tag:forgery-suspect', '--limit', '10']);
    assert.equal(mine.total, 5);
    const noted = mine.hits.map((h: any) => cliJson(['show', caseDir, String(h.id)]).note).filter(Boolean);
    assert.deepEqual(noted, ['Attachment metadata predates the campaign.']);
    assert.equal(cliJson(['tags', caseDir]).find((t: any) => t.name === 'forgery-suspect').color, '#e03131');
    const bad = path.join(outs, 'bad-tags.json');
    writeFileSync(bad, '{"format":"something-else"}');
    assert.equal(cli(['tags', caseDir, '--import', bad]).status, 2);
  });

  test('the audit chain detects an edited row', () => {
    const copy = path.join(cases, 'audit-copy');
    mkdirSync(copy);
    const store = CaseStore.open(caseDir);
    store.db.exec(`VACUUM INTO '${path.join(copy, 'case.sqlite').replace(/'/g, "''")}'`);
    store.close();
    const tampered = CaseStore.open(copy);
    const row = tampered.db.prepare("SELECT id, details_json FROM audit WHERE action = 'tag-added' LIMIT 1").get() as { id: number; details_json: string };
    tampered.db.prepare('UPDATE audit SET details_json = ? WHERE id = ?').run(row.details_json.replace('"changed":', '"changed":1'), row.id);
    tampered.close();
    const r = cli(['audit', copy, '--verify']);
    assert.equal(r.status, 2);
    assert.match(r.stdout, new RegExp(`BROKEN at entry ${row.id}`));
  });
});
