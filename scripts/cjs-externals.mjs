// esbuild plugin for the compiled CLI: npm packages that are CommonJS are loaded with require(), not import.
//
// Why: Node's ESM loader, asked to import a CommonJS file, first runs cjs-module-lexer over its source to
// find its named exports, then loads it through the CommonJS loader anyway. For `casefile search` that was
// lunr, lunr-languages and better-sqlite3's nine files: ≈30–60 ms of a ≈300 ms cold search in profiles,
// for nothing (the CLI never uses the lexer's result beyond `default`). require() loads the very same file
// (only packages whose "import" and "require" entry points are the same file qualify), so behaviour does not
// change; the package stays external (resolved from node_modules at run time, as before).
import { readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';

const NAMESPACE = 'cjs-external';
/** Each output file gets a require() of its own (ESM has none); esbuild's CommonJS interop calls it. */
export const CJS_REQUIRE_BANNER = "import { createRequire as __cfCreateRequire } from 'node:module'; const __cfRequire = __cfCreateRequire(import.meta.url);";

/** The package.json nearest above `file` (the one that says whether a .js file is CommonJS). */
function nearestPackageJson(file) {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    try {
      return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    } catch {
      if (path.dirname(dir) === dir) return {};
    }
  }
}

/** True when no "import" condition in an exports map can lead somewhere "require" would not. */
function sameForImportAndRequire(exports) {
  if (exports === null || typeof exports !== 'object') return true;
  if ('import' in exports && JSON.stringify(exports.import) !== JSON.stringify(exports.require ?? exports.default)) return false;
  return Object.values(exports).every(sameForImportAndRequire);
}

export const cjsExternals = {
  name: 'cjs-externals',
  setup(b) {
    b.onResolve({ filter: /^(@[^/]+\/)?[^./@:][^/:]*(\/.*)?$/ }, (args) => {
      if (args.kind !== 'import-statement' && args.kind !== 'dynamic-import') return undefined;
      const name = args.path.split('/').slice(0, args.path.startsWith('@') ? 2 : 1).join('/');
      if (builtinModules.includes(name)) return undefined;
      let file;
      let pkg;
      try {
        const req = createRequire(path.join(args.resolveDir, 'x.js'));
        file = req.resolve(args.path);
        pkg = JSON.parse(readFileSync(req.resolve(`${name}/package.json`), 'utf8'));
      } catch {
        return undefined; // no package.json export, a native addon path, …: imported as before
      }
      const cjs = file.endsWith('.cjs') || (file.endsWith('.js') && nearestPackageJson(file).type !== 'module');
      if (!cjs || !sameForImportAndRequire(pkg.exports)) return undefined;
      // The specifier as require() resolves it from dist-cli (a deep import without extension resolves too).
      return { path: args.path, namespace: NAMESPACE };
    });
    b.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
      contents: `module.exports = __cfRequire(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};
