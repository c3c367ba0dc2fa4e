import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { ingest } from '../../electron/engine/ingest/ingest';
import { sniffContainer } from '../../electron/engine/source/containers/formats';
import { walkContainer, type WalkEvent } from '../../electron/engine/source/containers/walk';
import type { ContainerLimits } from '../../electron/engine/source/containers/limits';
import { CaseQueries } from '../../electron/engine/store/case-queries';
import { CaseStore } from '../../electron/engine/store/case-store';
import { ContainerEntries } from '../../electron/engine/store/container-entries';
import { readVerifiedOriginal } from '../../electron/engine/store/original-bytes';
import { filesUnder, pack7z, packTar, packZip } from '../fixtures/pack-archives';
import { generateMbox } from '../fixtures/archive-generator';
import { corpus, needsCorpora, REPO } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

const tika = (name: string) => corpus('tika-documents', name);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function walkAll(file: string, limits?: Partial<ContainerLimits>, password?: string): Promise<WalkEvent[]> {
  const bytes = readFileSync(file);
  const events: WalkEvent[] = [];
  const format = sniffContainer(bytes.subarray(0, 512));
  assert.ok(format, `${file} is recognised as an archive`);
  for await (const e of walkContainer(file, format, { sha256: sha(bytes), size: bytes.length, spoolDir: null, limits, password })) events.push(e);
  return events;
}

const leaves = (events: WalkEvent[]) => events.filter((e): e is Extract<WalkEvent, { type: 'leaf' }> => e.type === 'leaf');
const problems = (events: WalkEvent[]) => events.filter((e): e is Extract<WalkEvent, { type: 'problem' }> => e.type === 'problem');

describe('archives from Apache Tika\'s test suite', needsCorpora, () => {
  test('test-documents.{zip,7z,rar,tar,tgz}: the same nine documents with the same SHA-256 from each', async () => {
    const byFormat: Record<string, string[]> = {};
    for (const ext of ['zip', '7z', 'rar', 'tar', 'tgz']) {
      const events = await walkAll(tika(`test-documents.${ext}`));
      assert.deepEqual(problems(events), [], ext);
      byFormat[ext] = leaves(events)
        .map((l) => `${path.posix.basename(l.chain[l.chain.length - 1]!)} ${l.bytes.size} ${l.bytes.sha256}`)
        .sort();
    }
    // Tika's PackageParser tests list these nine files in each container.
    assert.deepEqual(byFormat.zip!.map((l) => l.split(' ')[0]), ['testEXCEL.xls', 'testHTML.html', 'testOpenOffice2.odt', 'testPDF.pdf', 'testPPT.ppt', 'testRTF.rtf', 'testTXT.txt', 'testWORD.doc', 'testXML.xml']);
    for (const ext of ['7z', 'rar', 'tar', 'tgz']) assert.deepEqual(byFormat[ext], byFormat.zip, ext);
    // The .odt is a document (a zip inside), kept whole, not opened as a folder.
    assert.ok(byFormat.zip!.some((l) => l.startsWith('testOpenOffice2.odt 26448 ')));
  });

  test('nested archives: a zip in a zip, a tgz in a tar', async () => {
    const zipOfZip = await walkAll(tika('test-zip-of-zip.zip'));
    assert.deepEqual(leaves(zipOfZip).map((l) => l.chain), [['html-within-zip.zip', 'text.html']]);
    assert.ok(zipOfZip.some((e) => e.type === 'container' && e.format === 'zip'));
    const nestedTar = await walkAll(tika('test-nested-tarball.tar'));
    assert.deepEqual(leaves(nestedTar).map((l) => l.chain), [['folderContainingTgz/inner/nested.tgz', 'folderWithinTgz/testTXT.txt']]);
    // The same testTXT.txt as in test-documents.tar.
    const plain = leaves(await walkAll(tika('test-documents.tar'))).find((l) => l.chain[0]!.endsWith('testTXT.txt'))!;
    assert.equal(leaves(nestedTar)[0]!.bytes.sha256, plain.bytes.sha256);
  });

  test('encrypted zip entry and fully encrypted 7z: clear errors naming them; the rest is read', async () => {
    const zip = await walkAll(tika('testZipEncrypted.zip'));
    assert.deepEqual(leaves(zip).map((l) => l.chain), [['unencrypted.txt']]);
    assert.deepEqual(problems(zip).map((p) => [p.chain, p.code]), [[['encrypted.txt'], 'encrypted']]);
    assert.match(problems(zip)[0]!.message, /encrypted\.txt is encrypted.*--password/);
    const sevenZ = await walkAll(tika('full_encrypted.7z'));
    assert.equal(leaves(sevenZ).length, 0);
    assert.equal(problems(sevenZ)[0]!.code, 'encrypted');
    assert.match(problems(sevenZ)[0]!.message, /full_encrypted\.7z.*encrypted.*password/);
  });

  test('quines (droste.zip, quine.gz) stop with a bomb error, quickly', async () => {
    for (const name of ['droste.zip', 'quine.gz']) {
      const started = Date.now();
      const events = await walkAll(tika(name));
      assert.ok(Date.now() - started < 5000, `${name} took ${Date.now() - started} ms`);
      assert.equal(problems(events).length, 1, name);
      assert.equal(problems(events)[0]!.code, 'bomb');
      assert.match(problems(events)[0]!.message, /quine/);
    }
    // droste.zip's picture beside the quine is still read.
    assert.deepEqual(leaves(await walkAll(tika('droste.zip'))).map((l) => l.chain), [['droste.jpg']]);
  });

  const python = spawnSync('python3', ['-c', 'import sys, zipfile; assert sys.version_info >= (3, 11)']).status === 0;
  test('gbk.zip: names decoded as Python\'s zipfile decodes them when told GBK', python ? {} : { skip: 'python3 ≥ 3.11 not found' }, async () => {
    const script = `import json, sys, zipfile\nprint(json.dumps([i.filename for i in zipfile.ZipFile(sys.argv[1], metadata_encoding='gbk').infolist()]))`;
    const names = JSON.parse(spawnSync('python3', ['-c', script, tika('gbk.zip')], { encoding: 'utf8' }).stdout) as string[];
    const expected = names.filter((n) => n.endsWith('.doc'));
    assert.equal(expected.length, 1);
    assert.match(expected[0]!, /[\u4e00-\u9fff]/);
    assert.deepEqual(leaves(await walkAll(tika('gbk.zip'))).map((l) => l.chain[0]), expected);
  });

  test('testZIP_corrupted_oom.zip: a clear error, no crash', async () => {
    const events = await walkAll(tika('testZIP_corrupted_oom.zip'));
    assert.equal(leaves(events).length, 0);
    assert.equal(problems(events)[0]!.code, 'corrupt');
  });
});

describe('generated bombs', () => {
  const dir = tempDir('casefile-bombs-');

  test('an extreme compression ratio stops at the bound, in bounded time', async () => {
    const file = path.join(dir, 'ratio.zip');
    await packZip([['zeros.bin', Buffer.alloc(64 * 1024 * 1024)]], file);
    assert.ok(statSync(file).size < 200_000);
    const started = Date.now();
    const events = await walkAll(file, { maxExpandRatio: 10, expandSlack: 4 * 1024 * 1024 });
    assert.ok(Date.now() - started < 3000);
    assert.equal(problems(events).length, 1);
    assert.equal(problems(events)[0]!.code, 'bomb');
    assert.match(problems(events)[0]!.message, /decompression bomb/);
  });

  test('a huge entry count stops with an error', async () => {
    const file = path.join(dir, 'many.zip');
    await packZip(Array.from({ length: 300 }, (_, i) => [`f${i}.txt`, Buffer.from(`${i}`)] as [string, Buffer]), file, { store: true });
    const events = await walkAll(file, { maxEntries: 100 });
    assert.equal(leaves(events).length, 0);
    assert.match(problems(events)[0]!.message, /300 entries \(limit 100\)/);
  });

  test('zip64 records and data descriptors are read', async () => {
    const file = path.join(dir, 'zip64.zip');
    const a = Buffer.from('From a@example.org Sat Apr  1 10:00:00 2017\nSubject: x\n\nbody\n');
    await packZip([['a.mbox', a]], file, { forceZip64: true });
    assert.deepEqual(leaves(await walkAll(file)).map((l) => [l.chain, l.bytes.sha256]), [[['a.mbox'], sha(a)]]);
  });
});

/** A fingerprint of a case: each message's SHA-256 and the SHA-256 of its bytes as re-read from the evidence. */
async function messagesOf(caseDir: string): Promise<string[]> {
  const store = CaseStore.open(caseDir);
  const q = new CaseQueries(store.db);
  const ids = (store.db.prepare('SELECT id, sha256 FROM messages ORDER BY id').all() as { id: number; sha256: string }[]);
  const out: string[] = [];
  for (const { id, sha256 } of ids) {
    const { bytes } = await readVerifiedOriginal(q, id);
    out.push(`${sha256} ${sha(bytes)}`);
  }
  store.close();
  return out.sort();
}

function evidenceState(dir: string) {
  return readdirSync(dir).sort().map((name) => {
    const st = statSync(path.join(dir, name));
    return { name, size: st.size, mtimeMs: st.mtimeMs, sha256: sha(readFileSync(path.join(dir, name))) };
  });
}

describe('mail corpora packed into archives read like the unpacked files', needsCorpora, () => {
  const evidence = tempDir('casefile-cont-ev-');
  const cases = tempDir('casefile-cont-cases-');
  // Ponymail's smaller mboxes (the large ones add time, not cases) and notmuch's Maildir corpus.
  const mboxes = filesUnder(corpus('ponymail-asf-mbox', 'corpus')).filter(([, p]) => statSync(p).size < 100_000);
  const maildir = corpus('notmuch-corpora', 'test', 'corpora');
  const mail = [...mboxes, ...filesUnder(maildir)];
  let reference: string[];

  before(async () => {
    await packZip(mail, path.join(evidence, 'mail.zip'));
    await packTar(mail, path.join(evidence, 'mail.tar.gz'));
    // Nested: the zip inside a tar (an mbox inside a zip inside a tar).
    await packTar([['layer/mail.zip', readFileSync(path.join(evidence, 'mail.zip'))]], path.join(evidence, 'nested.tar'), { gzip: false });
    const staging = tempDir('casefile-cont-7z-');
    mkdirSync(path.join(staging, 'mail'));
    for (const [name, src] of mail) {
      mkdirSync(path.dirname(path.join(staging, 'mail', name)), { recursive: true });
      copyFileSync(src, path.join(staging, 'mail', name));
    }
    await pack7z(path.join(staging, 'mail'), path.join(evidence, 'mail.7z'));
    await ingest({ caseDir: path.join(cases, 'unpacked'), inputs: [...mboxes.map(([, p]) => p), maildir], index: false, extract: false });
    reference = await messagesOf(path.join(cases, 'unpacked'));
    assert.ok(reference.length > 100, `${reference.length} messages in the reference case`);
  });

  for (const name of ['mail.zip', 'mail.tar.gz', 'mail.7z', 'nested.tar']) {
    test(`${name}: same messages, raw bytes re-read through the archive identical; evidence untouched`, async () => {
      const before = evidenceState(evidence);
      const caseDir = path.join(cases, name);
      // A small in-memory bound makes the larger mboxes go through the case's spool area.
      // Documents inside archives are covered by container-documents.test.ts: not extracted here (faster).
      // No search index either: the resume test below covers the index through an archive.
      const summary = await ingest({ caseDir, inputs: [path.join(evidence, name)], containerLimits: { inMemoryBytes: 32 * 1024 }, extract: false, index: false });
      assert.deepEqual(summary.skippedSources, []);
      const got = await messagesOf(caseDir);
      assert.deepEqual({ missing: reference.filter((m) => !got.includes(m)), extra: got.filter((m) => !reference.includes(m)) }, { missing: [], extra: [] });
      assert.deepEqual(evidenceState(evidence), before, 'evidence SHA-256, size and mtime unchanged; nothing written beside it');
      assert.deepEqual(readdirSync(path.join(caseDir, 'tmp')), [], 'spool area emptied');
      const store = CaseStore.open(caseDir);
      const container = store.db.prepare('SELECT id, sha256, status FROM sources WHERE parent_id IS NULL').get() as any;
      assert.equal(container.status, 'done');
      assert.equal(container.sha256, before.find((e) => e.name === name)!.sha256);
      // Every file is listed: mail files as mail, the rest (a README) as other files with their type.
      const listed = new ContainerEntries(store.db).list(container.id).filter((e) => e.role === 'mail' || e.role === 'other');
      assert.equal(listed.length, mail.length);
      assert.ok(listed.every((e) => e.sha256 && e.size !== null));
      store.close();
      const again = await ingest({ caseDir, inputs: [path.join(evidence, name)], extract: false, index: false });
      assert.equal(again.messages, 0, 're-ingesting the same archive adds nothing');
    });
  }
});

describe('an interrupted archive ingest resumes inside the archive', () => {
  const evidence = tempDir('casefile-cont-resume-ev-');
  const cases = tempDir('casefile-cont-resume-cases-');
  const zip = path.join(evidence, 'dump.zip');

  const snapshot = (caseDir: string) => {
    const store = CaseStore.open(caseDir);
    const result = {
      messages: (store.db.prepare('SELECT COUNT(*) n FROM messages').get() as any).n,
      locations: store.db.prepare('SELECT s.path, l.offset, l.length, l.sha256 FROM locations l JOIN sources s ON s.id = l.source_id ORDER BY s.path, l.offset').all(),
      sources: store.db.prepare('SELECT path, sha256, status, messages FROM sources ORDER BY path').all(),
      entries: store.db.prepare('SELECT entry_path, role, sha256 FROM container_entries ORDER BY entry_path').all(),
      indexedDocs: (store.db.prepare('SELECT SUM(docs) n FROM index_shards').get() as any).n,
    };
    store.close();
    return result;
  };

  before(async () => {
    const parts: [string, string][] = [];
    for (let i = 0; i < 3; i++) {
      const file = path.join(cases, `part${i}.mbox`);
      await generateMbox(file, 5 * 1024 * 1024, 11 + i);
      parts.push([`dump/part${i}.mbox`, file]);
    }
    await packZip(parts, zip);
    // Documents are not compared (snapshot): not extracted in the in-process runs (faster).
    await ingest({ caseDir: path.join(cases, 'reference'), inputs: [zip], extract: false });
  });

  test('kill -9 mid-zip, run again: the same case as an uninterrupted run; a third run adds nothing', async () => {
    const caseDir = path.join(cases, 'killed');
    const child = spawn(process.execPath, [path.join(REPO, 'bin/casefile.mjs'), 'ingest', zip, '--case', caseDir], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const dbFile = path.join(caseDir, 'case.sqlite');
    let progressed = false;
    for (let i = 0; i < 1200 && !progressed; i++) {
      await new Promise((r) => setTimeout(r, 50));
      if (!existsSync(dbFile)) continue;
      try {
        const db = new Database(dbFile, { readonly: true, fileMustExist: true });
        // Past the first entry, in the middle of the second.
        const row = db.prepare(`SELECT COUNT(*) n FROM sources WHERE parent_id IS NOT NULL AND status = 'done'`).get() as { n: number };
        const partial = db.prepare(`SELECT COUNT(*) n FROM sources WHERE parent_id IS NOT NULL AND status = 'partial'`).get() as { n: number };
        db.close();
        progressed = row.n >= 1 && partial.n >= 1;
      } catch {
        // schema not there yet
      }
    }
    child.kill('SIGKILL');
    await exited;
    assert.ok(progressed, 'the ingest was killed in the middle of the archive');
    const reference = snapshot(path.join(cases, 'reference'));
    const resumed = await ingest({ caseDir, inputs: [zip], extract: false });
    assert.ok(resumed.messages > 0 && resumed.messages < reference.messages, `resume parsed only the rest (${resumed.messages} of ${reference.messages})`);
    assert.deepEqual(snapshot(caseDir), reference);
    const again = await ingest({ caseDir, inputs: [zip], extract: false });
    assert.equal(again.messages, 0);
    assert.deepEqual(snapshot(caseDir), reference);
  });
});
