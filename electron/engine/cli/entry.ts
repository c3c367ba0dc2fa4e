// The process entry of the `casefile` command (bin/casefile.mjs loads this, compiled or from source).
import { main } from './main';
import { exitQuietlyOnEpipe } from './run-command';

exitQuietlyOnEpipe();
process.exitCode = await main(process.argv.slice(2));
