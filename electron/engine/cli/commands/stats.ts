import type { Command } from '../command';
import { withCase } from '../open-case';
import { printJson } from '../output';

export const statsCommand: Command = {
  summary: 'counts, date range, top senders, sources',
  usage: `Usage: casefile stats <case> [--json]`,
  options: { json: { type: 'boolean' } },
  async run([dir], values) {
    const stats = await withCase(dir, (_s, q) => q.stats());
    if (values.json) printJson(stats);
    else {
      process.stdout.write(
        `${stats.messages} messages (${stats.duplicates} duplicate copies), ${stats.threads} threads, ${stats.attachments} attachments, ${stats.errors} with errors\n` +
          `dates ${stats.dateRange.first ?? '—'} .. ${stats.dateRange.last ?? '—'}\n` +
          stats.sources.map((s) => `source ${s.path} ${s.bytes} bytes ${s.status} sha256 ${s.sha256 ?? '(pending)'}`).join('\n') +
          '\n',
      );
    }
    return 0;
  },
};
