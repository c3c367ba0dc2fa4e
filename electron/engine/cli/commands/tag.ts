import { QueryError } from '../../search/query-parser';
import { Searcher } from '../../search/searcher';
import { resolveSelection } from '../../tags/selection';
import { TagError, TagStore } from '../../tags/tag-store';
import type { Selection } from '../../../../shared/types';
import { CliError, usageError } from '../cli-error';
import type { Command } from '../command';
import { messageIdArg, withCase } from '../open-case';
import { printJson } from '../output';

export const tagCommand: Command = {
  summary: 'add (or --remove) a tag on messages by id, thread or query',
  usage: `Usage: casefile tag <case> <tag> (--id <id>... | --thread <id> | --query "<q>") [--remove] [--color #rrggbb] [--json]

--id may be repeated. --thread tags every message of that message's thread. --query tags every hit.
The change is one transaction, recorded in the audit log; it is durable once this command prints.
--json prints {tag, changed, matched}.`,
  options: {
    id: { type: 'string', multiple: true },
    thread: { type: 'string' },
    query: { type: 'string' },
    remove: { type: 'boolean' },
    color: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run([dir, tag], values) {
    if (!tag) throw usageError('missing <tag>');
    const given = [values.id, values.thread, values.query].filter((v) => v !== undefined).length;
    if (given !== 1) throw usageError('give exactly one of --id, --thread, --query');
    const selection: Selection = values.id
      ? { ids: (values.id as string[]).map(messageIdArg) }
      : values.thread !== undefined
        ? { threadOf: messageIdArg(values.thread as string) }
        : { query: values.query as string };
    return withCase(dir, (store) => {
      const tags = new TagStore(store.db, store.audit);
      try {
        if (values.color !== undefined) tags.define(tag, values.color as string);
        const ids = resolveSelection(store.db, () => new Searcher(store.db, store.dir), selection);
        const how = 'ids' in selection ? 'ids' : 'threadOf' in selection ? `thread of ${selection.threadOf}` : `query ${selection.query}`;
        const change = values.remove ? tags.remove(tag, ids, how) : tags.add(tag, ids, how);
        if (values.json) printJson(change);
        else process.stdout.write(`${values.remove ? 'untagged' : 'tagged'} ${change.changed} of ${change.matched} messages "${change.tag}"\n`);
        return 0;
      } catch (err) {
        if (err instanceof QueryError) throw new CliError(`bad query: ${err.message}`, 1);
        if (err instanceof TagError) throw new CliError(err.message);
        throw err;
      }
    });
  },
};
