import { parseArgs, type ParseArgsConfig } from 'node:util';
import { COMMANDS, type Command } from './commands';
import { protectDashWords } from './cli-args';
import { CliError, EXIT } from './cli-error';
import { userFacingMessage } from './user-errors';

const USAGE = `casefile — investigate a mail archive offline

Usage: casefile <command> [options]    (casefile <command> --help for details)

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`)
  .join('\n')}

Exit codes: 0 ok, 1 usage error, 2 input problem (names the file and byte offset), busy, damaged
or read-only case, full disk.`;

/** Entry point; returns the exit code. Machine-readable output goes to stdout, everything else to stderr. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE + '\n');
    return name ? EXIT.ok : EXIT.usage;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    process.stderr.write(`casefile: unknown command "${name}"\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  const command: Command = await entry.load();
  let parsed;
  try {
    const options = { ...command.options, help: { type: 'boolean', short: 'h' } } as NonNullable<ParseArgsConfig['options']>;
    const dash = protectDashWords(rest, options);
    parsed = parseArgs({ args: dash.args, options, allowPositionals: true, strict: true } as ParseArgsConfig);
    parsed.positionals = parsed.positionals.map(dash.restore);
    for (const [k, v] of Object.entries(parsed.values)) {
      if (typeof v === 'string') (parsed.values as Record<string, unknown>)[k] = dash.restore(v);
      else if (Array.isArray(v)) (parsed.values as Record<string, unknown>)[k] = v.map((x) => (typeof x === 'string' ? dash.restore(x) : x));
    }
  } catch (err) {
    process.stderr.write(`casefile ${name}: ${(err as Error).message}\n\n${command.usage}\n`);
    return EXIT.usage;
  }
  if (parsed.values.help) {
    process.stdout.write(command.usage + '\n');
    return EXIT.ok;
  }
  try {
    return await command.run(parsed.positionals, parsed.values as Record<string, unknown>);
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`casefile ${name}: ${err.message}\n`);
      if (err.showUsage) process.stderr.write(`\n${command.usage}\n`);
      return err.code;
    }
    const e = err as NodeJS.ErrnoException;
    const sentence = e?.name === 'CaseError' ? e.message : userFacingMessage(err);
    if (sentence) {
      process.stderr.write(`casefile ${name}: ${sentence}\n`);
      return EXIT.input;
    }
    throw err;
  }
}
