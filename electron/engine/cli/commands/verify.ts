import { existsSync } from 'node:fs';
import { verifyExport } from '../../export/verify-export';
import { CliError, usageError } from '../cli-error';
import type { Command } from '../command';
import { printJson } from '../output';

export const verifyCommand: Command = {
  summary: 'check an export (folder or .zip) against its manifest',
  usage: `Usage: casefile verify <export-path> [--json]

Re-hashes manifest.json against manifest.sha256 and every file against manifest.json; lists every
missing, extra or altered file (and, for an mbox, which messages changed). Exit code 0 when everything
matches, 2 on any difference. Compare the manifest hash with the one recorded in the case audit log
(or sent to you separately): a matching export with a different manifest hash is a different export.
Anything the manifest does not account for fails: unlisted files, symbolic links, zip comments,
duplicate or data-carrying directory entries, bytes appended to the zip.
--json prints {ok, path, manifest, checked, missing, extra, altered, alteredMessages, unaccounted, error}.`,
  options: { json: { type: 'boolean' } },
  async run([target], values) {
    if (!target) throw usageError('missing <export-path>');
    if (!existsSync(target)) throw new CliError(`${target} does not exist`);
    const r = await verifyExport(target);
    if (values.json) printJson(r);
    else {
      const lines = [
        r.ok ? `OK: ${r.checked} files match the manifest (${r.path})` : `FAILED: ${r.path} does not match its manifest`,
        ...(r.manifest !== 'ok' ? [`  manifest: ${r.manifest}`] : []),
        ...r.missing.map((f) => `  missing: ${f}`),
        ...(r.error ? [`  ${r.error}`] : []),
        ...(r.unaccounted ?? r.extra.map((path) => ({ path, reason: 'not in the manifest' }))).map((u) => `  extra:   ${u.path} (${u.reason})`),
        ...r.altered.map((f) => `  altered: ${f}`),
        ...r.alteredMessages.map((m) => `  altered message ${m.id} in ${m.file}`),
      ];
      process.stdout.write(lines.join('\n') + '\n');
    }
    return r.ok ? 0 : 2;
  },
};
