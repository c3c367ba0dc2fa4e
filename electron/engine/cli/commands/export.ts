import type { ExportFormat } from '../../../../shared/types';
import { ExportError, exportSet } from '../../export/export-set';
import { QueryError } from '../../search/query-parser';
import { Searcher } from '../../search/searcher';
import { EvidenceChangedError } from '../../source/positional-reader';
import { CliError, usageError } from '../cli-error';
import type { Command } from '../command';
import { withCase } from '../open-case';
import { log, printJson } from '../output';

const FORMATS: ExportFormat[] = ['mbox', 'eml', 'csv', 'json'];

export const exportCommand: Command = {
  summary: 'export a tag or query as mbox, .eml files, CSV or JSON, with a manifest of SHA-256s',
  usage: `Usage: casefile export <case> (--tag <t> | --query "<q>") --format mbox|eml|csv|json --out <path>
                       [--attachments] [--zip] [--overwrite] [--json]

Writes a new folder <path> (or, with --zip, a zip file <path>) holding the messages, optionally their
attachments (attachments/<id>/<name>), manifest.json (every file and message with its SHA-256, the case's
sources and their hashes, the selection, tool version, time) and manifest.sha256. Every message's bytes
are re-checked against the SHA-256 recorded at ingest before they are written. The export is built
beside <path> and renamed into place only when complete; an existing <path> is refused unless --overwrite.
Check it later with "casefile verify <path>".
--json prints {out, format, messages, attachments, files, bytes, manifestSha256}.`,
  options: {
    tag: { type: 'string' },
    query: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    attachments: { type: 'boolean' },
    zip: { type: 'boolean' },
    overwrite: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run([dir], values) {
    if ((values.tag === undefined) === (values.query === undefined)) throw usageError('give exactly one of --tag, --query');
    const format = values.format as ExportFormat;
    if (!FORMATS.includes(format)) throw usageError(`--format must be one of ${FORMATS.join(', ')}`);
    if (!values.out) throw usageError('missing --out <path>');
    return withCase(dir, async (store) => {
      try {
        const result = await exportSet(
          store,
          () => new Searcher(store.db, store.dir),
          {
            selection: values.tag !== undefined ? { tag: values.tag as string } : { query: values.query as string },
            format,
            out: values.out as string,
            attachments: !!values.attachments,
            zip: !!values.zip,
            overwrite: !!values.overwrite,
          },
          process.stderr.isTTY ? (p) => process.stderr.write(`\rexporting ${p.done}/${p.total}`) : undefined,
        );
        if (process.stderr.isTTY) process.stderr.write('\n');
        if (values.json) printJson(result);
        else log(`exported ${result.messages} messages (${result.attachments} attachments) to ${result.out}\nmanifest.json sha256 ${result.manifestSha256}`);
        return 0;
      } catch (err) {
        if (err instanceof QueryError) throw new CliError(`bad query: ${err.message}`, 1);
        if (err instanceof ExportError || err instanceof EvidenceChangedError) throw new CliError(err.message);
        throw err;
      }
    });
  },
};
