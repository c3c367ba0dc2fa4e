// Decides whether the compiled CLI (dist-cli/, scripts/build-cli.mjs) may run: only when every source file
// it was built from still has the size and mtime recorded at build time. Any edit, checkout, merge or
// deleted file makes it stale, and the CLI then runs the TypeScript sources instead (never old code).
// Costs one stat per source file (≈300: about 2 ms).
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** URL of the compiled entry in `dir` when it is up to date with the sources, else null. */
export function freshBundle(dir = process.env.CASEFILE_CLI_DIST || path.join(root, 'dist-cli')) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  } catch {
    return null; // not built (or being replaced)
  }
  for (const [rel, [mtimeMs, size]] of Object.entries(manifest.inputs)) {
    const st = statSync(path.resolve(root, rel), { throwIfNoEntry: false });
    if (!st || st.mtimeMs !== mtimeMs || st.size !== size) return null;
  }
  return pathToFileURL(path.join(dir, 'casefile.js')).href;
}
