// npm run bench:documents [-- <messages>]: ingest of a deterministic attachment-heavy archive with and
// without document extraction, in the same run (separate child processes, so peak RSS is each run's own).
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeBookPdf, makeDocx, makeXlsx, mboxMessage, type Attachment } from '../fixtures/document-generator';
import { corpus } from '../helpers/corpora';
import { BENCH_DIR, mib, runChild } from './bench-util';

const messages = Number(process.argv[2] ?? 300);
mkdirSync(BENCH_DIR, { recursive: true });
const archive = path.join(BENCH_DIR, `documents-${messages}.mbox`);
const jpegPath = corpus('tika-documents', 'testJPEG_EXIF.jpg');
const jpeg = existsSync(jpegPath) ? readFileSync(jpegPath) : null;

let attachmentBytes = 0;
if (!existsSync(archive)) {
  const filler = 'Bonjour, voici le point sur la campagne et le budget de la semaine. '.repeat(180);
  const parts: string[] = [];
  for (let i = 0; i < messages; i++) {
    const atts: Attachment[] = [];
    const k = i % 10;
    // PDFs from 50 KB to 5 MB (a few text pages plus scan-like bulk), DOCX, XLSX and JPEG.
    if (k === 0) atts.push({ name: `rapport-${i}.pdf`, type: 'application/pdf', bytes: makeBookPdf(3 + (i % 7), [50, 200, 800, 5000][(i / 10) % 4 | 0]! * 1024, i) });
    if (k === 3) atts.push({ name: `note-${i}.docx`, type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', bytes: makeDocx({ creator: 'Équipe', lastModifiedBy: `Auteur ${i % 13}`, created: '2017-03-01T09:00:00Z', modified: `2017-03-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z`, text: filler.slice(0, 4000 + (i % 5) * 1000) + ` note ${i}` }) });
    if (k === 6) atts.push({ name: `tableau-${i}.xlsx`, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', bytes: makeXlsx({ creator: 'Compta', lastModifiedBy: `Compta ${i % 7}`, created: '2017-03-01T09:00:00Z', modified: '2017-03-20T10:00:00Z', text: `tableau ${i} ${filler.slice(0, 3000)}` }) });
    if (k === 8 && jpeg) atts.push({ name: `photo-${i}.jpg`, type: 'image/jpeg', bytes: jpeg });
    for (const a of atts) attachmentBytes += a.bytes.length;
    parts.push(mboxMessage(i + 1000, `Mon, 3 Apr 2017 10:${String(i % 60).padStart(2, '0')}:00 +0200`, `user${i % 40}@en-marche.fr`, `Point ${i}`, filler, atts));
  }
  writeFileSync(archive, parts.join(''));
  writeFileSync(`${archive}.attachments`, String(attachmentBytes));
} else attachmentBytes = Number(readFileSync(`${archive}.attachments`, 'utf8'));

const size = statSync(archive).size;
type Result = { seconds: number; messages: number; documents: number; withErrors: number; maxRssBytes: number };
const run = (mode: string): Result => {
  const caseDir = path.join(BENCH_DIR, `documents-case-${mode}`);
  rmSync(caseDir, { recursive: true, force: true });
  return runChild<Result>(path.join(import.meta.dirname, 'documents-child.ts'), [archive, caseDir, mode]);
};
const plain = run('no-extract');
const full = run('extract');
const added = full.seconds - plain.seconds;
const perAttachment = added / Math.max(1, full.documents);
console.log(`archive ${mib(size)} MiB (${messages} messages, ${mib(attachmentBytes)} MiB of attachments = ${((100 * attachmentBytes) / size).toFixed(0)} % of the bytes, base64 included in the total)`);
console.log(`ingest without extraction: ${plain.seconds.toFixed(1)} s, peak RSS ${mib(plain.maxRssBytes)} MiB`);
console.log(`ingest with extraction:    ${full.seconds.toFixed(1)} s, peak RSS ${mib(full.maxRssBytes)} MiB; ${full.documents} documents (${full.withErrors} with errors)`);
console.log(`extraction adds ${added.toFixed(1)} s = ${(added / plain.seconds).toFixed(2)}× the ingest time (target ≤ 1×); ${(full.documents / Math.max(0.001, added)).toFixed(1)} documents/s, ${(attachmentBytes / 1048576 / Math.max(0.001, added)).toFixed(1)} MB/s of attachments`);
const projected = plain.seconds * ((9 * 1024 ** 3) / size) + 26_000 * perAttachment;
console.log(`projection, 9 GB / 70,000 mails / 26,000 attachments on this machine: ≈ ${(projected / 60).toFixed(0)} min (ingest scaled by bytes, extraction by attachment count at this mix)`);
