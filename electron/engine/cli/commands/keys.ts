import { KeyFormatError } from '../../auth/key-formats';
import { KeyStore } from '../../auth/key-store';
import { CliError, usageError } from '../cli-error';
import type { Command } from '../command';
import { withCase } from '../open-case';
import { printJson } from '../output';

export const keysCommand: Command = {
  summary: 'import DKIM/ARC public keys (DNS TXT records) into a case, for offline verification',
  usage: `Usage: casefile keys import <case> <file> [--name <selector>._domainkey.<domain>] [--json]

<file> is JSON ({"sel._domainkey.example.com": "v=DKIM1; k=rsa; p=…"}), mailauth --dns-cache JSON,
BIND zone TXT lines, tinydns lines, or a PEM public key (with --name). Records are stored in the case with
the file's path and SHA-256 (audited); every distinct record of a name is kept (key rotations), and
verification tries each. Then run "casefile verify-auth <case>".`,
  options: { name: { type: 'string' }, json: { type: 'boolean' } },
  async run([sub, dir, file], values) {
    if (sub !== 'import') throw usageError('the only subcommand is "import"');
    if (!file) throw usageError('missing <file>');
    return withCase(dir, (store) => {
      try {
        const r = new KeyStore(store.db, store.audit).import(file, values.name as string | undefined);
        if (values.json) printJson(r);
        else process.stdout.write(`${r.format}: ${r.added} new, ${r.replaced} with updated history, ${r.unchanged} unchanged, ${r.ignored} non-key records ignored\n`);
        return 0;
      } catch (err) {
        if (err instanceof KeyFormatError) throw new CliError(err.message);
        throw err;
      }
    });
  },
};
