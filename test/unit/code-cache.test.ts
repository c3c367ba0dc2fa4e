import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Script } from 'node:vm';
import { describe, test } from 'node:test';
import { cachePathOf, loadCommonJs, writeCodeCache } from '../../bin/code-cache.cjs';
import { tempDir } from '../helpers/temp';

// bin/code-cache.cjs (issue 15 item 1): a fast bundle runs with V8's cached code only when the cache was
// made from exactly that bundle, by this Node, and is intact; otherwise it is compiled from its text.
describe('V8 code cache of the fast CLI bundles', () => {
  const dir = tempDir('casefile-code-cache-');
  const bundle = path.join(dir, 'cmd.cjs');
  // A function that runs only when called (lazily compiled without the eager cache) and a value to tell versions apart.
  const source = (word: string) => `exports.word = () => ${JSON.stringify(word)};\nexports.sum = (n) => { let s = 0; for (let i = 0; i < n; i++) s += i; return s; };\n`;
  const load = () => {
    const { exports, cache } = loadCommonJs(bundle);
    return { word: (exports.word as () => string)(), sum: (exports.sum as (n: number) => number)(10), cache };
  };

  test('a cache written for the bundle is used, and the bundle runs as from its text', () => {
    writeFileSync(bundle, source('alpha'));
    assert.equal(load().cache, 'absent');
    const bytes = writeCodeCache(bundle);
    assert.ok(bytes > 0);
    assert.deepEqual(load(), { word: 'alpha', sum: 45, cache: 'used' });
  });

  test('a bundle changed after its cache was made runs its new text (even at the same length, which V8 alone accepts)', () => {
    writeFileSync(bundle, source('alpha'));
    writeCodeCache(bundle);
    writeFileSync(bundle, source('omega')); // same length: V8's own check (length, version, flags) cannot tell
    assert.deepEqual(load(), { word: 'omega', sum: 45, cache: 'mismatch (bundle)' });
  });

  test('a damaged, truncated or foreign cache is never used', () => {
    writeFileSync(bundle, source('alpha'));
    writeCodeCache(bundle);
    const good = readFileSync(cachePathOf(bundle));
    const flipped = Buffer.from(good);
    flipped[flipped.length - 100]! ^= 0x40;
    writeFileSync(cachePathOf(bundle), flipped);
    assert.deepEqual(load(), { word: 'alpha', sum: 45, cache: 'damaged' });
    writeFileSync(cachePathOf(bundle), good.subarray(0, good.length - 10));
    assert.equal(load().cache, 'damaged');
    writeFileSync(cachePathOf(bundle), Buffer.from('not a cache at all'));
    assert.equal(load().cache, 'damaged');
    const nl = good.indexOf(10);
    const header = JSON.parse(good.subarray(0, nl).toString());
    writeFileSync(cachePathOf(bundle), Buffer.concat([Buffer.from(JSON.stringify({ ...header, node: 'v0.0.1' })), good.subarray(nl)]));
    assert.deepEqual(load(), { word: 'alpha', sum: 45, cache: 'mismatch (node)' });
    writeFileSync(cachePathOf(bundle), good);
    assert.equal(load().cache, 'used', 'the intact cache is used again');
  });

  test('the eager cache holds compiled functions, not only the top level', () => {
    writeFileSync(bundle, source('alpha'));
    const lazy = new Script(`(function (exports, require, module, __filename, __dirname) {${source('alpha')}\n})`).createCachedData().length;
    writeCodeCache(bundle);
    const file = readFileSync(cachePathOf(bundle));
    const eager = file.length - file.indexOf(10) - 1; // the payload after the header line
    assert.ok(eager > lazy, `eager cache ${eager} bytes > top-level-only ${lazy} bytes`);
  });
});
