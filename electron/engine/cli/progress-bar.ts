import type { IngestProgress } from '../../../shared/types';

const WIDTH = 30;

/** A one-line progress bar on a TTY (stderr); nothing when stderr is not a terminal. */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): ((p: IngestProgress) => void) & { done: () => void } {
  const draw = (p: IngestProgress) => {
    if (!stream.isTTY) return;
    const frac = p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : 0;
    const filled = Math.round(frac * WIDTH);
    const eta = p.etaSeconds == null ? '--' : `${Math.ceil(p.etaSeconds)}s`;
    const line = `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${(frac * 100).toFixed(1)}% ${mib(p.bytesDone)}/${mib(p.bytesTotal)} MiB ${p.messages} msgs ${p.messagesPerSecond.toFixed(0)} msg/s ${mib(p.bytesPerSecond)} MiB/s ETA ${eta}`;
    stream.write(`\r${line.slice(0, (stream.columns ?? 120) - 1)}`);
  };
  return Object.assign(draw, { done: () => stream.isTTY && stream.write('\n') });
}

function mib(n: number): string {
  return (n / (1024 * 1024)).toFixed(1);
}
