import { fold } from './text-analysis';
import { LITTLE_ENDIAN } from '../util/endianness';

/**
 * Adjacent word pairs of a message, as a small Bloom filter per message kept in its shard. A phrase can
 * only occur where all of its pairs occur, so phrase search checks candidates against their filter first
 * and reads, inflates and regex-matches only those that pass (false positives are verified away, a false
 * negative is impossible). Words are taken exactly as phrase verification takes them (phraseKey).
 */
const BITS_PER_PAIR = 16; // with 3 probes: ≈0.5 % false positives
const MIN_BYTES = 32;
const MAX_BYTES = 64 * 1024;

/**
 * FNV-1a of "word1 word2" for each adjacent pair of phraseKey(text)'s words, distinct. Computed over the
 * folded text in one scan, without building phraseKey's string, its word array or a string per pair (the
 * index worker runs this on every message body, issue 15): words are the maximal runs of letters and digits
 * (\p{L}, \p{N}) that phraseKey keeps, and a pair's hash continues the first word's FNV state (after its
 * characters and the space) over the second word. test/unit/pair-hashes.test.ts holds it to the definition.
 */
export function pairHashes(text: string): number[] {
  const s = fold(text);
  const out = new Set<number>();
  /** FNV state after the previous word and a space; -1 before the first word. */
  let prefix = -1;
  for (let i = 0; i < s.length; ) {
    const width = wordUnitWidth(s, i);
    if (width === 0) {
      i += s.charCodeAt(i) >= 0xd800 && s.charCodeAt(i) <= 0xdbff && i + 1 < s.length && isLowSurrogate(s.charCodeAt(i + 1)) ? 2 : 1;
      continue;
    }
    let end = i + width;
    for (let w; end < s.length && (w = wordUnitWidth(s, end)) > 0; ) end += w;
    let pair = prefix;
    let own = FNV_OFFSET;
    for (let k = i; k < end; k++) {
      const c = s.charCodeAt(k);
      if (prefix !== -1) pair = Math.imul(pair ^ c, FNV_PRIME);
      own = Math.imul(own ^ c, FNV_PRIME);
    }
    if (prefix !== -1) out.add(pair >>> 0);
    prefix = Math.imul(own ^ 0x20, FNV_PRIME);
    i = end;
  }
  return [...out];
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
/** Per BMP code unit: 0 not yet known, 1 a letter or digit, 2 not. */
const bmpClass = new Uint8Array(0x10000);

const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** UTF-16 units of the letter or digit at i (1, or 2 for one outside the BMP), 0 when it is neither. */
function wordUnitWidth(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) ? 1 : 0;
  if (c >= 0xd800 && c <= 0xdbff) {
    // A surrogate pair is one code point (phraseKey's /u); a lone surrogate is neither letter nor digit.
    return i + 1 < s.length && isLowSurrogate(s.charCodeAt(i + 1)) && LETTER_OR_DIGIT.test(s.slice(i, i + 2)) ? 2 : 0;
  }
  if (isLowSurrogate(c)) return 0;
  let k = bmpClass[c]!;
  if (k === 0) bmpClass[c] = k = LETTER_OR_DIGIT.test(String.fromCharCode(c)) ? 1 : 2;
  return k === 1 ? 1 : 0;
}

/**
 * Whether `text` has a letter or digit: a word a phrase could match (phraseKey keeps only those). Text
 * without one (the attachment text of documents with no text: one newline each) cannot hold a phrase.
 */
export function holdsWord(text: string): boolean {
  return WORD_CHAR.test(text);
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

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
    for (let k = 0; k < 3; k++) {
      const bit = probeBit(h, k, bits);
      if ((filter[start + (bit >>> 3)]! & (1 << (bit & 7))) === 0) return false;
    }
  }
  return true;
}

/** Bit position of probe k (0–2) of pair hash h in a filter of `bits` bits (also pair-slices.ts's row). */
export function probeBit(h: number, k: number, bits: number): number {
  return (h + k * second(h)) % bits;
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
  return [probeBit(h, 0, bits), probeBit(h, 1, bits), probeBit(h, 2, bits)];
}
