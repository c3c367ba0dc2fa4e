import { Searcher } from '../../search/searcher';
import { QueryError } from '../../search/query-parser';
import { CliError, intOption, usageError } from '../cli-error';
import type { Command } from '../command';
import { withCase } from '../open-case';
import { formatAddress, printJson } from '../output';

export const searchCommand: Command = {
  summary: 'full-text search with the Casefile query language',
  usage: `Usage: casefile search <case> "<query>" [--limit N] [--offset N] [--sort date|relevance] [--json]

Query language (README "Query language"): words (all must match), "exact phrase", -word, a OR b, ( ),
from: to: cc: subject: body: filename:, has:attachment, date:2017-04-01..2017-05-07, date:2017-05,
before:2017-05-01, after:2017-04-01, id:<Message-ID>, thread:<id>, tag:<name>, camp* (wildcard),
macron~1 (fuzzy). Accents and French elisions are ignored; French and English stemming.
--json prints {total, tookMs, hits:[{id, score, date, from, subject, snippet, highlights}], ignored, indexComplete,
notIndexed} (notIndexed: newest messages not searchable yet, e.g. while an ingest runs).`,
  options: { limit: { type: 'string' }, offset: { type: 'string' }, sort: { type: 'string' }, json: { type: 'boolean' } },
  async run([dir, query], values) {
    if (query === undefined) throw usageError('missing "<query>"');
    const sort = values.sort as string | undefined;
    if (sort !== undefined && sort !== 'date' && sort !== 'relevance') throw usageError(`--sort must be date or relevance, got "${sort}"`);
    return withCase(dir, (store) => {
      // Not warmed: one query reads only the shards and the dates it needs (a fresh process per search).
      const searcher = new Searcher(store.db, store.dir);
      let result;
      try {
        result = searcher.search(query, { limit: intOption(values.limit, 'limit', 20), offset: intOption(values.offset, 'offset', 0), sort });
      } catch (err) {
        if (err instanceof QueryError) throw new CliError(`bad query: ${err.message}`, 1);
        throw err;
      }
      if (values.json) {
        printJson(result);
        return 0;
      }
      process.stdout.write(`${result.total} messages (${result.tookMs.toFixed(1)} ms)${result.ignored.length ? `; ignored: ${result.ignored.join(' ')}` : ''}\n`);
      for (const h of result.hits) {
        process.stdout.write(`${String(h.id).padStart(7)}  ${(h.date ?? '—').slice(0, 10)}  ${formatAddress(h.from).slice(0, 28).padEnd(28)}  ${h.subject ?? ''}\n           ${h.snippet}\n`);
      }
      if (!result.indexComplete) process.stderr.write(`note: ${result.notIndexed ? `${result.notIndexed} messages are` : 'some messages are'} not indexed yet (an ingest still running, or run "casefile index <case>")\n`);
      return 0;
    });
  },
};
