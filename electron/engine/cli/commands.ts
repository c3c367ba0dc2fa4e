import type { Command } from './command';
import { auditCommand } from './commands/audit';
import { indexCommand } from './commands/index';
import { ingestCommand } from './commands/ingest';
import { listCommand } from './commands/list';
import { searchCommand } from './commands/search';
import { serveCommand } from './commands/serve';
import { showCommand } from './commands/show';
import { statsCommand } from './commands/stats';
import { threadCommand } from './commands/thread';

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
  audit: auditCommand,
};
