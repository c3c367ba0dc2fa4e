import path from 'node:path';
import { probeBit } from './phrase-pairs';
import { openBlockedFile, type BlockFile } from './shard-bytes';
import { LITTLE_ENDIAN } from '../util/endianness';

/**
 * A shard's pair filters (phrase-pairs.ts) turned sideways, in a file beside the shard
 * (index/shard-NNNNN.pairs): messages are grouped by the byte length of their filter, and for each group
 * and each bit position of that length there is one row holding that bit of every member's filter. A
 * phrase's word pair is 3 bit positions, so the messages of a shard that may hold it are the AND of 3 rows
 * per group: a cold phrase reads a few KiB per shard instead of every candidate's filter (the whole filter
 * section, ≈28 % of the shard: "second tour" touched 18,000 of 98,000 messages). The same idea as bit-sliced
 * signatures (BitFunnel). Decisions are exactly those of the filters it was made from
 * (test/integration/pair-slices.test.ts).
 *
 *   "CFPAIRS1" | u32 header length | header JSON (PairSlicesHeader) | u32 CRC-32 of each block of the body |
 *   u32 CRC-32 of all that | body:
 *   per group, at rowsAt:      8 × bytes rows of ceil(count / 8) bytes; bit j of row r is bit r of the
 *                              filter of the group's j-th member (members in id order)
 *   per group, at membersAt:   its members' offsets (id − firstId), ascending, `offsetBytes` each (LE)
 *   at loose.at:               the offsets of the messages with no filter, or an empty one (may hold anything)
 *
 * Version 1 had a byte per message naming its group instead of the offset lists: turning a group's bits
 * back into messages walked every message of the shard (≈ 15–40 ms of a phrase at 1M messages, 98 shards);
 * now only the few members whose bit survives the AND are looked up. A version 1 file stands for nothing
 * (the shard's own filters answer) until the next ingest or `casefile index` rewrites it.
 *
 * It stands for its shard only while the shard is the file it was made from (the shard's checksum, size,
 * case and range); otherwise, or when absent or damaged, the shard's own filters are read as before
 * (same results, slower). Written by pair-slices-build.ts after ingest and by `casefile index`.
 */
export const PAIR_SLICES_MAGIC = Buffer.from('CFPAIRS1');
export const PAIR_SLICES_VERSION = 2;

export interface PairSlicesHeader {
  version: number;
  blockSize: number;
  bodyBytes: number;
  /** The shard it was made from, as BinaryShard reports it. */
  shard: { caseId: string; seq: number; firstId: number; lastId: number; docs: number; bytes: number; checksum: number };
  /** Bytes per message offset in the member lists: 2, or 4 for a shard spanning more than 65,536 ids. */
  offsetBytes: 2 | 4;
  groups: { bytes: number; count: number; rowsAt: number; membersAt: number }[];
  loose: { at: number; count: number };
}

/** The sidecar of shard file `shardFile` (…/shard-00001.bin → …/shard-00001.pairs). */
export const pairSlicesPath = (shardFile: string) => path.join(path.dirname(shardFile), `${path.basename(shardFile, '.bin')}.pairs`);

/** What a shard says about itself, to match against the sidecar's record of it. */
export interface SliceOwner {
  identity: { caseId: string; seq: number; firstId: number; lastId: number; docs: number } | null;
  checksum: number | null;
  fileBytes: number;
}

export class PairSlices {
  private maybe: Uint8Array | null = null;
  private lastHashes: number[] | null = null;
  private lastKey = '';

  private constructor(
    private readonly header: PairSlicesHeader,
    private readonly src: BlockFile,
  ) {}

  /** The sidecar of `shardFile` when it is there, intact (header CRC) and made from `owner` as it is now; null otherwise. */
  static open(shardFile: string, owner: SliceOwner): PairSlices | null {
    const opened = openBlockedFile<PairSlicesHeader>(pairSlicesPath(shardFile), PAIR_SLICES_MAGIC);
    if (!opened) return null;
    const s = opened.header.shard;
    const id = owner.identity;
    const same =
      opened.header.version === PAIR_SLICES_VERSION && id !== null && s.caseId === id.caseId && s.seq === id.seq && s.firstId === id.firstId &&
      s.lastId === id.lastId && s.docs === id.docs && s.bytes === owner.fileBytes && s.checksum === owner.checksum;
    if (!same) {
      opened.src.close();
      return null;
    }
    return new PairSlices(opened.header, opened.src);
  }

  close(): void {
    this.src.close();
  }

  /** What filterMayContain would say for message `id` and `hashes` (true outside the shard's range). */
  mayContain(id: number, hashes: number[]): boolean {
    const { firstId, lastId } = this.header.shard;
    return id < firstId || id > lastId || this.mask(hashes)[id - firstId] === 1;
  }

  /**
   * Per message of the shard (by id − firstId): 1 when its filter may hold every pair of `hashes`, as
   * filterMayContain says. Kept for the last `hashes` asked. Throws BlockDamaged when a block it needs is
   * damaged (the caller then falls back to the shard's own filters).
   */
  mask(hashes: number[]): Uint8Array {
    if (hashes !== this.lastHashes) {
      const key = hashes.join(',');
      if (key !== this.lastKey || !this.maybe) {
        this.maybe = this.compute(hashes);
        this.lastKey = key;
      }
      this.lastHashes = hashes;
    }
    return this.maybe!;
  }

  private compute(hashes: number[]): Uint8Array {
    const { shard, loose, groups } = this.header;
    const out = new Uint8Array(shard.lastId - shard.firstId + 1);
    const looseAt = this.offsets(loose.at, loose.count);
    for (let i = 0; i < loose.count; i++) out[looseAt(i)] = 1;
    for (const { bytes, count, rowsAt, membersAt } of groups) {
      // The AND of the rows of every probe of every hash, 32 members at a time (this runs in a cold
      // process's interpreter: a byte at a time was most of the mask's time): bit j set ⇔ member j may
      // hold them all. Bits past `count` are 0 in every row.
      const rowBytes = (count + 7) >>> 3;
      const words = (rowBytes + 3) >>> 2;
      const acc = new Uint32Array(words).fill(0xffffffff);
      const row = new Uint32Array(words);
      const rowAsBytes = new Uint8Array(row.buffer);
      for (const h of hashes) {
        for (let k = 0; k < 3; k++) {
          const at = rowsAt + probeBit(h, k, bytes * 8) * rowBytes;
          rowAsBytes.set(this.src.slice(at, at + rowBytes));
          for (let i = 0; i < words; i++) acc[i]! &= row[i]!;
        }
      }
      let member: ((j: number) => number) | null = null;
      for (let w = 0; w < words; w++) {
        for (let v = acc[w]!; v !== 0; v &= v - 1) {
          const t = 31 - Math.clz32(v & -v); // the word's lowest set bit; its byte in the row depends on byte order
          const j = w * 32 + (LITTLE_ENDIAN ? t : (3 - (t >>> 3)) * 8 + (t & 7));
          if (j >= count) break; // past the last member (every bit is set when there is no hash)
          member ??= this.offsets(membersAt, count);
          out[member(j)] = 1;
        }
      }
    }
    return out;
  }

  /** The i-th of the `count` offsets stored at `at` (read from the file on first call). */
  private offsets(at: number, count: number): (i: number) => number {
    if (count === 0) return () => 0;
    const bytes = this.src.slice(at, at + count * this.header.offsetBytes);
    return this.header.offsetBytes === 2 ? (i) => bytes.readUInt16LE(i * 2) : (i) => bytes.readUInt32LE(i * 4);
  }
}
