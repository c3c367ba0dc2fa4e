import type { Command } from './command';
import { auditCommand } from './commands/audit';
import { docsCommand } from './commands/docs';
import { exportCommand } from './commands/export';
import { indexCommand } from './commands/index';
import { ingestCommand } from './commands/ingest';
import { keysCommand } from './commands/keys';
import { listCommand } from './commands/list';
import { noteCommand } from './commands/note';
import { searchCommand } from './commands/search';
import { serveCommand } from './commands/serve';
import { showCommand } from './commands/show';
import { statsCommand } from './commands/stats';
import { tagCommand } from './commands/tag';
import { tagsCommand } from './commands/tags';
import { threadCommand } from './commands/thread';
import { verifyCommand } from './commands/verify';
import { verifyAuthCommand } from './commands/verify-auth';

export type { Command } from './command';

export const COMMANDS: Record<string, Command> = {
  ingest: ingestCommand,
  list: listCommand,
  search: searchCommand,
  index: indexCommand,
  serve: serveCommand,
  show: showCommand,
  thread: threadCommand,
  stats: statsCommand,
  tag: tagCommand,
  tags: tagsCommand,
  note: noteCommand,
  docs: docsCommand,
  export: exportCommand,
  verify: verifyCommand,
  'verify-auth': verifyAuthCommand,
  keys: keysCommand,
  audit: auditCommand,
};
