import { Readable, type Transform } from 'node:stream';
import { openEvidence } from '../positional-reader';
import type { ArchiveInput } from './archive';

/** The bytes of an archive input as a stream (evidence opened read-only). */
export async function inputBytes(input: ArchiveInput): Promise<AsyncIterable<Buffer>> {
  if ('buffer' in input) return bytesOf(input.buffer);
  const handle = await openEvidence(input.path);
  return handle.createReadStream({ autoClose: true, highWaterMark: 1024 * 1024 });
}

/** Pipe bytes through a decompressor; errors on either side surface to the reader. */
export function through(source: AsyncIterable<Buffer>, transform: Transform): AsyncIterable<Buffer> {
  const input = Readable.from(source, { objectMode: false });
  input.on('error', (err) => transform.destroy(err));
  return input.pipe(transform);
}

/** Read the first `n` bytes (fewer at EOF) and return them with a stream that still yields every byte. */
export async function peek(source: AsyncIterable<Buffer>, n: number): Promise<{ head: Buffer; rest: AsyncIterable<Buffer> }> {
  const it = source[Symbol.asyncIterator]();
  const taken: Buffer[] = [];
  let have = 0;
  let ended = false;
  while (have < n) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    const chunk = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value);
    taken.push(chunk);
    have += chunk.length;
  }
  const all = Buffer.concat(taken);
  async function* rest(): AsyncGenerator<Buffer> {
    if (all.length > 0) yield all;
    if (ended) return;
    try {
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value);
      }
    } finally {
      await it.return?.();
    }
  }
  return { head: all.subarray(0, n), rest: rest() };
}

/** A buffer as a one-chunk byte stream. */
export async function* bytesOf(buf: Buffer): AsyncGenerator<Buffer> {
  yield buf;
}
