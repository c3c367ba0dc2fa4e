/**
 * Time stamps of the ingest's phases on stderr when CASEFILE_PHASES is set (profiling aid for issue 15:
 * where the time after the last message goes). Silent otherwise.
 */
const t0 = Date.now();

export function phase(name: string): void {
  if (!process.env.CASEFILE_PHASES) return;
  const mem = Math.round(process.memoryUsage().rss / 1048576);
  process.stderr.write(`[phase] ${((Date.now() - t0) / 1000).toFixed(2)} s ${name} (rss ${mem} MiB)\n`);
}
