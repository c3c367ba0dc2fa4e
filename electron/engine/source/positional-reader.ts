import { createHash, type Hash } from 'node:crypto';
import { promises as fs, constants } from 'node:fs';

/**
 * Read-only positional access to an evidence file through a sliding window.
 * The file is opened O_RDONLY (and O_NOATIME where the OS allows it), never written, never locked.
 * Memory is bounded: the window only grows to hold `minBytes` past a position, never the whole file.
 */
export class PositionalReader {
  private buf: Buffer = Buffer.alloc(0);
  private bufStart = 0;
  /** SHA-256 of the whole file, fed in file order as windows move forward (gaps are read and hashed). */
  private readonly hash: Hash = createHash('sha256');
  private hashedUpTo = 0;

  private constructor(
    /** null: the reader serves a buffer already in memory (an entry read out of an archive). */
    private readonly handle: fs.FileHandle | null,
    readonly size: number,
    private readonly chunkSize: number,
  ) {}

  /**
   * `expectedSize`: the size recorded when the source was registered. Only that many bytes are read
   * (bytes appended since are left for the next run); a file now shorter is refused.
   */
  static async open(path: string, chunkSize = 4 * 1024 * 1024, expectedSize?: number): Promise<PositionalReader> {
    const handle = await openEvidence(path);
    const { size } = await handle.stat();
    if (expectedSize !== undefined && size < expectedSize) {
      await handle.close();
      throw new EvidenceChangedError(`truncated since it was registered (${expectedSize} → ${size} bytes); not read`);
    }
    return new PositionalReader(handle, expectedSize ?? size, chunkSize);
  }

  /** The file's size and mtime now (to detect a change made while it was being read). */
  async currentStat(): Promise<{ size: number; mtimeMs: number }> {
    if (!this.handle) return { size: this.size, mtimeMs: 0 };
    const { size, mtimeMs } = await this.handle.stat();
    return { size, mtimeMs };
  }

  /** A reader over bytes already in memory: the whole buffer is the window. */
  static fromBuffer(bytes: Buffer): PositionalReader {
    const reader = new PositionalReader(null, bytes.length, bytes.length);
    reader.buf = bytes;
    return reader;
  }

  /**
   * Return a buffer whose index 0 is file position `base`, covering at least [pos, pos+minBytes)
   * (or up to EOF). `base` is <= pos - lookbehind where the file allows it.
   */
  async window(pos: number, minBytes: number, lookbehind = 0): Promise<{ buf: Buffer; base: number }> {
    const want = Math.min(this.size, pos + minBytes);
    const from = Math.max(0, pos - lookbehind);
    const bufEnd = this.bufStart + this.buf.length;
    if (from >= this.bufStart && want <= bufEnd) return { buf: this.buf, base: this.bufStart };
    const readLen = Math.min(this.size - from, Math.max(this.chunkSize, want - from));
    const next = Buffer.allocUnsafe(readLen);
    // Reuse the overlapping bytes we already have, read the rest.
    let filled = 0;
    if (from >= this.bufStart && from < bufEnd) {
      filled = this.buf.copy(next, 0, from - this.bufStart, Math.min(bufEnd - this.bufStart, from - this.bufStart + readLen));
    }
    while (filled < readLen && this.handle) {
      const { bytesRead } = await this.handle.read(next, filled, readLen - filled, from + filled);
      if (bytesRead === 0) throw truncatedAt(from + filled, this.size);
      filled += bytesRead;
    }
    this.buf = filled === readLen ? next : next.subarray(0, filled);
    this.bufStart = from;
    await this.hashThrough(this.bufStart, this.buf);
    return { buf: this.buf, base: this.bufStart };
  }

  private async hashThrough(start: number, buf: Buffer): Promise<void> {
    if (start > this.hashedUpTo) await this.hashGap(start);
    const end = start + buf.length;
    if (end > this.hashedUpTo && start <= this.hashedUpTo) {
      this.hash.update(buf.subarray(this.hashedUpTo - start));
      this.hashedUpTo = end;
    }
  }

  private async hashGap(until: number): Promise<void> {
    if (!this.handle) {
      this.hash.update(this.buf.subarray(this.hashedUpTo, until));
      this.hashedUpTo = until;
      return;
    }
    const chunk = Buffer.allocUnsafe(this.chunkSize);
    while (this.hashedUpTo < until) {
      const want = Math.min(chunk.length, until - this.hashedUpTo);
      const { bytesRead } = await this.handle.read(chunk, 0, want, this.hashedUpTo);
      if (bytesRead === 0) throw truncatedAt(this.hashedUpTo, this.size);
      this.hash.update(chunk.subarray(0, bytesRead));
      this.hashedUpTo += bytesRead;
    }
  }

  /** SHA-256 of the whole file (hashes whatever the windows did not cover). */
  async fileSha256(): Promise<string> {
    await this.hashGap(this.size);
    return this.hash.digest('hex');
  }

  async readAt(pos: number, length: number): Promise<Buffer> {
    if (!this.handle) return this.buf.subarray(pos, Math.min(this.size, pos + length));
    const out = Buffer.allocUnsafe(Math.max(0, Math.min(length, this.size - pos)));
    let filled = 0;
    while (filled < out.length) {
      const { bytesRead } = await this.handle.read(out, filled, out.length - filled, pos + filled);
      if (bytesRead === 0) throw truncatedAt(pos + filled, this.size);
      filled += bytesRead;
    }
    return out;
  }

  async close(): Promise<void> {
    await this.handle?.close();
  }
}

/** The evidence changed while (or since) it was being read: reported for that source, the others go on. */
export class EvidenceChangedError extends Error {
  override name = 'EvidenceChangedError';
}

function truncatedAt(pos: number, size: number): EvidenceChangedError {
  return new EvidenceChangedError(`truncated while being read (ended at byte ${pos} of ${size}); the messages before that point are kept`);
}

/**
 * Open flags for evidence, most preferred first: read-only without updating the access time (needs file
 * ownership, EPERM otherwise), then plain read-only.
 */
export function evidenceOpenFlags(): number[] {
  const noatime = (constants as Record<string, number>).O_NOATIME ?? 0;
  return noatime ? [constants.O_RDONLY | noatime, constants.O_RDONLY] : [constants.O_RDONLY];
}

/** Open an evidence file read-only; ask the OS not to update its access time where permitted. */
export async function openEvidence(path: string): Promise<fs.FileHandle> {
  const [preferred, ...fallbacks] = evidenceOpenFlags();
  try {
    return await fs.open(path, preferred);
  } catch (err) {
    if (fallbacks.length === 0) throw err;
    return fs.open(path, fallbacks[0]);
  }
}

/** The first `n` bytes of an evidence file (fewer when it is shorter), read without altering it. */
export async function readEvidenceHead(path: string, n: number): Promise<Buffer> {
  const handle = await openEvidence(path);
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await handle.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
