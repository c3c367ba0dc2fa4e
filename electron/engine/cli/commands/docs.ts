import { DocumentQueries } from '../../documents/document-queries';
import { QueryError } from '../../search/query-parser';
import { CliError, intOption } from '../cli-error';
import type { Command } from '../command';
import { withCase } from '../open-case';
import { printJson } from '../output';

export const docsCommand: Command = {
  summary: 'list documents (attachments, embedded and loose files) with their metadata',
  usage: `Usage: casefile docs <case> [--query "<q>"] [--limit N] [--offset N] [--json]

Documents ordered by last-modified time. --query takes the search language: words and "phrases" in the
text, name and metadata; author: modifiedby: app: type:pdf|word|excel|powerpoint|image|… doc: flag:.
--json prints {total, documents:[{id, name, kind, type, size, sha256, locations:[{path, messageId?,
attachmentIndex?}], meta:{author, lastModifiedBy, title, …}, exif:{…}, flags:[{name, reason}], errors:[…]}]}.`,
  options: { query: { type: 'string' }, limit: { type: 'string' }, offset: { type: 'string' }, json: { type: 'boolean' } },
  async run([dir], values) {
    const page = await withCase(dir, (store) => {
      try {
        return new DocumentQueries(store.db).list({ query: String(values.query ?? ''), limit: intOption(values.limit, 'limit', 100), offset: intOption(values.offset, 'offset', 0) });
      } catch (err) {
        if (err instanceof QueryError) throw new CliError(`bad query: ${err.message}`, 1);
        throw err;
      }
    });
    if (values.json) printJson(page);
    else {
      for (const d of page.documents) {
        const flags = d.flags.map((f) => f.name).join(',');
        process.stdout.write(`${String(d.id).padStart(6)}  ${d.type.padEnd(10)}  ${(d.meta.modified ?? '—').slice(0, 25).padEnd(25)}  ${(d.meta.lastModifiedBy ?? d.meta.author ?? '').slice(0, 20).padEnd(20)}  ${d.name}${flags ? `  [${flags}]` : ''}\n`);
      }
      process.stdout.write(`${page.total} document(s)\n`);
    }
    return 0;
  },
};
