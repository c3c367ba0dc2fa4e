import { phraseKey } from './phrase-verifier';

/**
 * Adjacent word pairs of a message, as a small Bloom filter per message kept in its shard. A phrase can
 * only occur where all of its pairs occur, so phrase search checks candidates against their filter first
 * and reads, inflates and regex-matches only those that pass (false positives are verified away, a false
 * negative is impossible). Words are taken exactly as phrase verification takes them (phraseKey).
 */
const BITS_PER_PAIR = 16; // with 3 probes: ≈0.5 % false positives
const MIN_BYTES = 32;
const MAX_BYTES = 64 * 1024;

export function pairHashes(text: string): number[] {
  const words = phraseKey(text).split(' ').filter(Boolean);
  const out = new Set<number>();
  for (let i = 0; i + 1 < words.length; i++) out.add(fnv1a(`${words[i]} ${words[i + 1]}`));
  return [...out];
}

/** The filter of one message; an empty filter means "unknown" (matches everything). */
export function buildPairFilter(hashes: number[]): Uint8Array {
  let bytes = MIN_BYTES;
  while (bytes * 8 < hashes.length * BITS_PER_PAIR && bytes < MAX_BYTES) bytes *= 2;
  const filter = new Uint8Array(bytes);
  for (const h of hashes) for (const bit of probes(h, bytes * 8)) filter[bit >>> 3]! |= 1 << (bit & 7);
  return filter;
}

export function filterMayContain(filter: Uint8Array, hashes: number[], start = 0, end = filter.length): boolean {
  if (end <= start) return true;
  const bits = (end - start) * 8;
  for (const h of hashes) {
    const h2 = second(h);
    for (let k = 0; k < 3; k++) {
      const bit = (h + k * h2) % bits;
      if ((filter[start + (bit >>> 3)]! & (1 << (bit & 7))) === 0) return false;
    }
  }
  return true;
}

/**
 * One shard's pair-filter section, read whole: message ids (ascending), offsets into the filter blob, the
 * blob. Typed views instead of readUInt32LE per step: a phrase checks thousands of candidates, each a binary
 * search over the shard's ids, and in a cold process that loop ran interpreted at ≈2.5 µs per candidate.
 */
export class PairFilterSection {
  readonly ids: Uint32Array;
  readonly offsets: Uint32Array;

  constructor(ids: Buffer, offsets: Buffer, readonly blob: Buffer) {
    this.ids = u32s(ids);
    this.offsets = u32s(offsets);
  }

  /** False only when message `id` has a filter here and it lacks one of `hashes`. */
  mayContain(id: number, hashes: number[]): boolean {
    const ids = this.ids;
    let lo = 0;
    let hi = ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = ids[mid]!;
      if (at === id) return filterMayContain(this.blob, hashes, this.offsets[mid], this.offsets[mid + 1]);
      if (at < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return true;
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Little-endian u32s as a Uint32Array: a view when aligned on a little-endian machine, else a copy. */
function u32s(buf: Buffer): Uint32Array {
  const n = buf.length >>> 2;
  if (LITTLE_ENDIAN && buf.byteOffset % 4 === 0) return new Uint32Array(buf.buffer, buf.byteOffset, n);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = buf.readUInt32LE(i * 4);
  return out;
}

/** Double hashing: probe k of hash h is (h + k·second(h)) mod bits. */
function second(h: number): number {
  return (Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) | 1) >>> 0; // odd, unsigned
}

function probes(h: number, bits: number): number[] {
  const h2 = second(h);
  return [h % bits, (h + h2) % bits, (h + 2 * h2) % bits];
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
