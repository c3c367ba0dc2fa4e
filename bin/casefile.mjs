#!/usr/bin/env node
// Runs the TypeScript CLI from source through tsx, so `npx casefile` works right after `npm install`.
import { register } from 'tsx/esm/api';

// `casefile search … | head`: the reader went away; that is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
register();
const { main } = await import('../electron/engine/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
