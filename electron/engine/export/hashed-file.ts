import { createHash, type Hash } from 'node:crypto';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

export interface WrittenFile {
  /** Relative to the export root, with forward slashes. */
  path: string;
  bytes: number;
  sha256: string;
}

/**
 * A new file in an export, hashed as it is written and flushed to disk when closed. Created with "wx":
 * never overwrites (the export folder is new, so a clash means a bug in naming, which must not pass).
 */
export class HashedFile {
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;

  private constructor(
    private readonly fh: FileHandle,
    readonly rel: string,
  ) {}

  static async create(root: string, rel: string): Promise<HashedFile> {
    const abs = path.join(root, ...rel.split('/'));
    await mkdir(path.dirname(abs), { recursive: true });
    return new HashedFile(await open(abs, 'wx'), rel);
  }

  get position(): number {
    return this.bytes;
  }

  async write(data: Buffer | string): Promise<void> {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let done = 0;
    while (done < buf.length) done += (await this.fh.write(buf, done, buf.length - done)).bytesWritten;
    this.hash.update(buf);
    this.bytes += buf.length;
  }

  async close(): Promise<WrittenFile> {
    await this.fh.sync();
    await this.fh.close();
    return { path: this.rel, bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  static async writeWhole(root: string, rel: string, data: Buffer | string): Promise<WrittenFile> {
    const f = await HashedFile.create(root, rel);
    try {
      await f.write(data);
    } catch (err) {
      await f.fh.close();
      throw err;
    }
    return f.close();
  }
}
