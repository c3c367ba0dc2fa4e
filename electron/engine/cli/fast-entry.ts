// What the single-command bundles dist-cli/fast/<command>.cjs run (scripts/fast-bundle.mjs writes each one's
// entry: this plus one command, without the rest of the CLI). bin/casefile.cjs compiles such a bundle with
// V8's code cache (bin/code-cache.cjs), so a new process does not parse and compile the command's code again.
import type { Command } from './command';
import { exitQuietlyOnEpipe, runCommand } from './run-command';

export function runSingle(name: string, command: Command, args: string[]): Promise<number> {
  exitQuietlyOnEpipe();
  return runCommand(name, command, args);
}
