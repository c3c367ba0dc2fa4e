// The desktop engine host turns V8's compile cache on before loading the engine (electron/main/engine-host.ts).
// Node 20 (here) has no such API: nothing may happen. Node 22's API (Electron's) is imitated by its
// documented contract: enableCompileCache(dir) → {status, message?, directory?}, module.constants.compileCacheStatus.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import nodeModule from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import { enableCompileCache, flushCompileCache, type CompileCacheApi } from '../../electron/engine/util/compile-cache';
import { tempDir } from '../helpers/temp';

const STATUS = { FAILED: 0, ENABLED: 1, ALREADY_ENABLED: 2, DISABLED: 3 };

function fakeNode22(answer: (dir: string) => { status: number; message?: string; directory?: string }) {
  const calls: string[] = [];
  let flushed = 0;
  const api: CompileCacheApi = {
    enableCompileCache: (dir) => (calls.push(dir), answer(dir)),
    flushCompileCache: () => void flushed++,
    constants: { compileCacheStatus: STATUS },
  };
  return { api, calls, flushed: () => flushed };
}

test('on a Node without the API (Node 20) nothing is created and the reason is given', () => {
  const dir = path.join(tempDir('casefile-ccache-'), 'cache');
  const r = enableCompileCache(dir, {});
  assert.equal(r.enabled, false);
  assert.match(r.reason!, /22\.1/);
  assert.ok(!existsSync(dir));
  flushCompileCache({}); // a no-op, no throw
  if (!('enableCompileCache' in nodeModule)) assert.equal(enableCompileCache(dir).enabled, false); // this Node's own module API
});

test('with Node 22\'s API: the given directory is created and used; enabled and already-enabled both count', () => {
  const dir = path.join(tempDir('casefile-ccache-'), 'user-data', 'compile-cache');
  const ok = fakeNode22((d) => ({ status: STATUS.ENABLED, directory: d }));
  assert.deepEqual(enableCompileCache(dir, ok.api), { enabled: true, directory: dir });
  assert.deepEqual(ok.calls, [dir]);
  assert.ok(existsSync(dir));
  flushCompileCache(ok.api);
  assert.equal(ok.flushed(), 1);
  const again = fakeNode22(() => ({ status: STATUS.ALREADY_ENABLED, directory: dir }));
  assert.equal(enableCompileCache(dir, again.api).enabled, true);
});

test('a refusal, a failure or a relative directory leave the cache off, and never throw', () => {
  const dir = path.join(tempDir('casefile-ccache-'), 'cache');
  const failed = fakeNode22(() => ({ status: STATUS.FAILED, message: 'Cannot create cache directory: EACCES' }));
  assert.deepEqual(enableCompileCache(dir, failed.api), { enabled: false, reason: 'Cannot create cache directory: EACCES' });
  const disabled = fakeNode22(() => ({ status: STATUS.DISABLED, message: 'Disabled by NODE_DISABLE_COMPILE_CACHE' }));
  assert.equal(enableCompileCache(dir, disabled.api).enabled, false);
  const throwing = fakeNode22(() => {
    throw new Error('boom');
  });
  assert.deepEqual(enableCompileCache(dir, throwing.api), { enabled: false, reason: 'boom' });
  const relative = fakeNode22(() => ({ status: STATUS.ENABLED }));
  assert.equal(enableCompileCache('cache', relative.api).enabled, false);
  assert.deepEqual(relative.calls, [], 'a relative directory (beside whatever the working folder is) is never passed on');
  flushCompileCache({ flushCompileCache: () => { throw new Error('disk full'); } });
});
