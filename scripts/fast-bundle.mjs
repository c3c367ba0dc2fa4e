// The single-command CommonJS bundles of the CLI (dist-cli/fast/<command>.cjs; see build-cli.mjs and
// bin/code-cache.cjs). Unlike the ESM build, the pure-JavaScript packages a fast command runs are compiled
// in, so V8's code cache covers them too and Node does not resolve and compile them per process: lunr,
// lunr-languages and better-sqlite3's JavaScript (its native addon is still loaded from node_modules).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));

/**
 * Commands that also get a single-command bundle with a code cache: the read-only ones a script calls once
 * per question or per message. (`show` uses import.meta, to start the display worker: see buildFast.)
 */
export const FAST_COMMANDS = ['search', 'list', 'stats', 'thread', 'docs'];
/** Packages that read no files of their own at run time (better-sqlite3 only its addon, see below). */
const BUNDLED = new Set(['lunr', 'lunr-languages', 'better-sqlite3']);

const packageOf = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

const externals = {
  name: 'fast-externals',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (BUNDLED.has(packageOf(args.path)) ? undefined : { path: args.path, external: true }));
  },
};

/**
 * better-sqlite3 finds its addon with the `bindings` package, which works out the package's folder from a
 * stack trace and then tries up to 13 paths. The bundle asks for the file `bindings` finds at build time
 * (relative to the bundle, so the checkout may move), and falls back to `bindings` itself, told the
 * package's folder, if that file is gone (an addon rebuilt elsewhere in the package).
 */
function addonShim(bundleFile) {
  const sqliteRoot = path.dirname(require.resolve('better-sqlite3/package.json'));
  const addon = createRequire(path.join(sqliteRoot, 'package.json'))('bindings')({ bindings: 'better_sqlite3.node', module_root: sqliteRoot, path: true });
  const from = (to) => JSON.stringify(path.relative(path.dirname(bundleFile), to));
  return {
    name: 'fast-addon',
    setup(b) {
      b.onResolve({ filter: /^bindings$/ }, (args) => (args.importer.includes(`${path.sep}better-sqlite3${path.sep}`) ? { path: 'bindings', namespace: 'fast-addon' } : undefined));
      b.onLoad({ filter: /.*/, namespace: 'fast-addon' }, () => ({
        loader: 'js',
        contents: `const path = require('node:path');
module.exports = (name) => {
  try {
    return require(path.join(__dirname, ${from(addon)}));
  } catch (err) {
    if (err.code !== 'MODULE_NOT_FOUND') throw err;
  }
  return require('bindings')({ bindings: name, module_root: path.join(__dirname, ${from(sqliteRoot)}) });
};`,
      }));
    },
  };
}

/**
 * Build the fast bundle of `command` (cli/commands/<command>.ts, exporting <command>Command) at `file`;
 * returns the source files that went in, or null when the command's code cannot run as CommonJS (it uses
 * import.meta, e.g. to start a worker): that command then runs from the ESM build, as every other does.
 */
export async function buildFast(file, command) {
  const entry = `electron/engine/cli/commands/${command}.ts`;
  const result = await build({
    stdin: {
      contents: `import { ${command}Command } from './commands/${command}';
import { runSingle } from './fast-entry';
export const run = (args: string[]) => runSingle(${JSON.stringify(command)}, ${command}Command, args);`,
      resolveDir: path.join(root, 'electron/engine/cli'),
      sourcefile: `fast-${command}.ts`,
      loader: 'ts',
    },
    outfile: file,
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    metafile: true,
    plugins: [addonShim(file), externals],
    logLevel: 'silent',
  });
  const importMeta = result.warnings.find((w) => w.id === 'empty-import-meta');
  if (importMeta) {
    process.stderr.write(`casefile CLI: no single-command bundle for ${entry}: ${importMeta.location?.file} uses import.meta\n`);
    return null;
  }
  return Object.keys(result.metafile.inputs).filter((rel) => !rel.startsWith('fast-addon:') && rel !== `electron/engine/cli/fast-${command}.ts`);
}
