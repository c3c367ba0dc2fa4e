import { intOption } from '../cli-error';
import type { Command } from '../command';
import { withCase } from '../open-case';
import { formatAddress, printJson } from '../output';

export const listCommand: Command = {
  summary: 'list messages by date',
  usage: `Usage: casefile list <case> [--limit N] [--offset N] [--newest-first] [--json]

Oldest first (undated last) unless --newest-first.
--json prints {total, messages:[{id, sha256, messageId, date, from, subject, threadId, size, hasAttachments, tags,
hasErrors, source:{path, offset, length, sha256}}]} (source: the first location of the original bytes).`,
  options: { limit: { type: 'string' }, offset: { type: 'string' }, 'newest-first': { type: 'boolean' }, json: { type: 'boolean' } },
  async run([dir], values) {
    const page = await withCase(dir, (_s, q) => {
      const p = q.list(intOption(values.limit, 'limit', 50), intOption(values.offset, 'offset', 0), values['newest-first'] ? 'desc' : 'asc');
      return { ...p, messages: p.messages.map((m) => ({ ...m, source: q.locations(m.id)[0] ?? null })) };
    });
    if (values.json) printJson(page);
    else for (const m of page.messages) process.stdout.write(`${String(m.id).padStart(7)}  ${(m.date ?? '—').slice(0, 16)}  ${formatAddress(m.from).slice(0, 30).padEnd(30)}  ${m.subject ?? ''}\n`);
    return 0;
  },
};
