import { LITTLE_ENDIAN } from '../util/endianness';
import { BlockDamaged } from './shard-bytes';

/**
 * Sums one posting list (as binary-shard.ts writes it: varint n, n varint id deltas, n float32 weights,
 * little-endian) into a score table's arrays over a shard's id range: `scores[id - base] += weight`,
 * `seen[id - base] = 1`. Returns how many messages it marked for the first time, so the table knows its
 * hit count without counting its whole range again.
 *
 * Why not decode into arrays first (decodeIds): at 1M messages a wide word (`camp*`, `*tion`) sums
 * hundreds of thousands of postings, and a JS array of ids per list plus `readFloatLE` per weight were
 * the largest self time of those queries and most of their garbage. Here the ids go into one reused
 * Int32Array and the weights are read through a Float32Array over the list's bytes (copied once into an
 * aligned scratch buffer when the list is not 4-byte aligned). The additions are the same, in the same
 * order, on the same float32 values: scores are bit for bit those of the previous loop.
 */
let idScratch = new Int32Array(4096);
let weightScratch = new Uint8Array(16384);

export function sumPostings(list: Buffer, base: number, scores: Float64Array, seen: Uint8Array): number {
  const n = decodeOffsets(list, base, scores.length);
  const ids = idScratch;
  const at = cursor;
  let added = 0;
  if (!LITTLE_ENDIAN) {
    for (let i = 0; i < n; i++) {
      const k = ids[i]!;
      scores[k]! += list.readFloatLE(at + i * 4);
      if (seen[k] === 0) added++;
      seen[k] = 1;
    }
    return added;
  }
  const weights = floatsAt(list, at, n);
  for (let i = 0; i < n; i++) {
    const k = ids[i]!;
    scores[k]! += weights[i]!;
    if (seen[k] === 0) added++;
    seen[k] = 1;
  }
  return added;
}

/**
 * sumPostings for the messages `mask` marks only (mask[id - base] = 1): a phrase's words are summed only
 * where its pair filters let the phrase be (phrase-candidates.ts). Every id is still decoded (the list is
 * a run of deltas), but only the few marked get a weight read and an addition — the same additions, in the
 * same order, as sumPostings makes for them.
 */
let atScratch = new Int32Array(4096);

export function sumPostingsWhere(list: Buffer, base: number, scores: Float64Array, seen: Uint8Array, mask: Uint8Array): number {
  // The ids are decoded by sumPostings' own loop: a phrase's first query in a process finds it compiled
  // by the word queries before it (its own loop would start cold: ≈600,000 ids for "second tour" at 1M).
  const n = decodeOffsets(list, base, scores.length);
  const at = cursor;
  if (atScratch.length < n) atScratch = new Int32Array(Math.max(n, atScratch.length * 2));
  const ids = idScratch;
  const ats = atScratch;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const k = ids[i]!;
    if (mask[k] === 1) {
      ids[m] = k; // m ≤ i: overwrites only what was read
      ats[m++] = i;
    }
  }
  let added = 0;
  for (let j = 0; j < m; j++) {
    const k = ids[j]!;
    scores[k]! += list.readFloatLE(at + ats[j]! * 4);
    if (seen[k] === 0) added++;
    seen[k] = 1;
  }
  return added;
}

/**
 * Decodes the ids of `list` into idScratch as offsets from `base` (each checked to be below `range`) and
 * returns their count; `cursor` is left at the first weight, and the weights are checked to fit in the list.
 */
function decodeOffsets(list: Buffer, base: number, range: number): number {
  cursor = 0;
  const n = varint(list);
  // Each posting takes at least 5 bytes: a damaged count must not size the scratch array.
  if (n * 5 > list.length) throw new BlockDamaged('a posting list runs past the end of its section');
  if (idScratch.length < n) idScratch = new Int32Array(Math.max(n, idScratch.length * 2));
  const ids = idScratch;
  let id = 0;
  for (let i = 0; i < n; i++) {
    id += varint(list);
    const k = id - base;
    if (k < 0 || k >= range) throw new OutsideRange();
    ids[i] = k;
  }
  if (cursor + n * 4 > list.length) throw new BlockDamaged('a posting list runs past the end of its section');
  return n;
}

/** Position in the list being decoded (module state: a varint reader returning two values allocated per call). */
let cursor = 0;

/** The varint at `cursor` (which moves past it); throws like readVarint when it runs past the end. */
function varint(list: Buffer): number {
  let v = 0;
  for (let mul = 1; ; mul *= 128) {
    if (cursor >= list.length) throw new BlockDamaged('a number runs past the end of its section');
    const byte = list[cursor++]!;
    v += (byte & 0x7f) * mul;
    if (byte < 0x80) return v;
  }
}

/** The n float32 values at byte `at` of `list`, as a Float32Array (a view when aligned, else an aligned copy). */
function floatsAt(list: Buffer, at: number, n: number): Float32Array {
  const offset = list.byteOffset + at;
  if (offset % 4 === 0) return new Float32Array(list.buffer, offset, n);
  if (weightScratch.length < n * 4) weightScratch = new Uint8Array(Math.max(n * 4, weightScratch.length * 2));
  weightScratch.set(list.subarray(at, at + n * 4));
  return new Float32Array(weightScratch.buffer, 0, n);
}

/** A posting outside the shard's message range: the caller names the shard (ShardDamaged). */
export class OutsideRange extends Error {
  constructor() {
    super("a posting outside the shard's message range");
  }
}
