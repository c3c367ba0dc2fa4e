// Compiles everything electron-builder packs into dist/: the main process, the engine host
// (utilityProcess) and its worker threads as ESM bundles, the sandboxed preload as one CommonJS file, and
// the renderer. Native better-sqlite3 stays external (electron-builder rebuilds it for Electron's ABI).
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { buildRenderer } from './build-renderer.mjs';
import { ENGINE_WORKERS } from './engine-workers.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function buildApp(outDir = path.join(root, 'dist')) {
  rmSync(outDir, { recursive: true, force: true });
  await build({
    entryPoints: {
      main: path.join(root, 'electron/main/main.ts'),
      'engine-host': path.join(root, 'electron/main/engine-host.ts'),
      'engine-host-core': path.join(root, 'electron/main/engine-host-core.ts'), // loaded by engine-host.js once the compile cache is on
      ...ENGINE_WORKERS, // started as files next to the bundle: see util/worker-entry.ts
    },
    outdir: path.join(outDir, 'main'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22', // Electron 38's Node
    external: ['electron', 'better-sqlite3'],
    // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
    banner: { js: "import { createRequire as __cfRequire } from 'node:module'; const require = __cfRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  await build({
    entryPoints: [path.join(root, 'electron/preload/preload.ts')],
    outfile: path.join(outDir, 'preload/preload.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs', // a sandboxed preload must be one CommonJS file requiring only "electron"
    target: 'node22',
    external: ['electron'],
    logLevel: 'warning',
  });
  await buildRenderer(path.join(outDir, 'renderer'));
  return outDir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildApp();
