import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Start a worker from a sibling module. From source (tests, CLI via tsx) the worker is the .ts file,
 * loaded through a small .mjs bootstrap that registers tsx; from a bundle (Electron build) it is the
 * compiled .js file next to the bundle.
 */
export function startWorker(moduleUrl: string, name: string, options: WorkerOptions = {}): Worker {
  if (!moduleUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, moduleUrl), options);
  const entry = new URL(`./${name}.ts`, moduleUrl).href;
  const boot = new URL('./ts-worker-boot.mjs', import.meta.url);
  return new Worker(boot, { ...options, workerData: { ...(options.workerData ?? {}), __tsWorkerEntry: entry } });
}
