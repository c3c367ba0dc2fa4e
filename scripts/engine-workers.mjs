// The engine's worker threads. Each is started as new Worker('./<name>.js') next to the module that starts
// it (electron/engine/util/worker-entry.ts), so every bundle of the engine (the app's, the CLI's) must emit
// them as entry points of their own in its output folder.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const ENGINE_WORKERS = {
  'parse-worker': path.join(root, 'electron/engine/parse/parse-worker.ts'),
  'index-worker': path.join(root, 'electron/engine/search/index-worker.ts'),
  'index-structures-worker': path.join(root, 'electron/engine/search/index-structures-worker.ts'),
  'display-worker': path.join(root, 'electron/engine/api/display-worker.ts'),
  'search-worker': path.join(root, 'electron/engine/search/search-worker.ts'),
  'extract-worker': path.join(root, 'electron/engine/documents/extract-worker.ts'),
};
