import { runAuthPassThenRethread } from '../../auth/auth-pass-rethread';
import { ingest } from '../../ingest/ingest';
import { CaseStore } from '../../store/case-store';
import { EXIT, usageError } from '../cli-error';
import type { Command } from '../command';
import { withCase } from '../open-case';
import { log, printJson } from '../output';
import { progressBar } from '../progress-bar';
import { phase } from '../../ingest/phase-log';

export const ingestCommand: Command = {
  summary: 'ingest mbox / eml / Maildir / emlx sources into a case (resumable)',
  usage: `Usage: casefile ingest <source>... --case <dir> [--json] [--workers N] [--password P] [--ocr] [--allow-case-near-evidence]

Reads each source read-only and stores message positions, hashes and metadata in the case directory.
Sources may be mbox files, .eml/.emlx files, or folders (searched recursively; Maildir works as is),
and archives holding any of these (zip, tar, tar.gz, tar.bz2, .gz, 7z, RAR; nested archives too), read
in place. --password opens encrypted zip/7z/RAR archives. --ocr then runs the OCR pass (see casefile ocr).
Interrupt with Ctrl-C and run the same command again: it resumes where it stopped.
--json prints {messages, duplicates, errors, sources:[{path, bytes, sha256}], seconds} on stdout.`,
  options: {
    case: { type: 'string' },
    json: { type: 'boolean' },
    workers: { type: 'string' },
    password: { type: 'string' },
    ocr: { type: 'boolean' },
    'allow-case-near-evidence': { type: 'boolean' },
  },
  async run(positionals, values) {
    if (positionals.length === 0) throw usageError('give at least one <source>');
    if (typeof values.case !== 'string') throw usageError('--case <dir> is required');
    const controller = new AbortController();
    const onSigint = () => {
      log('\ninterrupted: finishing the current batch; run the same command again to resume');
      controller.abort();
    };
    process.once('SIGINT', onSigint);
    const bar = progressBar();
    try {
      const summary = await ingest({
        caseDir: values.case,
        inputs: positionals,
        signal: controller.signal,
        onProgress: bar,
        workers: values.workers ? Number(values.workers) : undefined,
        allowCaseNearEvidence: Boolean(values['allow-case-near-evidence']),
        password: typeof values.password === 'string' ? values.password : undefined,
      });
      bar.done();
      if (!summary.cancelled) await checkSignatures(values.case);
      phase('auth pass done');
      if (!summary.cancelled && values.ocr) {
        const { runOcr } = await import('./ocr'); // tesseract and mailparser: loaded only with --ocr
        const ocr = await withCase(values.case, (store) => runOcr(store));
        (summary as typeof summary & { ocr?: unknown }).ocr = ocr;
      }
      for (const s of summary.skippedSources) log(`skipped ${s}`);
      for (const w of summary.warnings ?? []) log(`warning: ${w}`);
      if (values.json) printJson(summary);
      else log(`${summary.messages} messages, ${summary.duplicates} duplicates, ${summary.errors} with errors, in ${summary.seconds.toFixed(1)} s${summary.cancelled ? ' (interrupted)' : ''}`);
      return summary.cancelled ? 130 : EXIT.ok;
    } finally {
      process.off('SIGINT', onSigint);
    }
  },
};

/** The offline authenticity pass (DKIM body hashes, keys already imported, Received chain, flags) runs after ingest. */
async function checkSignatures(caseDir: string): Promise<void> {
  const store = CaseStore.open(caseDir);
  try {
    const tty = process.stderr.isTTY;
    await runAuthPassThenRethread(store, tty ? (d, t) => process.stderr.write(`\rchecking signatures ${d}/${t}`) : undefined);
    if (tty) process.stderr.write('\n');
  } finally {
    store.close();
  }
}
