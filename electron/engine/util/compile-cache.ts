import { mkdirSync } from 'node:fs';
import nodeModule from 'node:module';
import path from 'node:path';

/**
 * V8's compile cache for a long-lived host (the desktop app's engine process): Node ≥ 22.1 (Electron 38
 * ships Node 22) can keep the compiled code of every module it loads in a directory and reuse it next
 * time, so opening a case does not compile the whole engine bundle again. Node checks each entry against
 * the module's source hash and its own version and flags: a stale or damaged entry is recompiled, never
 * run. The directory must be the app's own (its userData), never beside a case or evidence. On a Node
 * without the API (Node 20: the CLI, the tests) nothing happens. Never throws: the cache is only an
 * accelerator.
 */
export interface CompileCacheApi {
  enableCompileCache?: (dir: string) => { status: number; message?: string; directory?: string };
  flushCompileCache?: () => void;
  constants?: { compileCacheStatus?: { ENABLED?: number; ALREADY_ENABLED?: number } };
}

export interface CompileCacheResult {
  enabled: boolean;
  directory?: string;
  /** Why not, when not enabled. */
  reason?: string;
}

const nodeApi = nodeModule as unknown as CompileCacheApi;

export function enableCompileCache(dir: string, api: CompileCacheApi = nodeApi): CompileCacheResult {
  if (typeof api.enableCompileCache !== 'function') return { enabled: false, reason: 'this Node has no compile cache (needs ≥ 22.1)' };
  if (!path.isAbsolute(dir)) return { enabled: false, reason: `not an absolute directory: ${dir}` };
  try {
    mkdirSync(dir, { recursive: true });
    const result = api.enableCompileCache(dir);
    const status = api.constants?.compileCacheStatus ?? {};
    if (result.status === status.ENABLED || result.status === status.ALREADY_ENABLED) return { enabled: true, directory: result.directory ?? dir };
    return { enabled: false, reason: result.message ?? `status ${result.status}` };
  } catch (err) {
    return { enabled: false, reason: (err as Error).message };
  }
}

/** Write what was compiled so far now (Node writes it at a clean exit; the engine process is killed when a case closes). */
export function flushCompileCache(api: CompileCacheApi = nodeApi): void {
  try {
    api.flushCompileCache?.();
  } catch {
    /* only an accelerator */
  }
}
