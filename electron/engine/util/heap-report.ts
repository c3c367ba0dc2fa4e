import { writeHeapSnapshot } from 'node:v8';
import { resourceLimits, threadId } from 'node:worker_threads';

/**
 * Memory profiling aid (issue 15 item 3): with `CASEFILE_PHASES=mem`, a worker thread prints its heap limits
 * once, then its own heap on stderr every few seconds when it reached a new high (`process.memoryUsage()` in
 * a worker measures that worker's V8 heap; RSS is the whole process's). Silent otherwise. The timer never
 * keeps the thread alive.
 * With `CASEFILE_HEAP_SNAPSHOT=<dir>` as well, each worker writes one heap snapshot of itself
 * `CASEFILE_HEAP_SNAPSHOT_AFTER` seconds after it started (default 30).
 */
export function reportHeap(name: string): void {
  if (process.env.CASEFILE_PHASES !== 'mem') return;
  // Once, at start: the limits this thread's heap was given (worker-heap.ts and each pool's own).
  process.stderr.write(`[heap] ${name}#${threadId} limits: young generation ${resourceLimits.maxYoungGenerationSizeMb} MiB, old generation ${resourceLimits.maxOldGenerationSizeMb} MiB\n`);
  let high = 0;
  const dir = process.env.CASEFILE_HEAP_SNAPSHOT;
  if (dir) setTimeout(() => writeHeapSnapshot(`${dir}/${name}-${threadId}.heapsnapshot`), Number(process.env.CASEFILE_HEAP_SNAPSHOT_AFTER ?? 30) * 1000).unref();
  setInterval(() => {
    const m = process.memoryUsage();
    const total = m.heapTotal + m.external;
    if (total <= high) return;
    high = total;
    process.stderr.write(`[heap] ${name}#${threadId} ${heapFigures(m)} (rss ${mib(m.rss)})\n`);
  }, 2000).unref();
}

/** "heap used/total MiB, external …, array buffers …" of this thread (also the phase log's, phase-log.ts). */
export function heapFigures(m: NodeJS.MemoryUsage = process.memoryUsage()): string {
  return `heap ${mib(m.heapUsed)}/${mib(m.heapTotal)} MiB, external ${mib(m.external)} MiB, array buffers ${mib(m.arrayBuffers)} MiB`;
}

const mib = (n: number) => Math.round(n / 1048576);
