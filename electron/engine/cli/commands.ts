import type { Command } from './command';
import { auditCommand } from './commands/audit';
import { ingestCommand } from './commands/ingest';
import { listCommand } from './commands/list';
import { showCommand } from './commands/show';
import { statsCommand } from './commands/stats';
import { threadCommand } from './commands/thread';

export type { Command } from './command';

export const COMMANDS: Record<string, Command> = {
  ingest: ingestCommand,
  list: listCommand,
  show: showCommand,
  thread: threadCommand,
  stats: statsCommand,
  audit: auditCommand,
};
