import { parseArgs, type ParseArgsConfig } from 'node:util';
import { COMMANDS, type Command } from './commands';
import { CliError, EXIT } from './cli-error';

const USAGE = `casefile — investigate a mail archive offline

Usage: casefile <command> [options]    (casefile <command> --help for details)

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`)
  .join('\n')}

Exit codes: 0 ok, 1 usage error, 2 input problem (names the file and byte offset).`;

/** Entry point; returns the exit code. Machine-readable output goes to stdout, everything else to stderr. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE + '\n');
    return name ? EXIT.ok : EXIT.usage;
  }
  const command: Command | undefined = COMMANDS[name];
  if (!command) {
    process.stderr.write(`casefile: unknown command "${name}"\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true } as ParseArgsConfig);
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
    if (e?.code === 'ENOENT' || e?.code === 'EACCES' || e?.name === 'CaseError') {
      process.stderr.write(`casefile ${name}: ${e.message}\n`);
      return EXIT.input;
    }
    throw err;
  }
}
