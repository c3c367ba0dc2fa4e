import { filterMayContain } from './phrase-pairs';
import { crc32 } from 'node:zlib';
import type { Deadline } from './query-cost';
import { expandFuzzy, expandWildcard } from './term-dictionary';
import type { lunr } from './text-analysis';

/**
 * The on-disk form of a search shard: what the evaluator needs from a built Lunr index and nothing else.
 *
 *   "CFSHARD1" | u32 header length | header JSON {version, fields, terms}
 *   u32[terms + 1]          offsets of each term in the term blob (terms sorted by code unit)
 *   term blob               UTF-8
 *   u32[terms * fields + 1] offsets of each (term, field) posting list in the posting blob
 *   posting blob            per list: varint n, n varint id deltas (ascending), n float32 weights
 *   (version 2) u32 n, u32[n] message ids (ascending), u32[n + 1] offsets, filter blob:
 *               each message's adjacent-word-pair Bloom filter (phrase-pairs.ts)
 *   (version 3) the header also names the case (its id), the shard's seq and id range and doc count,
 *               and the file ends with u32 CRC-32 of everything before it: a damaged, truncated or
 *               swapped shard is recognised (shard-check.ts) instead of giving wrong or no answers.
 *
 * Weights are Lunr's own BM25 field-vector values, computed by Lunr's builder and copied here, so scores
 * equal what lunr.Index.query would give. Why not Lunr's JSON: loading 100,000 messages' JSON took about
 * ten seconds and eight bytes of heap per byte of file; this loads as one Buffer and decodes only the
 * lists a query touches.
 */
const MAGIC = Buffer.from('CFSHARD1');

/** What a version 3 shard says about itself. */
export interface ShardIdentity {
  caseId: string;
  seq: number;
  firstId: number;
  lastId: number;
  docs: number;
}

/**
 * What a shard is written from: its fields, its terms sorted by code unit, and per (term, field) the ids
 * (ascending) and Lunr weights of the messages containing the term. Made by ShardBuilder (shard-builder.ts)
 * or, for tests and comparisons, from a built lunr.Index (lunrSource).
 */
export interface ShardSource {
  fields: string[];
  terms: string[];
  /** Fill ids and weights of term `t` (its rank in `terms`) in field `f`; returns their count (0: no list). */
  list(t: number, f: number, ids: number[], weights: number[]): number;
}

/** A built Lunr index as a ShardSource. */
export function lunrSource(index: lunr.Index): ShardSource {
  const ser = index.toJSON() as unknown as {
    fields: string[];
    invertedIndex: [string, Record<string, unknown> & { _index: number }][];
    fieldVectors: [string, number[]][];
  };
  const vectors = new Map(ser.fieldVectors);
  const postings = new Map(ser.invertedIndex);
  const terms = ser.invertedIndex.map(([t]) => t).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    fields: ser.fields,
    terms,
    list(t, f, ids, weights) {
      const posting = postings.get(terms[t]!)!;
      const field = ser.fields[f]!;
      const docs = Object.keys((posting[field] as object | undefined) ?? {}).map(Number).sort((a, b) => a - b);
      docs.forEach((id, i) => {
        ids[i] = id;
        weights[i] = weightOf(vectors.get(`${field}/${id}`), posting._index);
      });
      return docs.length;
    },
  };
}

export function encodeShard(index: lunr.Index, pairFilters: Map<number, Uint8Array> = new Map(), identity?: ShardIdentity): Buffer {
  return encodeShardSource(lunrSource(index), pairFilters, identity);
}

export function encodeShardSource(source: ShardSource, pairFilters: Map<number, Uint8Array> = new Map(), identity?: ShardIdentity): Buffer {
  const { fields, terms } = source;
  const termBytes = terms.map((t) => Buffer.from(t, 'utf8'));
  const termOffsets = new Uint32Array(terms.length + 1);
  for (let i = 0; i < terms.length; i++) termOffsets[i + 1] = termOffsets[i]! + termBytes[i]!.length;

  // All posting lists go into one growing buffer (a shard has ~10⁶ (term, field) pairs, most without a
  // list: those take no bytes, the reader sees an empty range).
  const lists = new ByteWriter();
  const listOffsets = new Uint32Array(terms.length * fields.length + 1);
  const ids: number[] = [];
  const weights: number[] = [];
  for (let ti = 0; ti < terms.length; ti++) {
    for (let fi = 0; fi < fields.length; fi++) {
      const n = source.list(ti, fi, ids, weights);
      if (n > 0) {
        lists.varint(n);
        let prev = 0;
        for (let i = 0; i < n; i++) {
          lists.varint(ids[i]! - prev);
          prev = ids[i]!;
        }
        for (let i = 0; i < n; i++) lists.float32(weights[i]!);
      }
      listOffsets[ti * fields.length + fi + 1] = lists.length;
    }
  }
  const header = Buffer.from(JSON.stringify({ version: identity ? 3 : 2, fields, terms: terms.length, ...identity }), 'utf8');
  const headerLen = Buffer.alloc(4);
  headerLen.writeUInt32LE(header.length);
  const filterIds = [...pairFilters.keys()].sort((a, b) => a - b);
  const filterOffsets = new Uint32Array(filterIds.length + 1);
  filterIds.forEach((id, i) => (filterOffsets[i + 1] = filterOffsets[i]! + pairFilters.get(id)!.length));
  const body = Buffer.concat([
    MAGIC,
    headerLen,
    header,
    u32(termOffsets),
    ...termBytes,
    u32(listOffsets),
    lists.bytes(),
    u32(Uint32Array.of(filterIds.length)),
    u32(Uint32Array.from(filterIds)),
    u32(filterOffsets),
    ...filterIds.map((id) => pairFilters.get(id)!),
  ]);
  return identity ? Buffer.concat([body, u32(Uint32Array.of(crc32(body)))]) : body;
}

function u32(a: Uint32Array): Buffer {
  const b = Buffer.alloc(a.length * 4);
  for (let i = 0; i < a.length; i++) b.writeUInt32LE(a[i]!, i * 4);
  return b;
}

class ByteWriter {
  private buf = Buffer.alloc(1 << 20);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  varint(v: number): void {
    this.room(8);
    while (v >= 0x80) {
      this.buf[this.length++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.length++] = v;
  }

  float32(v: number): void {
    this.room(4);
    this.buf.writeFloatLE(v, this.length);
    this.length += 4;
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}

/** Lunr's weight of term `termIndex` in a field vector ([index, value, …] sorted by index). */
export function weightOf(elements: number[] | undefined, termIndex: number): number {
  if (!elements) return 0;
  let lo = 0;
  let hi = elements.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const idx = elements[mid * 2]!;
    if (idx === termIndex) return elements[mid * 2 + 1]!;
    if (idx < termIndex) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/** A shard loaded from its binary file: one Buffer; posting lists decoded when a query asks for them. */
export class BinaryShard {
  readonly fields: string[];
  readonly termCount: number;
  private readonly termOffsetsAt: number;
  private readonly termBlobAt: number;
  private readonly listOffsetsAt: number;
  private readonly listBlobAt: number;
  /** Where the pair filters start, or -1 (version 1 shards have none). */
  private readonly filtersAt: number;
  private readonly filterCount: number;

  /** The case and range the shard was written for (version 3), or null (older shards). */
  readonly identity: ShardIdentity | null;
  /** CRC-32 of the content (version 3), checked when the shard was opened. */
  readonly checksum: number | null;

  /** Throws ShardDamaged when the bytes are not a whole, intact shard. */
  constructor(private readonly buf: Buffer) {
    if (buf.length < 16 || !buf.subarray(0, 8).equals(MAGIC)) throw new ShardDamaged('not a Casefile shard file');
    const headerLen = buf.readUInt32LE(8);
    if (12 + headerLen > buf.length) throw new ShardDamaged('truncated (header)');
    let header: { version: number; fields: string[]; terms: number } & Partial<ShardIdentity>;
    try {
      header = JSON.parse(buf.toString('utf8', 12, 12 + headerLen));
    } catch {
      throw new ShardDamaged('damaged header');
    }
    if (header.version !== 1 && header.version !== 2 && header.version !== 3) throw new ShardDamaged(`unsupported shard version ${header.version}`);
    this.checksum = null;
    this.identity = null;
    if (header.version === 3) {
      this.checksum = buf.readUInt32LE(buf.length - 4);
      if (crc32(buf.subarray(0, buf.length - 4)) !== this.checksum) throw new ShardDamaged('checksum mismatch (damaged or truncated)');
      this.identity = { caseId: header.caseId!, seq: header.seq!, firstId: header.firstId!, lastId: header.lastId!, docs: header.docs! };
    }
    this.fields = header.fields;
    this.termCount = header.terms;
    this.termOffsetsAt = 12 + headerLen;
    this.termBlobAt = this.termOffsetsAt + (this.termCount + 1) * 4;
    this.listOffsetsAt = this.termBlobAt + buf.readUInt32LE(this.termOffsetsAt + this.termCount * 4);
    this.listBlobAt = this.listOffsetsAt + (this.termCount * this.fields.length + 1) * 4;
    const filters = this.listBlobAt + buf.readUInt32LE(this.listBlobAt - 4);
    this.filtersAt = header.version >= 2 ? filters + 4 : -1;
    this.filterCount = header.version >= 2 ? buf.readUInt32LE(filters) : 0;
    const end = this.filtersAt < 0 ? filters : this.filtersAt + this.filterCount * 8 + 4;
    if (this.listBlobAt > buf.length || end > buf.length) throw new ShardDamaged('truncated');
  }

  /**
   * False only when message `id` certainly lacks one of the adjacent word pairs (hashes from
   * phrase-pairs.ts) in its subject and body; true when it may have them all, or when unknown.
   */
  mayContainPairs(id: number, hashes: number[]): boolean {
    if (this.filtersAt < 0 || hashes.length === 0) return true;
    const idsAt = this.filtersAt;
    let lo = 0;
    let hi = this.filterCount - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = this.buf.readUInt32LE(idsAt + mid * 4);
      if (at === id) {
        const offsetsAt = idsAt + this.filterCount * 4;
        const blobAt = offsetsAt + (this.filterCount + 1) * 4;
        const start = blobAt + this.buf.readUInt32LE(offsetsAt + mid * 4);
        const end = blobAt + this.buf.readUInt32LE(offsetsAt + (mid + 1) * 4);
        return filterMayContain(this.buf, hashes, start, end);
      }
      if (at < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return true;
  }

  get bytes(): number {
    return this.buf.length;
  }

  termAt(i: number): string {
    const start = this.buf.readUInt32LE(this.termOffsetsAt + i * 4);
    const end = this.buf.readUInt32LE(this.termOffsetsAt + (i + 1) * 4);
    return this.buf.toString('utf8', this.termBlobAt + start, this.termBlobAt + end);
  }

  /** Binary search of the sorted term dictionary. */
  private find(term: string): number {
    let lo = 0;
    let hi = this.termCount - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const t = this.termAt(mid);
      if (t === term) return mid;
      if (t < term) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Start and end (in the buffer) of the posting list of `term` in each of `fields` that has one. */
  private lists(term: string, fields: string[]): [number, number][] {
    const ti = this.find(term);
    if (ti < 0) return [];
    const out: [number, number][] = [];
    for (const field of fields) {
      const fi = this.fields.indexOf(field);
      if (fi < 0) continue;
      const k = ti * this.fields.length + fi;
      const start = this.listBlobAt + this.buf.readUInt32LE(this.listOffsetsAt + k * 4);
      const end = this.listBlobAt + this.buf.readUInt32LE(this.listOffsetsAt + (k + 1) * 4);
      if (start !== end) out.push([start, end]);
    }
    return out;
  }

  /** Read position of `varint()`. */
  private at = 0;

  /** The varint at `this.at` (which moves past it). */
  private varint(): number {
    let v = 0;
    for (let mul = 1; ; mul *= 128) {
      const byte = this.buf[this.at++]!;
      v += (byte & 0x7f) * mul;
      if (byte < 0x80) return v;
    }
  }

  /** About how many messages contain `term` (the longest of its lists in `fields`; no list decoded). */
  docCount(term: string, fields: string[]): number {
    let best = 0;
    for (const [start] of this.lists(term, fields)) {
      this.at = start;
      best = Math.max(best, this.varint());
    }
    return best;
  }

  /** Add the weight of `term` in each of `fields` to the score of every message containing it. */
  addHits(term: string, fields: string[], out: Map<number, number>): void {
    for (const [start] of this.lists(term, fields)) {
      this.at = start;
      const n = this.varint();
      const ids = new Array<number>(n);
      let id = 0;
      for (let i = 0; i < n; i++) ids[i] = id += this.varint();
      for (let i = 0; i < n; i++) {
        const w = this.buf.readFloatLE(this.at + i * 4);
        out.set(ids[i]!, (out.get(ids[i]!) ?? 0) + w);
      }
    }
  }

  /** Index terms matching a wildcard or fuzzy pattern, read from the sorted dictionary on disk. */
  expand(term: string, editDistance: number, deadline?: Deadline): string[] {
    return editDistance ? expandFuzzy(this, term, editDistance, deadline) : expandWildcard(this, term, deadline);
  }
}

/** A shard file that cannot be used as it is (search goes on without it; `casefile index` rebuilds it). */
export class ShardDamaged extends Error {
  override name = 'ShardDamaged';
}
