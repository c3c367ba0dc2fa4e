import { runAuthPassThenRethread } from '../../auth/auth-pass-rethread';
import { KeyFormatError } from '../../auth/key-formats';
import { KeyStore } from '../../auth/key-store';
import { CliError } from '../cli-error';
import type { Command } from '../command';
import { withCase } from '../open-case';
import { log, printJson } from '../output';

export const verifyAuthCommand: Command = {
  summary: 'check DKIM and ARC signatures offline, against imported keys; Received chain and anomaly flags',
  usage: `Usage: casefile verify-auth <case> [--keys <file>] [--json] [--all]

Verifies every DKIM signature and ARC chain of every message without any network access: body hashes
need no key; full verification uses the keys in the case key store (casefile keys import), plus --keys.
Computes Received hops and anomaly flags (hints, not proof). Resumable; only new messages, or signed
messages after a key import, are re-checked.
--json prints {totals, messages:[{id, dkim:[{domain, selector, algorithm, bodyHash, result, reason,
keySource}], arc:{result, reason}, flags:[…]}]} — signed or flagged messages only unless --all.`,
  options: { keys: { type: 'string' }, json: { type: 'boolean' }, all: { type: 'boolean' } },
  async run([dir], values) {
    return withCase(dir, async (store, q) => {
      if (values.keys !== undefined) {
        try {
          const r = new KeyStore(store.db, store.audit).import(values.keys as string);
          log(`imported ${r.added + r.replaced} keys (${r.unchanged} already known) from ${values.keys}`);
        } catch (err) {
          if (err instanceof KeyFormatError) throw new CliError(err.message);
          throw err;
        }
      }
      const tty = process.stderr.isTTY;
      const { totals } = await runAuthPassThenRethread(store, tty ? (d, t) => process.stderr.write(`\rchecking signatures ${d}/${t}`) : undefined);
      if (tty) process.stderr.write('\n');
      const ids = (
        store.db
          .prepare(values.all ? 'SELECT message_id FROM message_auth ORDER BY message_id' : "SELECT message_id FROM message_auth WHERE signed = 1 OR result_json NOT LIKE '%\"flags\":[]%' ORDER BY message_id")
          .raw()
          .all() as [number][]
      ).map((r) => r[0]);
      const messages = ids.map((id) => {
        const r = q.authReport(id)!;
        return { id, dkim: r.dkim, arc: r.arc, flags: r.flags.map((f) => f.name), flagDetails: r.flags, received: r.received };
      });
      if (values.json) printJson({ totals, messages });
      else {
        process.stdout.write(
          `${totals.messages} messages, ${totals.signed} signed: DKIM pass ${totals.dkimPass}, fail ${totals.dkimFail}, no key ${totals.dkimNoKey}; ` +
            `body hash ok ${totals.bodyOk}, altered ${totals.bodyAltered}; ARC pass ${totals.arcPass}, fail ${totals.arcFail}; ${totals.flagged} with flags\n`,
        );
        for (const m of messages.filter((x) => x.dkim.some((d) => d.result === 'fail' || d.bodyHash === 'body-altered') || x.arc.result === 'fail')) {
          process.stdout.write(`${String(m.id).padStart(7)}  ${m.dkim.map((d) => `dkim ${d.domain} ${d.result}${d.reason ? ` (${d.reason})` : ''}`).join('; ')}${m.arc.result === 'fail' ? `; arc fail (${m.arc.reason})` : ''}\n`);
        }
      }
      return 0;
    });
  },
};
