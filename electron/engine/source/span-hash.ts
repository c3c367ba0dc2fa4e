import { createHash, type Hash } from 'node:crypto';
import { openEvidence } from './positional-reader';

/** SHA-256 of a span's bytes and how many there were (fewer than asked only if the file ends early). */
export async function hashSpanBytes(path: string, offset: number, length: number): Promise<{ sha256: string; length: number }> {
  const hash = createHash('sha256');
  const read = await hashRange(path, hash, offset, length);
  return { sha256: hash.digest('hex'), length: read };
}

/** Feed `length` bytes at `pos` into `hash`; returns how many there were (fewer if the file ends). */
export async function hashRange(path: string, hash: Hash, pos: number, length: number): Promise<number> {
  if (length <= 0) return 0;
  const fd = await openEvidence(path);
  try {
    const chunk = Buffer.allocUnsafe(Math.min(length, 4 * 1024 * 1024));
    let done = 0;
    while (done < length) {
      const { bytesRead } = await fd.read(chunk, 0, Math.min(chunk.length, length - done), pos + done);
      if (bytesRead === 0) break;
      hash.update(chunk.subarray(0, bytesRead));
      done += bytesRead;
    }
    return done;
  } finally {
    await fd.close();
  }
}
