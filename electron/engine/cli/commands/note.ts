import { TagError, TagStore } from '../../tags/tag-store';
import { CliError } from '../cli-error';
import type { Command } from '../command';
import { messageIdArg, withCase } from '../open-case';
import { printJson } from '../output';

export const noteCommand: Command = {
  summary: 'set (or print) the free-text note of a message',
  usage: `Usage: casefile note <case> <id> ["<text>"] [--json]

With <text>, sets the note ("" deletes it); without, prints it. Changes are recorded in the audit log.`,
  options: { json: { type: 'boolean' } },
  async run([dir, idArg, text], values) {
    const id = messageIdArg(idArg);
    return withCase(dir, (store) => {
      const tags = new TagStore(store.db, store.audit);
      try {
        const note = text === undefined ? tags.note(id) : tags.setNote(id, text);
        if (values.json) printJson(note);
        else if (text === undefined) process.stdout.write(note ? `${note.text}\n` : '');
        return 0;
      } catch (err) {
        if (err instanceof TagError) throw new CliError(err.message);
        throw err;
      }
    });
  },
};
