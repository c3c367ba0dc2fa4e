import { readFileSync, writeFileSync } from 'node:fs';
import { exportTags, importTags } from '../../tags/tag-transfer';
import { TagError, TagStore } from '../../tags/tag-store';
import { CliError } from '../cli-error';
import type { Command } from '../command';
import { withCase } from '../open-case';
import { printJson } from '../output';

export const tagsCommand: Command = {
  summary: 'list tags with counts; --export/--import a tag file to merge analysts\' work',
  usage: `Usage: casefile tags <case> [--json] [--export <file.json> | --import <file.json>]

--json prints [{name, color, count}].
--export writes every tag and note, naming messages by the SHA-256 of their original bytes.
--import merges such a file: adds tags, sets notes where this case has none; prints what matched.`,
  options: { json: { type: 'boolean' }, export: { type: 'string' }, import: { type: 'string' } },
  async run([dir], values) {
    return withCase(dir, (store) => {
      const tags = new TagStore(store.db, store.audit);
      if (values.export !== undefined) {
        writeFileSync(values.export as string, JSON.stringify(exportTags(store.db), null, 2) + '\n', { flag: 'wx' });
        store.audit.append('tags-exported', { file: values.export });
        process.stderr.write(`wrote ${values.export}\n`);
        return 0;
      }
      if (values.import !== undefined) {
        let file: unknown;
        try {
          file = JSON.parse(readFileSync(values.import as string, 'utf8'));
        } catch (err) {
          throw new CliError(`cannot read tag file ${values.import}: ${(err as Error).message}`);
        }
        try {
          const report = importTags(store.db, tags, file);
          printJson(report);
          return 0;
        } catch (err) {
          if (err instanceof TagError) throw new CliError(err.message);
          throw err;
        }
      }
      const list = tags.list();
      if (values.json) printJson(list);
      else for (const t of list) process.stdout.write(`${String(t.count).padStart(7)}  ${t.name}  ${t.color}\n`);
      return 0;
    });
  },
};
