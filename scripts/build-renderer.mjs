// Builds the React renderer into dist/renderer (index.html, app.js, styles.css) with esbuild.
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export async function buildRenderer(outDir = path.join(root, 'dist/renderer')) {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [path.join(root, 'renderer/main.tsx')],
    bundle: true,
    outfile: path.join(outDir, 'app.js'),
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    jsx: 'automatic',
    minify: true,
    sourcemap: false,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  for (const f of ['index.html', 'styles.css']) copyFileSync(path.join(root, 'renderer', f), path.join(outDir, f));
  copyFileSync(path.join(root, 'node_modules/pdfjs-dist/build/pdf.worker.min.mjs'), path.join(outDir, 'pdf.worker.mjs'));
  return outDir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildRenderer();
