// Bootstraps a TypeScript worker when running from source: registers tsx in this worker, then loads
// the real worker module. (On Node 20, `--import tsx` in a worker's execArgv is not reliably applied.)
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.__tsWorkerEntry);
