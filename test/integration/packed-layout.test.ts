import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { before, describe, test } from 'node:test';
import { generateMbox } from '../fixtures/archive-generator';
import { REPO } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';
// @ts-expect-error plain ESM build script without types
import { buildApp } from '../../scripts/build.mjs';

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8'));
// electron-builder's own loader and schema validation (both offline), from its packages.
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config');
const { DebugLogger } = require('builder-util/out/DebugLogger');

/** Imports of a bundle: what it will need at run time beside itself. */
function importsOf(file: string): string[] {
  const code = readFileSync(file, 'utf8');
  const found = [...code.matchAll(/\brequire\("([^"\s]+)"\)|^\s*(?:import|export)\b[^;'"]*?\bfrom\s*"([^"\s]+)"|\bimport\("([^"\s]+)"\)/gm)].map((m) => m[1] ?? m[2] ?? m[3]!).filter((m) => !m.includes('${')); // a template inside a library's code is not an import
  return [...new Set(found)].sort();
}
const builtin = (m: string) => m.startsWith('node:') || require('node:module').builtinModules.includes(m);

describe('packed app layout (what electron-builder packs), checked without Electron', () => {
  const dist = path.join(REPO, 'dist');

  before(async () => {
    await buildApp(dist);
  });

  test('package.json main, the preload, the engine host, its workers and the renderer exist where the code looks for them', () => {
    assert.equal(pkg.main, 'dist/main/main.js');
    for (const f of ['main/main.js', 'main/engine-host.js', 'main/engine-host-core.js', 'main/parse-worker.js', 'main/index-worker.js', 'main/index-structures-worker.js', 'main/display-worker.js', 'main/search-worker.js', 'preload/preload.cjs', 'renderer/index.html', 'renderer/app.js', 'renderer/styles.css']) {
      assert.ok(existsSync(path.join(dist, f)), `dist/${f}`);
    }
    const main = readFileSync(path.join(dist, 'main/main.js'), 'utf8');
    assert.match(main, /"\.\.\/preload\/preload\.cjs"/);
    assert.match(main, /"engine-host\.js"/);
    assert.match(main, /"\.\.\/renderer"/);
    assert.ok(existsSync(path.join(REPO, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node')), 'native SQLite addon');
  });

  test('bundles depend only on Node built-ins, electron (main/preload) and the native better-sqlite3', () => {
    assert.deepEqual(importsOf(path.join(dist, 'preload/preload.cjs')), ['electron']);
    assert.deepEqual(importsOf(path.join(dist, 'main/main.js')).filter((m) => !builtin(m)), ['electron']);
    assert.deepEqual(importsOf(path.join(dist, 'main/engine-host.js')).filter((m) => !builtin(m)), []); // turns the compile cache on, then loads the core
    assert.deepEqual(importsOf(path.join(dist, 'main/engine-host-core.js')).filter((m) => !builtin(m)), ['better-sqlite3']);
    for (const w of ['index-worker.js', 'display-worker.js']) assert.deepEqual(importsOf(path.join(dist, 'main', w)).filter((m) => !builtin(m)), [], w);
    // The search worker, and the parse worker (is an attachment's text already in the case? extract-client.ts),
    // open their own read-only SQLite connection: the native addon, unpacked like the host's.
    for (const w of ['search-worker.js', 'parse-worker.js']) assert.deepEqual(importsOf(path.join(dist, 'main', w)).filter((m) => !builtin(m)), ['better-sqlite3'], w);
  });

  test('the bundled engine host runs on plain Node: ingest through its worker bundles, then search', async () => {
    const ev = tempDir('casefile-packed-ev-');
    const archive = path.join(ev, 'a.mbox');
    await generateMbox(archive, 400 * 1024, 5);
    const caseDir = path.join(tempDir('casefile-packed-case-'), 'case');
    const worker = new Worker(new URL(`file://${path.join(dist, 'main/engine-host.js')}`), { workerData: { caseDir } });
    let next = 1;
    const waiting = new Map<number, (m: any) => void>();
    worker.on('message', (m: any) => waiting.get(m.id)?.(m));
    const call = (method: string, args: unknown) =>
      new Promise<any>((resolve, reject) => {
        const id = next++;
        waiting.set(id, (m) => (m.error ? reject(new Error(m.error.message)) : resolve(m.result)));
        worker.postMessage({ id, method, args });
      });
    try {
      await call('startIngest', { inputs: [archive] });
      let status;
      for (let i = 0; i < 600; i++) {
        status = await call('ingestStatus', {});
        if (status.state !== 'running') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(status.state, 'finished', JSON.stringify(status));
      assert.ok(status.summary.messages > 10 && status.summary.errors === 0, JSON.stringify(status.summary));
      const stats = await call('stats', {});
      assert.equal(stats.messages, status.summary.messages);
      const hits = await call('search', { query: 'campagne OR campaign', limit: 5, offset: 0 });
      assert.ok(hits.total > 0);
    } finally {
      await worker.terminate();
    }
  });

  test('electron-builder configuration: valid for its own schema, offline; targets, fuses, asar, no publishing', async () => {
    const builderConfig = await getConfig(REPO, null, null);
    await validateConfiguration(builderConfig, new DebugLogger(false));
    assert.equal(builderConfig.asar, true);
    assert.equal(builderConfig.publish, null);
    assert.deepEqual(builderConfig.electronFuses, {
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
    const targets = (list: any[]) => list.map((t) => (typeof t === 'string' ? t : t.target)).sort();
    assert.deepEqual(targets(builderConfig.linux.target), ['AppImage', 'deb']);
    assert.deepEqual(targets(builderConfig.win.target), ['nsis', 'portable']);
    assert.deepEqual(targets(builderConfig.mac.target), ['dmg']);
    assert.deepEqual(builderConfig.fileAssociations.map((f: any) => f.ext).sort(), ['eml', 'mbox']);
    for (const p of ['dist/main/engine-host.js', 'dist/main/engine-host-core.js', 'dist/main/parse-worker.js', 'dist/main/index-worker.js', 'dist/main/display-worker.js', 'dist/main/search-worker.js', 'node_modules/better-sqlite3/**']) {
      assert.ok(builderConfig.asarUnpack.includes(p), `asarUnpack ${p}`);
    }
    assert.equal(builderConfig.npmRebuild, true);
    assert.ok(existsSync(path.join(REPO, builderConfig.directories.buildResources, 'icon.png')));
    assert.ok(!JSON.stringify(builderConfig).match(/autoUpdate|publish":\s*\{/));
  });
});
