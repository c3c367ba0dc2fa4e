import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { DocumentQueries } from '../../electron/engine/documents/document-queries';
import { extractDocuments, type DocumentRecord } from '../../electron/engine/documents/extract';
import { ingest } from '../../electron/engine/ingest/ingest';
import { Searcher } from '../../electron/engine/search/searcher';
import { CaseStore } from '../../electron/engine/store/case-store';
import { writeDocumentEvidence } from '../fixtures/document-generator';
import { cliJson } from '../helpers/cli';
import { corpus, needsCorpora } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

const tika = (name: string) => readFileSync(corpus('tika-documents', name));
const one = async (name: string): Promise<DocumentRecord> => (await extractDocuments(tika(name), { name }))[0]!;
const text = (d: DocumentRecord) => d.pages.join('\n');

describe('extraction on Apache Tika test documents (expected values from Tika unit tests)', needsCorpora, () => {
  test('PDF: Info metadata, text, written offset kept', async () => {
    // PDFParserTest.testPdfParsing: creator "Bertrand Delacrétaz", creator tool "Firefox", title
    // "Apache Tika - Apache Tika", text with "Tika - Content Analysis Toolkit" and word boundaries kept.
    // (Tika asserts no date here: "Can't reliably test dates yet", TIKA-451.)
    const d = await one('testPDF.pdf');
    assert.equal(d.type, 'pdf');
    assert.equal(d.meta.author, 'Bertrand Delacrétaz');
    assert.equal(d.meta.creatorTool, 'Firefox');
    assert.equal(d.meta.title, 'Apache Tika - Apache Tika');
    for (const s of ['Apache Tika', 'Tika - Content Analysis Toolkit', 'incubator', 'Apache Software Foundation']) assert.ok(text(d).includes(s), s);
    assert.ok(!text(d).includes('ToolkitApache') && !text(d).includes('libraries.Apache'), 'word boundaries between paragraphs');
    // The creation date as written in the file's Info dictionary (read from the raw bytes here), offset kept.
    const written = /\/CreationDate\s*\(D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)([+-]\d\d)'(\d\d)/.exec(tika('testPDF.pdf').toString('latin1'))!;
    const [, y, mo, da, h, mi, se, oh, om] = written;
    assert.equal(d.meta.created, `${y}-${mo}-${da}T${h}:${mi}:${se}${oh}:${om}`);
    assert.equal(d.meta.pageCount, 1);
  });

  test('PDF: custom Info entries, incremental updates, encryption, actions, embedded files', async () => {
    // PDFParserTest.testCustomMetadata: creator "Document author", title "Document title",
    // "Custom Property" = "Custom Value", text "Hello World!".
    const c = await one('testPDF-custommetadata.pdf');
    assert.equal(c.meta.author, 'Document author');
    assert.equal(c.meta.title, 'Document title');
    assert.equal(c.meta.custom?.['Custom Property'], 'Custom Value');
    assert.match(text(c), /Hello World!/);
    // PDFIncrementalUpdatesTest.testIncrementalUpdateInfoExtracted: PDF_INCREMENTAL_UPDATE_COUNT = 2.
    const inc = await one('testPDF_incrementalUpdates.pdf');
    assert.equal(inc.meta.revisions, 2);
    assert.match(text(inc), /Testing Incremental/); // PDFParserTest (integration): the last version's text
    // PDFParserTest.testProtectedPDF: pdf:encrypted "true", creator "The Bank of England", subject
    // "Speeches by Andrew G Haldane", text "RETHINKING THE FINANCIAL NETWORK" (empty user password).
    const prot = await one('testPDF_protected.pdf');
    assert.equal(prot.meta.encrypted, true);
    assert.equal(prot.meta.author, 'The Bank of England');
    assert.equal(prot.meta.subject, 'Speeches by Andrew G Haldane');
    for (const s of ['RETHINKING THE FINANCIAL NETWORK', 'On 16 November 2002', 'In many important respects']) assert.ok(text(prot).includes(s), s);
    // testPDF_jsActionOnPage.pdf: PDFParserTest.testExtractActionsXHTMLWellFormed parses its JavaScript
    // action (Tika asserts no value); the file name says what it holds.
    const js = await one('testPDF_jsActionOnPage.pdf');
    assert.equal(js.meta.javascript, true);
    // OOXMLDocxSAXTest.testEmbeddedPDF: text "Here is the pdf file:" … "Bye for real." around two embeddings.
    const kids = await extractDocuments(tika('testWORD_embedded_pdf.docx'), { name: 'testWORD_embedded_pdf.docx' });
    assert.match(text(kids[0]!), /Here is the pdf file:[\s\S]*Bye Bye[\s\S]*Bye for real\./);
    assert.ok(kids.length >= 2 && kids[1]!.parentSha256 === kids[0]!.sha256);
    // TestContainerAwareDetector: test-zip-of-zip.zip is application/zip; its entries (as `unzip -l` lists
    // them: html-within-zip.zip holding text.html) become child documents.
    const zips = await extractDocuments(tika('test-zip-of-zip.zip'), { name: 'test-zip-of-zip.zip' });
    assert.deepEqual(zips.map((z) => z.name), ['test-zip-of-zip.zip', 'html-within-zip.zip', 'text.html']);
    assert.equal(zips[0]!.type, 'archive');
  });

  test('OOXML and OLE2 Word/Excel/PowerPoint', async () => {
    // OOXMLDocxSAXTest.testWord / WordParserTest.testWordParser: title "Sample Word Document", creator
    // "Keith Bennett", text contains "Sample Word Document".
    for (const f of ['testWORD.docx', 'testWORD.doc']) {
      const d = await one(f);
      assert.equal(d.type, 'word', f);
      assert.equal(d.meta.title, 'Sample Word Document', f);
      assert.equal(d.meta.author, 'Keith Bennett', f);
      assert.match(text(d), /Sample Word Document/, f);
    }
    // OOXMLParserTest.testExcel / ExcelParserTest.testExcelParser: title "Simple Excel document", creator
    // "Keith Bennett", text "Sample Excel Worksheet", "Numbers and their Squares", 9 and 196 (not 9.0, 196.0).
    for (const f of ['testEXCEL.xlsx', 'testEXCEL.xls']) {
      const d = await one(f);
      assert.equal(d.type, 'excel', f);
      assert.equal(d.meta.title, 'Simple Excel document', f);
      assert.equal(d.meta.author, 'Keith Bennett', f);
      for (const s of ['Sample Excel Worksheet', 'Numbers and their Squares', '9', '196']) assert.ok(text(d).includes(s), `${f}: ${s}`);
      for (const s of ['9.0', '196.0']) assert.ok(!text(d).includes(s), `${f}: no ${s}`);
    }
    // ExcelParserTest.testExcelParser: created 2007-10-01T16:13:56Z, modified 2007-10-01T16:31:43Z.
    const xls = await one('testEXCEL.xls');
    assert.equal(xls.meta.created, '2007-10-01T16:13:56Z');
    assert.equal(xls.meta.modified, '2007-10-01T16:31:43Z');
    // PowerPointParserTest.testPowerPointParser: title "Sample Powerpoint Slide", creator "Keith Bennett",
    // text "Sample Powerpoint Slide" and "Powerpoint X for Mac".
    const ppt = await one('testPPT.ppt');
    assert.equal(ppt.type, 'powerpoint');
    assert.equal(ppt.meta.title, 'Sample Powerpoint Slide');
    assert.equal(ppt.meta.author, 'Keith Bennett');
    for (const s of ['Sample Powerpoint Slide', 'Powerpoint X for Mac']) assert.ok(text(ppt).includes(s), `ppt: ${s}`);
  });

  test('ODF, RTF and JPEG', async () => {
    // ODFParserTest.testOO2: language en-US, created 2007-09-14T11:06:08 and modified 2007-09-14T11:07:10
    // (no zone written), page count 1, total time PT1M7S, generator NeoOffice…, and the text.
    const odt = await one('testOpenOffice2.odt');
    assert.match(text(odt), /This is a sample Open Office document, written in NeoOffice 2\.2\.1 for the Mac\./);
    assert.equal(odt.meta.language, 'en-US');
    assert.equal(odt.meta.created, '2007-09-14T11:06:08');
    assert.equal(odt.meta.modified, '2007-09-14T11:07:10');
    assert.equal(odt.meta.pageCount, 1);
    assert.equal(odt.meta.totalEditMinutes, 1); // PT1M7S, whole minutes
    assert.equal(odt.meta.application, 'NeoOffice/2.2$Unix OpenOffice.org_project/680m18$Build-9161');
    // RTFParserTest.testVarious: subject "Subject is here", keywords "Keyword1 Keyword2", and text.
    const rtf = await one('testRTFVarious.rtf');
    assert.equal(rtf.meta.subject, 'Subject is here');
    assert.equal(rtf.meta.keywords, 'Keyword1 Keyword2');
    for (const s of ['Footnote appears here', 'This is a footnote.', 'Here is a text box', 'Suddenly some Japanese text:', '\uff08\uff27\uff28\uff31\uff09']) assert.ok(text(rtf).includes(s), `rtf: ${s}`);
    // RTFParserTest.testUmlautSpacesExtraction: \ansicpg1252 with \'xx bytes gives "Übersicht".
    assert.match(text(await one('testRTFUmlautSpaces.rtf')), /Übersicht/);
    // JpegParserTest.testJPEG: make Canon, model "Canon EOS 40D", software "Adobe Photoshop CS3 Macintosh",
    // created (DateTimeOriginal) 2009-08-11T09:09:45 with no zone, modified 2009-10-02T23:02:49, keywords.
    const jpg = await one('testJPEG_EXIF.jpg');
    assert.equal(jpg.exif?.Make, 'Canon');
    assert.equal(jpg.exif?.Model, 'Canon EOS 40D');
    assert.equal(jpg.meta.application, 'Adobe Photoshop CS3 Macintosh');
    assert.equal(jpg.exif?.originalDate, '2009-08-11T09:09:45');
    assert.equal(jpg.meta.created, '2009-08-11T09:09:45');
    assert.equal(jpg.meta.modified, '2009-10-02T23:02:49');
    for (const k of ['canon-55-250', 'moscow-birds', 'serbor']) assert.ok((jpg.exif?.Keywords as string[]).includes(k), k);
  });

  test('hostile documents: a clear per-document error or flag, no crash, no hang', async () => {
    const started = Date.now();
    const err = async (f: string) => (await one(f)).errors.map((e) => e.code);
    assert.deepEqual(await err('testWORD_truncated.docx'), ['zip-invalid']);
    assert.deepEqual(await err('testWORD_protected_passtika.docx'), ['encrypted']);
    assert.deepEqual(await err('testZIP_corrupted_oom.zip'), ['zip-bomb']);
    assert.equal((await one('testPDF_protected.pdf')).meta.encrypted, true);
    const droste = await extractDocuments(tika('droste.zip'), { name: 'droste.zip' });
    assert.ok(droste.length <= 3, 'the zip quine is opened once, not recursively');
    await extractDocuments(tika('quine.gz'), { name: 'quine.gz' });
    assert.ok(Date.now() - started < 30_000);
  });
});

describe('documents in an ingested case', () => {
  const evidence = tempDir('casefile-docs-ev-');
  const caseDir = path.join(tempDir('casefile-docs-case-'), 'case');
  const { pdf } = writeDocumentEvidence(evidence);
  const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
  const evidenceHashes = () => ['mail.mbox', 'dossier/budget-copie.pdf', 'dossier/blob.bin'].map((f) => sha(readFileSync(path.join(evidence, f))));

  test('attachments and loose files become documents, linked by SHA-256, with flags', async () => {
    const before = evidenceHashes();
    await ingest({ caseDir, inputs: [evidence] });
    assert.deepEqual(evidenceHashes(), before, 'evidence never modified');
    const all = cliJson(['docs', caseDir, '--limit', '100']);
    const byName = (n: string) => all.documents.find((d: any) => d.name === n);
    assert.equal(all.total, 2 + 4 + 1 + 1, 'every distinct attachment + the unreadable loose file; the loose PDF is the same bytes as an attachment');
    const budget = byName('budget.pdf');
    assert.equal(budget.sha256, sha(pdf));
    assert.equal(budget.kind, 'attachment');
    assert.ok(budget.locations.some((l: any) => l.messageId && l.attachmentIndex === 0));
    assert.ok(budget.locations.some((l: any) => l.path.endsWith('budget-copie.pdf')), 'the loose copy is linked by hash');
    assert.equal(budget.meta.author, 'Jean Dupont');
    assert.equal(budget.meta.created, '2017-03-01T10:00:00+01:00');
    const blob = byName('blob.bin');
    assert.equal(blob.kind, 'loose');
    assert.equal(blob.type, 'other');
    const flags = (n: string) => byName(n).flags.map((f: any) => f.name);
    assert.ok(flags('note.docx').includes('foreign-script-metadata'));
    assert.deepEqual(byName('note.docx').meta.revisionAuthors, ['Reviewer One']);
    for (let n = 1; n <= 4; n++) assert.ok(flags(`tableau${n}.xlsx`).includes('save-cluster'), `tableau${n}`);
    assert.ok(flags('cr.docx').includes('modified-after-message'));
    assert.ok(!flags('budget.pdf').includes('modified-after-message'));
    assert.match(byName('cr.docx').flags.find((f: any) => f.name === 'modified-after-message').reason, /after the message/);
  });

  test('search: a word inside a PDF attachment finds its message and names the attachment; document fields', () => {
    const store = CaseStore.open(caseDir);
    try {
      const searcher = new Searcher(store.db, caseDir);
      const search = (q: string) => searcher.search(q);
      const r = search('budget');
      assert.equal(r.total, 1);
      assert.equal(r.hits[0]!.subject, 'Documents pour la réunion');
      assert.deepEqual(r.hits[0]!.documentHits, [{ attachmentIndex: 0, name: 'budget.pdf', page: 1 }]);
      const phrase = search('"budget de campagne"');
      assert.equal(phrase.total, 1, 'a phrase inside an attached PDF finds its message');
      assert.equal(phrase.hits[0]!.subject, 'Documents pour la réunion');
      assert.equal(search('"campagne budget"').total, 0, 'words in another order are not the phrase');
      assert.equal(search('modifiedby:bob').hits[0]!.subject, 'Tableaux');
      assert.equal(search('flag:save-cluster').total, 1);
      assert.equal(search('type:pdf').hits[0]!.subject, 'Documents pour la réunion');
      assert.equal(search('author:рустам').total, 0, 'author: is the creator; the Cyrillic name is the last author');
      assert.equal(search('modifiedby:рустам').total, 1);
      const docs = new DocumentQueries(store.db);
      assert.deepEqual(docs.list({ query: 'budget' }).documents.map((d) => d.name), ['budget.pdf']);
      const byDupont = docs.list({ limit: 100 }).documents.filter((d) => JSON.stringify(d.meta).includes('Dupont')).map((d) => d.name);
      assert.ok(byDupont.length > 0);
      assert.deepEqual(docs.list({ query: 'dupont', limit: 100 }).documents.map((d) => d.name), byDupont, 'a word matches whatever its case in the text (metadata "Jean Dupont")');
      assert.deepEqual(docs.list({ query: 'flag:foreign-script-metadata' }).documents.map((d) => d.name), ['note.docx']);
      const detail = docs.detail(docs.list({ query: 'budget' }).documents[0]!.id)!;
      assert.match(detail.pages.join(' '), /budget de campagne/);
      assert.equal(detail.appearsIn.filter((a) => a.messageId).length, 1);
      assert.ok(detail.appearsIn.some((a) => a.path?.endsWith('budget-copie.pdf')));
    } finally {
      store.close();
    }
  });

  test('show --json gives the document on each attachment', () => {
    const m = cliJson(['show', caseDir, '1']);
    assert.equal(m.attachments[0].document.name, 'budget.pdf');
    assert.equal(m.attachments[0].document.meta.author, 'Jean Dupont');
    assert.equal(m.attachments[1].document.meta.lastModifiedBy, 'Рустам Алиев');
  });
});
