// Compiles the `casefile` CLI to JavaScript (dist-cli/), so bin/casefile.cjs starts without compiling
// TypeScript on every run. Run by `npm install` (the "prepare" script) and by `npm run build:cli`.
//
// - Only Casefile's own code is bundled; npm packages stay external (loaded from node_modules as when
//   running from source), so the bundle behaves exactly like the sources and finds their files (7z-wasm's
//   .wasm, pdf.js, tesseract data) where it always did. CommonJS packages are loaded with require()
//   (cjs-externals.mjs: skips the ESM loader's lexing of their source at every start).
// - Code splitting: each command is a chunk of its own, loaded when it runs (cli/commands.ts), so
//   `casefile search` never loads the parser or the HTTP server.
// - The engine's workers are entry points next to the chunks (util/worker-entry.ts starts './<name>.js').
// - manifest.json records the size and mtime of every source file that went in: bin/cli-bundle.cjs runs
//   the bundle only while they all still match, and the TypeScript sources through tsx otherwise.
// - Fast commands (`search`, `list`, `stats`, `thread`, `docs`): also one CommonJS script each (dist-cli/fast/<command>.cjs) holding only that
//   command, its engine code and the pure-JavaScript packages it runs (lunr), plus V8's code cache for it
//   (bin/code-cache.cjs): bin/casefile.cjs runs it without the ESM loader and without compiling it again.
import { createRequire } from 'node:module';
import { renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { ENGINE_WORKERS } from './engine-workers.mjs';
import { CJS_REQUIRE_BANNER, cjsExternals } from './cjs-externals.mjs';
import { writeCodeCache } from '../bin/code-cache.cjs';
import { buildFast, FAST_COMMANDS } from './fast-bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_DIST = path.join(root, 'dist-cli');

/**
 * `mailauth/lib/arc`, `pst-extractor/dist/PSTUtil.class`: deep imports without an extension into
 * packages that have no "exports" map work through tsx but not in Node's ESM loader. Keep them external,
 * spelled as the file they resolve to (`mailauth/lib/arc.js`).
 */
const exactSubpaths = {
  name: 'exact-subpaths',
  setup(b) {
    b.onResolve({ filter: /^(@[^/]+\/)?[^./@][^/]*\/.+/ }, (args) => {
      if (/\.(c|m)?js$|\.json$/.test(args.path)) return undefined;
      const name = args.path.split('/').slice(0, args.path.startsWith('@') ? 2 : 1).join('/');
      let file;
      try {
        file = createRequire(path.join(args.resolveDir, 'x.js')).resolve(args.path);
      } catch {
        return undefined; // let esbuild report it
      }
      const marker = `${path.sep}node_modules${path.sep}${name.split('/').join(path.sep)}${path.sep}`;
      const at = file.lastIndexOf(marker);
      if (at < 0) return undefined;
      return { path: `${name}/${file.slice(at + marker.length).split(path.sep).join('/')}`, external: true };
    });
  },
};

export async function buildCli(outDir = CLI_DIST) {
  const tmp = `${outDir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const started = Date.now();
  const result = await build({
    entryPoints: { casefile: path.join(root, 'electron/engine/cli/entry.ts'), ...ENGINE_WORKERS },
    outdir: tmp,
    absWorkingDir: root, // the manifest's paths are relative to the checkout
    bundle: true,
    splitting: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    metafile: true,
    plugins: [cjsExternals, exactSubpaths],
    banner: { js: CJS_REQUIRE_BANNER },
    logLevel: 'warning',
  });
  const fast = {};
  for (const command of FAST_COMMANDS) {
    const inputs = await buildFast(path.join(tmp, 'fast', `${command}.cjs`), command);
    if (inputs) fast[command] = { file: `fast/${command}.cjs`, inputs };
  }
  // Stat after building: a file edited during the build then differs from the record, so counts as stale.
  const inputs = {};
  for (const rel of [...Object.keys(result.metafile.inputs), ...Object.values(fast).flatMap((f) => f.inputs)]) {
    if (rel.startsWith('cjs-external:')) continue; // a require() of a package (cjs-externals.mjs), not a source file
    const st = statSync(path.resolve(root, rel));
    inputs[rel] = [st.mtimeMs, st.size];
  }
  writeFileSync(path.join(tmp, 'manifest.json'), JSON.stringify({ builtAt: new Date().toISOString(), inputs, fast }));
  rmSync(outDir, { recursive: true, force: true });
  renameSync(tmp, outDir);
  // After the move: V8 keeps the file name it compiled under (stack traces) in the cache.
  for (const f of Object.values(fast)) {
    try {
      writeCodeCache(path.join(outDir, f.file));
    } catch (err) {
      process.stderr.write(`casefile CLI: no code cache for ${f.file} (it compiles at each start): ${err?.message ?? err}\n`); // optional
    }
  }
  return { outDir, files: Object.keys(inputs).length, ms: Date.now() - started };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const { outDir, files, ms } = await buildCli(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
    process.stderr.write(`casefile CLI compiled: ${files} source files → ${path.relative(process.cwd(), outDir) || outDir} (${ms} ms)\n`);
  } catch (err) {
    // Never fail `npm install` for this: without a bundle the CLI runs from source (slower start).
    process.stderr.write(`casefile CLI not compiled (it will run from source through tsx): ${err?.message ?? err}\n`);
  }
}
