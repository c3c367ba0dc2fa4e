import { readVerifiedOriginal } from '../../store/original-bytes';
import { CliError } from '../cli-error';
import type { Command } from '../command';
import { messageIdArg, withCase } from '../open-case';
import { formatAddress, printJson } from '../output';

export const showCommand: Command = {
  summary: 'show one message (metadata, or --raw for the exact original bytes)',
  usage: `Usage: casefile show <case> <id> [--json | --raw]

--json prints the full message record (source location, all locations, hashes, attachments, errors).
--raw writes the exact original bytes of the message to stdout, re-read from the evidence (through any
archive layers) and checked against the SHA-256 recorded at ingest.`,
  options: { json: { type: 'boolean' }, raw: { type: 'boolean' } },
  async run([dir, idArg], values) {
    const id = messageIdArg(idArg);
    return withCase(dir, async (_s, q) => {
      const msg = q.message(id);
      if (!msg) throw new CliError(`no message ${id} in this case`);
      if (values.raw) {
        // Re-read (through the archive chain when there is one) and check the SHA-256 recorded at ingest.
        const { bytes } = await readVerifiedOriginal(q, id);
        await new Promise<void>((resolve, reject) => process.stdout.write(bytes, (err) => (err ? reject(err) : resolve())));
        return 0;
      }
      if (values.json) {
        printJson(msg);
        return 0;
      }
      const lines = [
        `Message ${msg.id}  ${msg.messageId ?? '(no Message-ID)'}`,
        `Date:    ${msg.dateHeader ?? '—'}`,
        `From:    ${formatAddress(msg.from)}`,
        `To:      ${msg.to.map((a) => formatAddress([a])).join(', ')}`,
        `Subject: ${msg.subject ?? ''}`,
        `Source:  ${msg.source.path} @ ${msg.source.offset} (+${msg.source.length} bytes)  sha256 ${msg.sha256}`,
        ...msg.attachments.map((a) => `Attach:  ${a.filename ?? '(unnamed)'}  ${a.contentType}${a.typeMismatch ? ` (looks like ${a.sniffedType})` : ''}  ${a.size} bytes`),
        ...msg.errors.map((e) => `Error:   ${e.code}: ${e.message}`),
        '',
        msg.preview,
      ];
      process.stdout.write(lines.join('\n') + '\n');
      return 0;
    });
  },
};
