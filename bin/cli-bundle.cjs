// Decides whether the compiled CLI (dist-cli/, scripts/build-cli.mjs) may run: only when every source file
// it was built from still has the size and mtime recorded at build time. Any edit, checkout, merge or
// deleted file makes it stale, and the CLI then runs the TypeScript sources instead (never old code).
// Costs one stat per source file (≈300: about 2 ms; a single-command bundle checks only its own ≈50).
// CommonJS, as the launcher (bin/casefile.cjs): no ESM loader before a fast command runs.
'use strict';
const { readFileSync, statSync } = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const root = path.resolve(__dirname, '..');
const defaultDir = () => process.env.CASEFILE_CLI_DIST || path.join(root, 'dist-cli');

function readManifest(dir) {
  try {
    return JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  } catch {
    return null; // not built (or being replaced)
  }
}

/** True when every file of `inputs` (paths relative to the checkout) still has the mtime and size `recorded`. */
function unchanged(recorded, inputs) {
  for (const rel of inputs) {
    const st = statSync(path.resolve(root, rel), { throwIfNoEntry: false });
    const [mtimeMs, size] = recorded[rel] ?? [];
    if (!st || st.mtimeMs !== mtimeMs || st.size !== size) return false;
  }
  return true;
}

/** URL of the compiled entry in `dir` when it is up to date with the sources, else null. */
function freshBundle(dir = defaultDir()) {
  const manifest = readManifest(dir);
  if (!manifest || !unchanged(manifest.inputs, Object.keys(manifest.inputs))) return null;
  return pathToFileURL(path.join(dir, 'casefile.js')).href;
}

/**
 * Path of the single-command CommonJS bundle for `command` (dist-cli/fast/<command>.cjs) when there is one
 * and every source file that went into it is unchanged, else null (then the whole CLI decides).
 */
function freshFastBundle(command, dir = defaultDir()) {
  const manifest = readManifest(dir);
  const fast = manifest && Object.hasOwn(manifest.fast ?? {}, command) ? manifest.fast[command] : null;
  if (!fast || !unchanged(manifest.inputs, fast.inputs)) return null;
  return path.join(dir, fast.file);
}

/** True when `dir` holds a build (fresh or not): a stale one is worth a note, a missing one is a fresh clone's normal state before `npm install`. */
function hasBuild(dir = defaultDir()) {
  return readManifest(dir) !== null;
}

module.exports = { freshBundle, freshFastBundle, hasBuild };
