// The process entry of the `casefile` command (bin/casefile.mjs loads this, compiled or from source).
import { main } from './main';

// `casefile search … | head`: the reader went away; that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
process.exitCode = await main(process.argv.slice(2));
