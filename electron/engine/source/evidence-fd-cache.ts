import { closeSync, openSync, readSync } from 'node:fs';
import { evidenceOpenFlags } from './positional-reader';

/**
 * Synchronous, read-only positional reads for parse workers. Reading from the page cache synchronously
 * inside a worker is cheaper than three thread-pool round trips (open, read, close) per message.
 * Keeps a few descriptors open (an mbox is read message after message from the same file).
 */
export class EvidenceFdCache {
  private readonly fds = new Map<string, number>();

  constructor(private readonly max = 8) {}

  read(path: string, offset: number, length: number): Buffer {
    const fd = this.fd(path);
    const buf = Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      const n = readSync(fd, buf, filled, length - filled, offset + filled);
      if (n === 0) break;
      filled += n;
    }
    return buf.subarray(0, filled);
  }

  closeAll(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }

  private fd(path: string): number {
    const hit = this.fds.get(path);
    if (hit !== undefined) {
      // Refresh LRU position.
      this.fds.delete(path);
      this.fds.set(path, hit);
      return hit;
    }
    if (this.fds.size >= this.max) {
      const [oldPath, oldFd] = this.fds.entries().next().value as [string, number];
      closeSync(oldFd);
      this.fds.delete(oldPath);
    }
    const fd = openReadOnlySync(path);
    this.fds.set(path, fd);
    return fd;
  }
}

/** Open an evidence file read-only (no atime update where permitted), as a plain descriptor. `extra`: more open flags. */
export function openReadOnlySync(path: string, extra = 0): number {
  const [preferred, ...fallbacks] = evidenceOpenFlags();
  try {
    return openSync(path, preferred! | extra);
  } catch (err) {
    if (fallbacks.length === 0) throw err;
    return openSync(path, fallbacks[0]! | extra);
  }
}
