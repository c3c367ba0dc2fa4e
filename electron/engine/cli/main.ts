import { COMMANDS } from './commands';
import { EXIT } from './cli-error';
import { runCommand } from './run-command';

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
  return runCommand(name, await entry.load(), rest);
}
