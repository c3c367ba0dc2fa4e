import { readFileSync } from 'node:fs';
import { writeHeapSnapshot } from 'node:v8';
import { heapFigures } from '../util/heap-report';

/**
 * Time stamps of the ingest's phases on stderr when CASEFILE_PHASES is set (profiling aid for issue 15:
 * where the time after the last message goes), with the CPU time used so far by the main thread and by the
 * whole process (all threads): CPU, unlike wall time, stays comparable on a machine others are loading.
 * Silent otherwise. `CASEFILE_PHASES=mem` adds the main thread's heap, external and ArrayBuffer memory
 * (RSS minus those is the workers, SQLite and the allocator); `CASEFILE_HEAP_SNAPSHOT=<dir>` writes a
 * heap snapshot of the main thread at each phase named in `CASEFILE_HEAP_SNAPSHOT_AT` (comma-separated;
 * default "split done,facets refreshed"). Memory profiling aids for issue 15 item 3.
 */
const t0 = Date.now();

export function phase(name: string): void {
  if (!process.env.CASEFILE_PHASES) return;
  const mem = Math.round(process.memoryUsage().rss / 1048576);
  const all = process.cpuUsage();
  const main = mainThreadCpuSeconds();
  const cpu = `cpu: main ${main === null ? '?' : main.toFixed(1)} s, all threads ${((all.user + all.system) / 1e6).toFixed(1)} s`;
  const malloc = name === 'start' ? `; malloc mmap threshold ${process.env.MALLOC_MMAP_THRESHOLD_ ?? "glibc's default"}` : '';
  process.stderr.write(`[phase] ${((Date.now() - t0) / 1000).toFixed(2)} s ${name} (rss ${mem} MiB, ${cpu}${memoryDetail()}${malloc})\n`);
  heapSnapshotAt(name);
}

function memoryDetail(): string {
  if (process.env.CASEFILE_PHASES !== 'mem') return '';
  return `; main ${heapFigures()}`;
}

function heapSnapshotAt(name: string): void {
  const dir = process.env.CASEFILE_HEAP_SNAPSHOT;
  if (!dir) return;
  const at = (process.env.CASEFILE_HEAP_SNAPSHOT_AT ?? 'split done,facets refreshed').split(',');
  if (at.includes(name)) process.stderr.write(`[phase] heap snapshot ${writeHeapSnapshot(`${dir}/${name.replace(/\W+/g, '-')}.heapsnapshot`)}\n`);
}

/** User + system CPU of the main thread (Linux: /proc, in clock ticks of 1/100 s); null elsewhere. */
function mainThreadCpuSeconds(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}
