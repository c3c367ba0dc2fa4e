import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { DocumentQueries } from '../../electron/engine/documents/document-queries';
import { ingest } from '../../electron/engine/ingest/ingest';
import { readVerifiedEntry } from '../../electron/engine/source/containers/reread';
import { readArchivedDocument } from '../../electron/engine/store/archived-document';
import { CaseStore } from '../../electron/engine/store/case-store';
import { corpus, needsCorpora } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

const tika = (name: string) => corpus('tika-documents', name);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

// Text Apache Tika's ZipParserTest.testZipParsing asserts for the entries of test-documents.zip, and
// ZipParserTest.testZipEncrypted's "hello world" for the readable entry of testZipEncrypted.zip.
const TIKA_TEXT: Record<string, string> = {
  'testEXCEL.xls': 'Sample Excel Worksheet',
  'testPPT.ppt': 'Sample Powerpoint Slide',
  'testHTML.html': 'Test Indexation Html',
  'testOpenOffice2.odt': 'This is a sample Open Office document',
  'testPDF.pdf': 'Apache Tika',
  'testRTF.rtf': 'indexation Word',
  'testTXT.txt': "Test d'indexation de Txt",
  'testWORD.doc': 'This is a sample Microsoft Word Document',
  'testXML.xml': 'Rida Benjelloun',
  'unencrypted.txt': 'hello world',
};
const ARCHIVES = ['test-documents.zip', 'test-documents.7z', 'test-documents.tgz', 'testZipEncrypted.zip'];

describe('documents inside archives', needsCorpora, () => {
  const caseDir = path.join(tempDir('casefile-cont-docs-'), 'case');
  const state = () => ARCHIVES.map((a) => ({ a, sha: sha(readFileSync(tika(a))), mtime: statSync(tika(a)).mtimeMs }));
  let evidenceBefore: ReturnType<typeof state>;

  before(async () => {
    evidenceBefore = state();
    // A 20 KiB in-memory bound sends the pdf and the odt through the case's spool area.
    await ingest({ caseDir, inputs: ARCHIVES.map(tika), index: false, containerLimits: { inMemoryBytes: 20 * 1024 } });
  });

  test("each entry is a document with Tika's text; equal bytes in three archives are one document with three locations", () => {
    const store = CaseStore.open(caseDir);
    const docs = new DocumentQueries(store.db);
    const page = docs.list({ limit: 1000 });
    const byName = new Map(page.documents.map((d) => [d.name, d]));
    for (const [name, text] of Object.entries(TIKA_TEXT)) {
      const d = byName.get(name);
      assert.ok(d, `${name} is a document`);
      assert.deepEqual(d.errors, [], name);
      // Case-insensitive: html-to-text writes <h1> in capitals ("TEST INDEXATION HTML"); search folds case anyway.
      assert.ok(docs.detail(d.id)!.pages.join('\n').toLowerCase().includes(text.toLowerCase()), `${name} has Tika's text "${text}"`);
    }
    assert.equal(byName.get('testEXCEL.xls')?.type, 'excel');
    assert.equal(byName.get('testPPT.ppt')?.type, 'powerpoint');
    assert.equal(byName.get('testPDF.pdf')?.type, 'pdf');
    // The nine entries of test-documents.* are the same bytes in the zip, the 7z and the tgz.
    for (const name of ['testEXCEL.xls', 'testHTML.html', 'testOpenOffice2.odt', 'testPDF.pdf', 'testPPT.ppt', 'testRTF.rtf', 'testTXT.txt', 'testWORD.doc', 'testXML.xml']) {
      const paths = byName.get(name)!.locations.map((l) => l.path.replace(/!\/.*$/, '')).sort();
      assert.deepEqual(paths, ['test-documents.7z', 'test-documents.tgz', 'test-documents.zip'].map(tika), name);
    }
    store.close();
  });

  test('provenance: every document entry re-reads through its archive to its SHA-256; the encrypted entry is named', async () => {
    const store = CaseStore.open(caseDir);
    const rows = store.db
      .prepare(`SELECT s.path, s.sha256 AS container_sha, e.entry_path, e.role, e.size, e.sha256, e.detail FROM container_entries e JOIN sources s ON s.id = e.container_id ORDER BY e.id`)
      .all() as { path: string; container_sha: string; entry_path: string; role: string; size: number; sha256: string; detail: string | null }[];
    store.close();
    const documents = rows.filter((r) => r.role === 'document');
    assert.equal(documents.length, 9 * 3 + 1);
    for (const r of documents) {
      const bytes = await readVerifiedEntry(r.path, JSON.parse(r.entry_path), r.size, r.sha256);
      assert.equal(bytes.length, r.size);
      assert.equal(r.container_sha, evidenceBefore.find((e) => tika(e.a) === r.path)!.sha);
    }
    // What the OCR pass uses to get a document's bytes when its only location is inside an archive.
    const reopened = CaseStore.open(caseDir);
    try {
      for (const r of documents.slice(0, 3)) assert.equal(sha((await readArchivedDocument(reopened.db, r.sha256))!), r.sha256);
      assert.equal(await readArchivedDocument(reopened.db, '0'.repeat(64)), null);
    } finally {
      reopened.close();
    }
    const encrypted = rows.filter((r) => r.role === 'problem');
    assert.deepEqual(encrypted.map((r) => [path.basename(r.path), JSON.parse(r.entry_path)]), [['testZipEncrypted.zip', ['encrypted.txt']]]);
    assert.deepEqual(state(), evidenceBefore, 'archives unchanged');
    assert.deepEqual(readdirSync(path.join(caseDir, 'tmp')), [], 'spool area emptied');
  });

  test('re-ingesting stores nothing new', async () => {
    const count = () => {
      const store = CaseStore.open(caseDir);
      const n = (store.db.prepare('SELECT (SELECT COUNT(*) FROM documents) + (SELECT COUNT(*) FROM loose_files) n').get() as { n: number }).n;
      store.close();
      return n;
    };
    const before = count();
    const again = await ingest({ caseDir, inputs: ARCHIVES.slice(0, 3).map(tika), index: false });
    assert.equal(again.messages, 0);
    assert.equal(count(), before);
  });
});
