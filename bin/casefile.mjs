#!/usr/bin/env node
// Runs the compiled CLI (dist-cli/, built by `npm install` / `npm run build:cli`) when it is up to date
// with the sources; otherwise the TypeScript sources through tsx, so `npx casefile` works right after
// a clone and never runs stale code. CASEFILE_CLI=source forces the sources; CASEFILE_CLI_DIST names
// another compiled folder (tests).
//
// A command with a single-command bundle (`search`: dist-cli/fast/search.cjs) runs that, compiled with
// V8's code cache (bin/code-cache.mjs): no ESM loader for the engine, no compiling it again per process.
import module from 'node:module';
import { freshBundle, freshFastBundle } from './cli-bundle.mjs';

// Node ≥ 22.1 (and Electron's Node) caches compiled modules itself (in the OS temp folder); Node 20 has not this.
module.enableCompileCache?.();

const source = process.env.CASEFILE_CLI === 'source';
const fast = !source && process.argv[2] ? freshFastBundle(process.argv[2]) : null;
const bundle = source || fast ? null : freshBundle();
if (fast) {
  const { loadCommonJs } = await import('./code-cache.mjs');
  process.exitCode = await loadCommonJs(fast).exports.run(process.argv.slice(3));
} else if (bundle) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../electron/engine/cli/entry.ts');
}
