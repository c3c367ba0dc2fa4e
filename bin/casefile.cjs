#!/usr/bin/env node
// The `casefile` command. Runs the compiled CLI (dist-cli/, built by `npm install` / `npm run build:cli`)
// when it is up to date with the sources; otherwise the TypeScript sources through tsx, so `npx casefile`
// works right after a clone and never runs stale code. CASEFILE_CLI=source forces the sources;
// CASEFILE_CLI_DIST names another compiled folder (tests).
//
// A command with a single-command bundle (dist-cli/fast/<command>.cjs: search, list, stats, thread, docs)
// runs that, compiled with V8's code cache (bin/code-cache.cjs): no ESM loader for the engine, no compiling
// it again per process. This file is CommonJS for the same reason: an ES module entry costs Node's ESM loader
// (≈10–15 ms of a cold search) before anything runs. bin/casefile.mjs is the same command for `node bin/casefile.mjs`.
'use strict';
const { freshBundle, freshFastBundle, hasBuild } = require('./cli-bundle.cjs');

// Node ≥ 22.1 (and Electron's Node) caches compiled modules itself (in the OS temp folder); Node 20 has not this.
require('node:module').enableCompileCache?.();

async function run() {
  const source = process.env.CASEFILE_CLI === 'source';
  const fast = !source && process.argv[2] ? freshFastBundle(process.argv[2]) : null;
  const bundle = source || fast ? null : freshBundle();
  if (fast) {
    process.exitCode = await require('./code-cache.cjs').loadCommonJs(fast).exports.run(process.argv.slice(3));
  } else if (bundle) {
    await import(bundle);
  } else {
    // Not an error (the sources give the same answers), but several times slower and ≈1 GB of memory at a
    // 1 GiB ingest: a stale build once went unnoticed through a whole benchmark session.
    if (!source && hasBuild()) process.stderr.write('casefile: dist-cli/ is older than the sources; running the TypeScript sources (slower). `npm run build:cli` rebuilds it.\n');
    const { register } = await import('tsx/esm/api');
    register();
    await import('../electron/engine/cli/entry.ts');
  }
}
// An ingest runs with glibc's malloc tuned where Node can give it that (malloc-tuning.cjs): ≈10 % less peak memory.
// `serve` too: the viewer ingests the evidence added from its page in its own process.
if (process.argv[2] === 'ingest' || process.argv[2] === 'serve') require('./malloc-tuning.cjs').execTuned();
run(); // a failure is an unhandled rejection: Node prints it and exits with 1, as from the ES module entry
