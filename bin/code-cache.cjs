// V8 code cache for the single-command CommonJS bundles of the CLI (dist-cli/fast/*.cjs).
//
// Why: a new `casefile search` process otherwise parses and compiles the search code (and lunr) from
// source every time, function by function as they first run; on a 100k case that was a large part of a
// cold search. Node ≥ 22.1 has module.enableCompileCache() for this (bin/casefile.cjs turns it on when
// present); Node 20 does not, so the build compiles each fast bundle once, eagerly (every function, not
// only the top level), and stores V8's cached data beside it (`<bundle>.v8cache`). Running, the bundle is
// compiled through vm.Script with that data.
//
// Never trusted blindly: V8 itself only checks the source's length, its version and flags. The cache
// file's header names the SHA-256 of the bundle it was made from and of its own payload, and the Node
// version and architecture; any difference (a rebuilt or edited bundle, a damaged or truncated cache, a
// different Node) and the bundle is compiled without it — slower, never stale. V8's own rejection
// (cachedDataRejected) also just means "compiled from source".
'use strict';
const { createHash } = require('node:crypto');
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');
const { Script } = require('node:vm');

const MAGIC = 'casefile-v8cache-1';
const sha256 = (data) => createHash('sha256').update(data).digest('hex');
/** Where a bundle's cache lives (written by the build, next to the bundle: never near a case or evidence). */
const cachePathOf = (bundle) => `${bundle}.v8cache`;

/** The CommonJS wrapper (as Node's own): the cache is only valid for exactly this compiled text. */
function compile(bundle, source, cachedData) {
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  return new Script(wrapped, { filename: bundle, cachedData });
}

/** The header this Node would write for `source`; a cache is used only when its header says the same. */
function identity(source) {
  return { magic: MAGIC, bundle: sha256(source), node: process.version, v8: process.versions.v8, arch: process.arch };
}

/** Compile `bundle` with every function compiled (not lazily) and write its cache; returns its size. */
function writeCodeCache(bundle) {
  const source = readFileSync(bundle, 'utf8');
  const { setFlagsFromString } = require('node:v8'); // here only: a run does not need it (≈4 ms to load)
  setFlagsFromString('--no-lazy');
  let script;
  try {
    script = compile(bundle, source);
  } finally {
    setFlagsFromString('--lazy'); // V8 hashes its flags into the cache: back to the flags a run has
  }
  const data = script.createCachedData();
  const header = Buffer.from(JSON.stringify({ ...identity(source), data: sha256(data) }) + '\n');
  const tmp = `${cachePathOf(bundle)}.tmp-${process.pid}`;
  writeFileSync(tmp, Buffer.concat([header, data]));
  renameSync(tmp, cachePathOf(bundle));
  return data.length;
}

/** The cache's payload when its header matches `source` and this Node, and the payload is intact; else why not. */
function readCache(bundle, source) {
  let file;
  try {
    file = readFileSync(cachePathOf(bundle));
  } catch {
    return { status: 'absent' };
  }
  const nl = file.indexOf(10);
  let header;
  try {
    header = JSON.parse(file.subarray(0, nl).toString('utf8'));
  } catch {
    return { status: 'damaged' };
  }
  const want = identity(source);
  for (const key of Object.keys(want)) if (header?.[key] !== want[key]) return { status: `mismatch (${key})` };
  const data = file.subarray(nl + 1);
  if (header.data !== sha256(data)) return { status: 'damaged' };
  return { status: 'used', data };
}

/**
 * Load a CommonJS bundle as require() would, with its code cache when valid. Returns its exports and
 * what became of the cache: used | rejected (by V8) | absent | damaged | mismatch (<what>).
 */
function loadCommonJs(file) {
  const bundle = path.resolve(file);
  const source = readFileSync(bundle, 'utf8');
  const cache = readCache(bundle, source);
  const script = compile(bundle, source, cache.data);
  const status = cache.data && script.cachedDataRejected ? 'rejected' : cache.status;
  const module = { exports: {}, filename: bundle, id: bundle, loaded: false };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
  module.loaded = true;
  if (process.env.CASEFILE_CODE_CACHE_LOG) process.stderr.write(`casefile: code cache ${status} (${path.basename(bundle)})\n`);
  return { exports: module.exports, cache: status };
}

module.exports = { cachePathOf, writeCodeCache, loadCommonJs };
