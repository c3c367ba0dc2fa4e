import type { OcrProgress } from '../../../../shared/types';
import { runOcrPass } from '../../ocr/ocr-pass';
import type { Command } from '../command';
import { withCase } from '../open-case';
import { log, printJson } from '../output';

export const ocrCommand: Command = {
  summary: 'recognise text (OCR, French + English) in scanned PDFs and images of a case (resumable)',
  usage: `Usage: casefile ocr <case> [--retry-failed] [--json]

Runs the optional OCR pass: PDFs without a text layer (pages rendered by pdf.js) and images, in French and
English with tesseract.js and the traineddata installed with Casefile (nothing is downloaded). Each
document's result is recorded as it finishes: interrupt and run again to resume. The text is marked as
OCR (documents' "ocr" field, "ocrPages" in the detail) and becomes searchable; the search index shards
of the messages carrying those documents are rebuilt. --retry-failed tries failed documents again.
--json prints {candidates, done, empty, failed, skipped, seconds}.`,
  options: { 'retry-failed': { type: 'boolean' }, json: { type: 'boolean' } },
  async run([dir], values) {
    const result = await withCase(dir, (store) => runOcr(store, Boolean(values['retry-failed'])));
    if (values.json) printJson(result);
    else log(`OCR: ${result.done} with text, ${result.empty} without, ${result.failed} failed, ${result.skipped} done earlier, of ${result.candidates} candidates, in ${result.seconds.toFixed(1)} s`);
    return 0;
  },
};

/** The pass with progress on stderr and Ctrl-C stopping it after the current document (shared with `ingest --ocr`). */
export async function runOcr(store: Parameters<typeof runOcrPass>[0], retryFailed = false): Promise<OcrProgress> {
  const controller = new AbortController();
  const onSigint = () => {
    log('\ninterrupted: stopping after the current document; run "casefile ocr" again to resume');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  const tty = process.stderr.isTTY;
  try {
    return await runOcrPass(store, {
      retryFailed,
      signal: controller.signal,
      onProgress: tty ? (p) => process.stderr.write(`\rOCR ${p.done + p.empty + p.failed}/${p.candidates - p.skipped} ${p.current ?? ''}`.slice(0, 100).padEnd(100)) : undefined,
    });
  } finally {
    if (tty) process.stderr.write('\n');
    process.off('SIGINT', onSigint);
  }
}
