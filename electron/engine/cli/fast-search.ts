// Entry of the single-command bundle dist-cli/fast/search.cjs (scripts/build-cli.mjs): `casefile search`
// without the rest of the CLI, as one CommonJS script that bin/casefile.mjs compiles with V8's code cache
// (bin/code-cache.mjs), so a new process does not parse and compile the search code again.
import { searchCommand } from './commands/search';
import { exitQuietlyOnEpipe, runCommand } from './run-command';

export function run(args: string[]): Promise<number> {
  exitQuietlyOnEpipe();
  return runCommand('search', searchCommand, args);
}
