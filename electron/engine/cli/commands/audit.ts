import { usageError } from '../cli-error';
import type { Command } from '../command';
import { withCase } from '../open-case';
import { printJson } from '../output';

export const auditCommand: Command = {
  summary: 'print the case audit log; --verify checks its hash chain and anchored head',
  usage: `Usage: casefile audit <case> [--verify [--head [N:]HASH]] [--anchor] [--json]

--verify recomputes the hash chain and compares it with <case>/audit-head.log (the head written after
every entry): an entry edited, deleted (the newest ones too, or all) or re-chained is reported.
--head also checks a head recorded elsewhere (an export manifest's case.auditHead, with
case.auditEntries as N) is part of the chain: this catches a rewrite of both the table and the anchor.
--anchor starts audit-head.log for a case made before anchoring existed (refused if it exists).
Exit code 2 when --verify finds a problem.`,
  options: { verify: { type: 'boolean' }, json: { type: 'boolean' }, head: { type: 'string' }, anchor: { type: 'boolean' } },
  async run([dir], values) {
    const head = values.head === undefined ? null : parseHead(String(values.head));
    return withCase(dir, (store) => {
      if (values.anchor) {
        store.audit.startAnchor();
        store.audit.append('audit-anchor-started', store.audit.headCount());
        process.stdout.write(`audit head anchored in audit-head.log\n`);
        return 0;
      }
      if (values.verify) {
        const result = store.audit.verify();
        const headOk = head ? store.audit.containsHead(head.hash, head.entries) : null;
        const ok = result.ok && headOk !== false;
        if (values.json) printJson({ ...result, ok, ...(head ? { headFound: headOk } : {}) });
        else {
          const lines = [result.ok ? `audit chain ok (${result.entries} entries, ${result.anchor.anchored} anchored)` : `audit chain BROKEN at entry ${result.firstBad!.id}: ${result.firstBad!.reason}`];
          if (result.ok && result.anchor.unanchored > 0) lines.push(`note: the newest ${result.anchor.unanchored} entries were not anchored yet (the process ended before writing the anchor)`);
          if (headOk === false) lines.push(`head ${values.head} is NOT part of this audit chain: the history was rewritten or it is another case`);
          if (headOk === true) lines.push(`head ${values.head} is part of this audit chain`);
          process.stdout.write(lines.join('\n') + '\n');
        }
        return ok ? 0 : 2;
      }
      const entries = store.audit.entries();
      if (values.json) printJson(entries);
      else for (const e of entries) process.stdout.write(`${e.id} ${e.at} ${e.action} ${JSON.stringify(e.details)}\n`);
      return 0;
    });
  },
};

function parseHead(spec: string): { entries?: number; hash: string } {
  const m = /^(?:(\d+):)?([0-9a-f]{64})$/i.exec(spec.trim());
  if (!m) throw usageError(`--head must be HASH or N:HASH (64 hex digits), got "${spec}"`);
  return { entries: m[1] === undefined ? undefined : Number(m[1]), hash: m[2]!.toLowerCase() };
}
