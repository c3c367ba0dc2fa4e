#!/usr/bin/env node
// Runs the compiled CLI (dist-cli/, built by `npm install` / `npm run build:cli`) when it is up to date
// with the sources; otherwise the TypeScript sources through tsx, so `npx casefile` works right after
// a clone and never runs stale code. CASEFILE_CLI=source forces the sources; CASEFILE_CLI_DIST names
// another compiled folder (tests).
import { freshBundle } from './cli-bundle.mjs';

const bundle = process.env.CASEFILE_CLI === 'source' ? null : freshBundle();
if (bundle) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../electron/engine/cli/entry.ts');
}
