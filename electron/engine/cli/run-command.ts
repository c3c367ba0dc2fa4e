import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Command } from './command';
import { protectDashWords } from './cli-args';
import { CliError, EXIT } from './cli-error';
import { userFacingMessage } from './user-errors';

/**
 * Run one command with its arguments (after the command name); returns the exit code. Shared by the full
 * CLI (main.ts) and the single-command bundles (fast-entry.ts), so both parse, help and fail alike.
 */
export async function runCommand(name: string, command: Command, rest: string[]): Promise<number> {
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

/** `casefile search … | head`: the reader went away; that is not an error. */
export function exitQuietlyOnEpipe(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}
