// utilityProcess entry: turns on V8's compile cache (in the directory the main process gives, inside the
// app's userData) and only then loads the engine host proper (engine-host-core.ts, a bundle of its own:
// the cache can only serve code compiled after it is on). The same file also runs in a Node worker thread
// (the packed-layout test drives it that way, without Electron and without a cache).
import { enableCompileCache, flushCompileCache } from '../engine/util/compile-cache';

const cacheDir = (process as unknown as { parentPort?: unknown }).parentPort ? process.argv[3] : undefined;
if (cacheDir) enableCompileCache(cacheDir);
await import(new URL('./engine-host-core.js', import.meta.url).href);
if (cacheDir) flushCompileCache();
