import { CliError } from '../cli-error';
import type { Command } from '../command';
import { messageIdArg, withCase } from '../open-case';
import { formatAddress, printJson } from '../output';
import type { ThreadNode } from '../../../../shared/types';

export const threadCommand: Command = {
  summary: 'print the thread tree containing a message',
  usage: `Usage: casefile thread <case> <id> [--json]

--json prints {threadId, subject, messageCount, root:{id, messageId, ghost, date, from, subject, children:[…]}}.
Ghost nodes are messages that are referenced but not in the archive.`,
  options: { json: { type: 'boolean' } },
  async run([dir, idArg], values) {
    const id = messageIdArg(idArg);
    return withCase(dir, (_s, q) => {
      const threadId = q.threadOfMessage(id);
      const thread = threadId == null ? null : q.thread(threadId);
      if (!thread) throw new CliError(`no message ${id} in this case`);
      if (values.json) printJson(thread);
      else printTree(thread.root, '');
      return 0;
    });
  },
};

function printTree(node: ThreadNode, indent: string): void {
  const label = node.ghost ? `(missing message <${node.messageId}>)` : `${node.id}  ${(node.date ?? '').slice(0, 10)}  ${formatAddress(node.from)}  ${node.subject ?? ''}`;
  process.stdout.write(`${indent}${label}\n`);
  for (const c of node.children) printTree(c, indent + '  ');
}
