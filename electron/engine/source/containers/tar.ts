import path from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import unbzip2 from 'unbzip2-stream';
import type { ArchiveEntry, ArchiveInput, ArchiveReader } from './archive';
import { inputName } from './archive';
import { inputBytes, peek, through } from './byte-streams';
import { isTarHeader } from './formats';
import { ContainerError } from './limits';

/**
 * tar, and the compressed files that usually hold one: gzip (tar.gz/tgz, or a single .gz file) and
 * bzip2 (tar.bz2, or a single .bz2). Everything is one forward stream (tar-stream over zlib or
 * unbzip2-stream): nothing is written anywhere and memory stays at a few buffers. Whether a compressed
 * file holds a tar is decided by the decompressed bytes (a tar header), not by the file name.
 */
export async function openTarFamily(input: ArchiveInput, format: 'tar' | 'gzip' | 'bzip2'): Promise<ArchiveReader> {
  const raw = await inputBytes(input);
  const rawHead = format === 'gzip' ? await peek(raw, 4096) : { head: Buffer.alloc(0), rest: raw };
  const bytes = format === 'tar' ? raw : through(rawHead.rest, format === 'gzip' ? createGunzip() : unbzip2());
  const { head, rest } = await peek(bytes, 512).catch((err) => {
    throw new ContainerError('corrupt', `${format} data unreadable: ${(err as Error).message}`);
  });
  const release = () => (raw as { destroy?: () => void }).destroy?.();
  if (format === 'tar' || isTarHeader(head)) return tarReader(rest, release);
  return singleFile(rest, singleName(input, rawHead.head, format), release);
}

function tarReader(bytes: AsyncIterable<Buffer>, release: () => void): ArchiveReader {
  const extract = tar.extract();
  const input = Readable.from(bytes, { objectMode: false });
  input.on('error', (err) => extract.destroy(err));
  input.pipe(extract);
  return {
    async *entries() {
      try {
        for await (const entry of extract) {
          const h = entry.header;
          // One iterator over the entry, owned here: whatever the consumer reads or abandons, the rest
          // is drained below so that the stream moves on to the next header.
          const it = (entry as unknown as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
          let ended = false;
          const owned: AsyncIterable<Buffer> = {
            [Symbol.asyncIterator]: () => ({
              next: async () => {
                const r = await it.next();
                if (r.done) ended = true;
                return r;
              },
              return: async () => ({ done: true, value: undefined }),
            }),
          };
          const item: ArchiveEntry = {
            name: h.name,
            size: h.size ?? null,
            type: h.type === 'file' || h.type === 'contiguous-file' ? 'file' : h.type === 'directory' ? 'directory' : h.type === 'symlink' || h.type === 'link' ? 'link' : 'other',
            encrypted: false,
            open: async () => owned,
          };
          yield item;
          while (!ended) if ((await it.next()).done) ended = true;
        }
      } catch (err) {
        if (err instanceof ContainerError) throw err;
        throw new ContainerError('corrupt', `tar data unreadable: ${(err as Error).message}`);
      }
    },
    async close() {
      extract.destroy();
      input.destroy();
      release();
    },
  };
}

function singleFile(bytes: AsyncIterable<Buffer>, name: string, release: () => void): ArchiveReader {
  return {
    async *entries() {
      yield { name, size: null, type: 'file', encrypted: false, open: async () => bytes };
    },
    async close() {
      release();
    },
  };
}

/** The stored original name of a gzip member (FNAME), else the container's name without its suffix. */
function singleName(input: ArchiveInput, gzHead: Buffer, format: 'gzip' | 'bzip2'): string {
  if (format === 'gzip' && gzHead.length > 10 && (gzHead[3]! & 0x08) !== 0) {
    let p = 10;
    if ((gzHead[3]! & 0x04) !== 0) p += 2 + gzHead.readUInt16LE(10);
    const end = gzHead.indexOf(0, p);
    if (end > p) return path.basename(gzHead.toString('latin1', p, end));
  }
  const base = path.basename(inputName(input));
  const stripped = base.replace(/\.(gz|gzip|bz2|bzip2)$/i, '').replace(/\.(tgz|tbz2?)$/i, '.tar');
  return stripped === base ? `${base}.content` : stripped;
}
