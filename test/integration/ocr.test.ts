import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { DocumentQueries } from '../../electron/engine/documents/document-queries';
import { ingest } from '../../electron/engine/ingest/ingest';
import { runOcrPass } from '../../electron/engine/ocr/ocr-pass';
import { CaseTerms } from '../../electron/engine/search/case-terms';
import { shardRecords } from '../../electron/engine/search/case-terms-build';
import { Searcher } from '../../electron/engine/search/searcher';
import { caseIdOf } from '../../electron/engine/search/shard-check';
import { CaseStore } from '../../electron/engine/store/case-store';
import { mboxMessage } from '../fixtures/document-generator';
import { cliJson } from '../helpers/cli';
import { corpus, needsCorpora } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

const tika = (name: string) => readFileSync(corpus('tika-documents', name));

// Expected text from Apache Tika's OCR tests: TestOCR.testJPEG ("OCR Testing" in testOCR.jpg),
// TestOCR.testPNG ("file contains" in testOCR.png), TesseractOCRParserTest ("Happy New Year 2003!" in
// testOCR.pdf, a PDF without a text layer).
describe('OCR pass (opt-in): scanned PDF and images, offline, resumable, searchable', needsCorpora, () => {
  const evidence = tempDir('casefile-ocr-ev-');
  const caseDir = path.join(tempDir('casefile-ocr-case-'), 'case');
  mkdirSync(path.join(evidence, 'scans'));
  writeFileSync(path.join(evidence, 'scans', 'testOCR.jpg'), tika('testOCR.jpg'));
  writeFileSync(path.join(evidence, 'scans', 'testOCR.png'), tika('testOCR.png'));
  writeFileSync(path.join(evidence, 'mail.mbox'), mboxMessage(1, 'Mon, 3 Apr 2017 09:00:00 +0200', 'jean@example.fr', 'Voeux scannés', 'Ci-joint le scan.', [{ name: 'voeux.pdf', type: 'application/pdf', bytes: tika('testOCR.pdf') }]));

  test('text is recognised, marked as OCR, searchable; a second pass has nothing left to do', async () => {
    await ingest({ caseDir, inputs: [evidence] });
    const before = cliJson(['docs', caseDir]);
    assert.ok(before.documents.every((d: any) => d.ocr === undefined), 'nothing is OCRed unless asked');
    const store = CaseStore.open(caseDir);
    try {
      const seen: number[] = [];
      const result = await runOcrPass(store, { onProgress: (p) => seen.push(p.done + p.empty + p.failed) });
      assert.deepEqual({ candidates: result.candidates, done: result.done, failed: result.failed }, { candidates: 3, done: 3, failed: 0 });
      assert.ok(seen.length >= 3, 'progress reported per document');
      const docs = new DocumentQueries(store.db);
      const byName = (n: string) => docs.list({ limit: 10 }).documents.find((d) => d.name === n)!;
      const ocrText = (n: string) => docs.detail(byName(n).id)!.ocrPages!.join('\n');
      assert.match(ocrText('testOCR.jpg'), /OCR Testing/);
      assert.match(ocrText('testOCR.png'), /file contains/);
      assert.match(ocrText('voeux.pdf'), /Happy New Year 2003!/);
      assert.equal(byName('voeux.pdf').ocr?.state, 'done');
      assert.deepEqual(docs.detail(byName('voeux.pdf').id)!.pages.join('').trim(), '', "the document's own text stays apart from OCR text");
      // Searchable: the Documents filter, and message search through the rebuilt index shard.
      assert.deepEqual(docs.list({ query: '"file contains"' }).documents.map((d) => d.name), ['testOCR.png']);
      const terms = CaseTerms.open(caseDir, caseIdOf(store.db))!;
      const shardCount = (store.db.prepare('SELECT COUNT(*) n FROM index_shards').get() as { n: number }).n;
      assert.equal(terms.coverage(shardRecords(store.db)).size, shardCount, "the case's term dictionary stands for the rewritten shard again");
      terms.close();
      const hits = new Searcher(store.db, caseDir).search('happy');
      assert.equal(hits.total, 1);
      assert.equal(hits.hits[0]!.subject, 'Voeux scannés');
      const again = await runOcrPass(store);
      assert.deepEqual({ done: again.done, skipped: again.skipped }, { done: 0, skipped: 3 }, 'resumable: recorded documents are not redone');
    } finally {
      store.close();
    }
    assert.equal(cliJson(['docs', caseDir, '--query', 'ocr testing']).documents[0].ocr.state, 'done');
  });
});
