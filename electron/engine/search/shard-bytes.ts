import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { blockRuns } from './read-plan';
import { LITTLE_ENDIAN } from '../util/endianness';

/**
 * Where a shard's bytes come from. A shard of format 1–3 is one Buffer read whole; a version 4 shard is
 * read from its file a block at a time, each block checked against its CRC-32 when it is first read
 * (BlockFile), so a cold query reads the dictionary and the few lists it needs instead of the whole file.
 */
export interface ShardBytes {
  /** Bytes [start, end), intact (a ShardDamaged error otherwise). */
  slice(start: number, end: number): Buffer;
  u32(at: number): number;
  /** Read and check every byte (for `casefile index`); a Buffer source was checked when loaded. */
  verifyAll(): void;
  /** Read these byte ranges ahead, in as few reads as possible, and hold them until unpin() (a file only). */
  pin?(starts: ArrayLike<number>, ends: ArrayLike<number>): void;
  unpin?(): void;
  close(): void;
}

export class BufferBytes implements ShardBytes {
  constructor(private readonly buf: Buffer) {}
  slice(start: number, end: number): Buffer {
    if (end > this.buf.length) throw new BlockDamaged('truncated');
    return this.buf.subarray(start, end);
  }
  u32(at: number): number {
    return this.buf.readUInt32LE(at);
  }
  verifyAll(): void {}
  close(): void {}
}

/** Raised by BlockFile; binary-shard.ts turns it into ShardDamaged (no import cycle). */
export class BlockDamaged extends Error {}

/** Bytes of blocks kept per open file: enough for the lists of a few queries, bounded whatever the case size. */
export const CACHED_BYTES = 4 * 1024 * 1024;

/**
 * Bytes read first when a shard or pair-filter file is opened: its header and block CRCs are usually in
 * them (a 10,000-message shard's are ≈ 11 KB, its pair filter's ≈ 3 KB); a larger head takes a second
 * read of exactly its length. It was 64 KiB: at 1M messages a fresh open of the 98 shards and their pair
 * filters copied 12.5 MB to read ≈ 1.4 MB of heads (≈ 10 ms against ≈ 6 ms, issue 15).
 */
export const HEAD_PROBE_BYTES = 16 * 1024;
/** A slice spanning more than this many bytes of blocks is read in one go, past the cache (BlockFile.readRange). */
const BULK_BYTES = 128 * 1024;
/** Bytes of blocks one pin() may hold: what is beyond is read on demand, as before. */
const PINNED_BYTES = 16 * 1024 * 1024;

/** Close the descriptor of a shard dropped without close() (a Searcher left to the garbage collector). */
const closer = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    /* already closed */
  }
});

/**
 * A file region of `length` bytes from `base`, in blocks of `blockSize` with one CRC-32 each (`crcs`).
 * Positions are relative to `base`. Blocks are read positionally (pread) on first use, checked, and
 * kept in a small LRU; a damaged block throws every time it is asked for, so no query uses its bytes.
 */
export class BlockFile implements ShardBytes {
  private readonly cache = new Map<number, Buffer>();
  /** Blocks read ahead by pin() for the lists about to be summed, until unpin(); checked like any other. */
  private pinned: Map<number, Buffer> | null = null;
  private closed = false;
  private readonly token = {};
  private readonly maxCached: number;
  private readonly bulkBlocks: number;
  private readonly maxPinned: number;

  constructor(
    private readonly fd: number,
    private readonly base: number,
    private readonly length: number,
    private readonly blockSize: number,
    private readonly crcs: Uint32Array,
  ) {
    closer.register(this, fd, this.token);
    // Limits in bytes, whatever the file's block size (shards: 4 or 16 KiB; sidecars 4 KiB).
    this.maxCached = Math.max(16, CACHED_BYTES / blockSize);
    this.bulkBlocks = Math.max(2, BULK_BYTES / blockSize);
    this.maxPinned = Math.max(64, PINNED_BYTES / blockSize);
  }

  private block(n: number): Buffer {
    const held = this.pinned?.get(n);
    if (held) return held;
    const hit = this.cache.get(n);
    if (hit) {
      this.cache.delete(n);
      this.cache.set(n, hit);
      return hit;
    }
    const b = this.readRange(n, n);
    this.keep(n, b);
    return b;
  }

  private held(n: number): boolean {
    return this.cache.has(n) || (this.pinned?.has(n) ?? false);
  }

  private keep(n: number, b: Buffer): void {
    this.cache.set(n, b);
    if (this.cache.size > this.maxCached) this.cache.delete(this.cache.keys().next().value!);
  }

  /**
   * Blocks first..last in one positional read, each checked against its CRC, not kept in the cache: a
   * section read whole (the dictionary, the pair filters) was read as hundreds of 16 KiB reads, copied
   * once more into one buffer, and pushed every cached posting block out of the LRU on the way.
   */
  private readRange(first: number, last: number): Buffer {
    if (this.closed) throw new Error('shard file closed');
    const from = first * this.blockSize;
    const size = Math.min((last + 1) * this.blockSize, this.length) - from;
    if (last >= this.crcs.length || size <= 0) throw new BlockDamaged('truncated');
    const b = Buffer.allocUnsafe(size);
    const got = readSync(this.fd, b, 0, size, this.base + from);
    if (got !== size) throw new BlockDamaged(first === last ? `truncated (block ${first})` : `truncated (blocks ${first}–${last})`);
    for (let n = first; n <= last; n++) {
      const at = (n - first) * this.blockSize;
      if (crc32(b.subarray(at, at + this.blockSize)) !== this.crcs[n]) throw new BlockDamaged(`checksum mismatch in block ${n} (damaged)`);
    }
    return b;
  }

  slice(start: number, end: number): Buffer {
    if (end > this.length || start > end) throw new BlockDamaged('truncated');
    const first = Math.floor(start / this.blockSize);
    const last = Math.floor((end - 1) / this.blockSize);
    if (end === start) return Buffer.alloc(0);
    if (first === last) {
      const off = first * this.blockSize;
      return this.block(first).subarray(start - off, end - off);
    }
    if (last - first >= this.bulkBlocks && !this.pinned) return this.readRange(first, last).subarray(start - first * this.blockSize, end - first * this.blockSize);
    if (!this.held(first) && !this.held(last)) {
      // One positional read for the run (a list or row across a block edge was a read per block), its
      // blocks kept as any other.
      const bytes = this.readRange(first, last);
      for (let n = first; n <= last; n++) this.keep(n, bytes.subarray((n - first) * this.blockSize, (n - first + 1) * this.blockSize));
      return bytes.subarray(start - first * this.blockSize, end - first * this.blockSize);
    }
    const out = Buffer.allocUnsafe(end - start);
    for (let n = first; n <= last; n++) {
      const b = this.block(n);
      const off = n * this.blockSize;
      const from = Math.max(start, off);
      b.copy(out, from - start, from - off, Math.min(end, off + b.length) - off);
    }
    return out;
  }

  /**
   * Read the blocks of byte ranges [starts[i], ends[i]) now, consecutive ones in one positional read (each
   * block checked against its CRC as always), and hold them until unpin(): the many small lists of a wide
   * word cost one read per run of blocks instead of one per block. Adds to what is already pinned.
   */
  pin(starts: ArrayLike<number>, ends: ArrayLike<number>): void {
    const pinned = (this.pinned ??= new Map());
    const room = this.maxPinned - pinned.size;
    if (room <= 0) return;
    const runs = blockRuns(starts, ends, this.blockSize, this.length, (n) => this.held(n), room);
    for (let r = 0; r < runs.length; r += 2) {
      const first = runs[r]!;
      const last = runs[r + 1]!;
      if (first === last) {
        pinned.set(first, this.block(first)); // a lone block goes through the cache, as it would have
        continue;
      }
      const bytes = this.readRange(first, last);
      for (let n = first; n <= last; n++) pinned.set(n, bytes.subarray((n - first) * this.blockSize, (n - first + 1) * this.blockSize));
    }
  }

  /** Let go of the pinned blocks. */
  unpin(): void {
    this.pinned = null;
  }

  u32(at: number): number {
    const n = Math.floor(at / this.blockSize);
    const off = at - n * this.blockSize;
    const b = this.block(n);
    return off + 4 <= b.length ? b.readUInt32LE(off) : this.slice(at, at + 4).readUInt32LE(0);
  }

  verifyAll(): void {
    for (let n = 0; n < this.crcs.length; n += 64) this.readRange(n, Math.min(n + 63, this.crcs.length - 1));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closer.unregister(this.token);
    closeSync(this.fd);
  }
}

/** The header every blocked file carries (besides its own fields). */
interface BlockedHeader {
  blockSize: number;
  bodyBytes: number;
}

/**
 * A blocked file: MAGIC (8 bytes) | u32 header length | header JSON | u32 CRC-32 of each block of the body |
 * u32 CRC-32 of all that | body (read through a BlockFile, each block checked when first read). Bytes
 * to write.
 */
export function blockedFileBytes(magic: Buffer, header: BlockedHeader, body: Buffer): Buffer {
  const crcs = Buffer.alloc(Math.ceil(body.length / header.blockSize) * 4);
  for (let n = 0; n * 4 < crcs.length; n++) crcs.writeUInt32LE(crc32(body.subarray(n * header.blockSize, (n + 1) * header.blockSize)), n * 4);
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  const head = Buffer.concat([magic, len, json, crcs]);
  const check = Buffer.alloc(4);
  check.writeUInt32LE(crc32(head));
  return Buffer.concat([head, check, body]);
}

/** A blocked file opened: its header, and its body on demand. Null when absent, not `magic`, truncated or its header damaged. */
export function openBlockedFile<H extends BlockedHeader>(file: string, magic: Buffer): { header: H; src: BlockFile } | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const size = fstatSync(fd).size;
    const first = readAt(fd, 0, Math.min(size, HEAD_PROBE_BYTES));
    if (first.length < 12 || !first.subarray(0, 8).equals(magic)) throw new Error('not this kind of file');
    const headerLen = first.readUInt32LE(8);
    const head0 = 12 + headerLen <= first.length ? first : readAt(fd, 0, 12 + headerLen);
    const header = JSON.parse(head0.toString('utf8', 12, 12 + headerLen)) as H;
    const blocks = Math.ceil(header.bodyBytes / header.blockSize);
    const bodyAt = 12 + headerLen + blocks * 4 + 4;
    if (size !== bodyAt + header.bodyBytes) throw new Error('truncated');
    const head = bodyAt <= first.length ? first : readAt(fd, 0, bodyAt);
    if (crc32(head.subarray(0, bodyAt - 4)) !== head.readUInt32LE(bodyAt - 4)) throw new Error('damaged header');
    const crcs = u32sAt(head, 12 + headerLen, blocks);
    return { header, src: new BlockFile(fd, bodyAt, header.bodyBytes, header.blockSize, crcs) };
  } catch {
    closeSync(fd);
    return null;
  }
}

/** `count` little-endian u32 at byte `at` of `buf` (a header's block CRCs: hundreds per file, copied at once rather than read one by one). */
export function u32sAt(buf: Buffer, at: number, count: number): Uint32Array {
  const out = new Uint32Array(count);
  if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(buf.subarray(at, at + count * 4));
  else for (let n = 0; n < count; n++) out[n] = buf.readUInt32LE(at + n * 4);
  return out;
}

/** `length` bytes at `position`, or fewer at the end of the file (only the bytes read are in the result). */
export function readAt(fd: number, position: number, length: number): Buffer {
  const b = Buffer.allocUnsafe(length);
  const got = readSync(fd, b, 0, length, position);
  return got === length ? b : b.subarray(0, got);
}
