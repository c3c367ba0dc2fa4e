import type { Command } from '../command';
import { withCase } from '../open-case';
import { printJson } from '../output';

export const auditCommand: Command = {
  summary: 'print the case audit log; --verify checks its hash chain',
  usage: `Usage: casefile audit <case> [--verify] [--json]

Exit code 2 when --verify finds the chain broken (an entry edited, deleted or reordered).`,
  options: { verify: { type: 'boolean' }, json: { type: 'boolean' } },
  async run([dir], values) {
    return withCase(dir, (store) => {
      if (values.verify) {
        const result = store.audit.verify();
        if (values.json) printJson(result);
        else process.stdout.write(result.ok ? `audit chain ok (${result.entries} entries)\n` : `audit chain BROKEN at entry ${result.firstBad!.id}: ${result.firstBad!.reason}\n`);
        return result.ok ? 0 : 2;
      }
      const entries = store.audit.entries();
      if (values.json) printJson(entries);
      else for (const e of entries) process.stdout.write(`${e.id} ${e.at} ${e.action} ${JSON.stringify(e.details)}\n`);
      return 0;
    });
  },
};
