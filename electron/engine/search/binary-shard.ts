import { closeSync, fstatSync, openSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { PairFilterSection } from './phrase-pairs';
import { OutsideRange, sumPostings, sumPostingsWhere } from './posting-sum';
import { PairSlices } from './pair-slices';
import { BlockDamaged, BlockFile, BufferBytes, CACHED_BYTES, HEAD_PROBE_BYTES, readAt, u32sAt, type ShardBytes } from './shard-bytes';
import type { Deadline } from './query-cost';
import { decodeTerms, expandFuzzy, expandWildcard, sortedArray, type SortedTerms } from './term-dictionary';
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
 *   (version 4, written since issue 15) the same identity in the header, which also gives the section
 *               lengths; then u32 CRC-32 of each 16 KiB block of the body (the sections above, from the
 *               term offsets on) and u32 CRC-32 of the header and that table. The reader keeps the file
 *               on disk and checks a block when it first reads it: a cold query reads the dictionary and
 *               the lists it needs (≈1 MiB of a 20 MiB shard) instead of reading and checking it whole.
 *
 * Weights are Lunr's own BM25 field-vector values, computed by Lunr's builder and copied here, so scores
 * equal what lunr.Index.query would give. Why not Lunr's JSON: loading 100,000 messages' JSON took about
 * ten seconds and eight bytes of heap per byte of file; this decodes only the lists a query touches.
 */
const MAGIC = Buffer.from('CFSHARD1');

/** What a version 3 or 4 shard says about itself. */
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

/** `blockSize`: other than today's only to write a shard as older code did (tests). */
export function encodeShardSource(source: ShardSource, pairFilters: Map<number, Uint8Array> = new Map(), identity?: ShardIdentity, blockSize = BLOCK_SIZE): Buffer {
  if (identity) return Buffer.concat(encodeShardParts(source, pairFilters, identity, new ByteWriter(), blockSize).parts);
  const { fields, terms } = source;
  const header = Buffer.from(JSON.stringify({ version: 2, fields, terms: terms.length }), 'utf8');
  return Buffer.concat([MAGIC, u32(Uint32Array.of(header.length)), header, ...shardSections(source, pairFilters, new ByteWriter()).sections]);
}

/**
 * A version 4 shard as the parts to write one after the other (their concatenation is encodeShardSource's
 * bytes) and its checksum: the index worker writes them without joining them into one buffer, twice, per
 * shard (issue 15 item 3: ≈ 2 × 11 MiB of ArrayBuffers per 10,000-message shard, left to the next full
 * collection). `lists` is the posting blob's writer, reusable across shards; the parts hold its buffer until
 * they are written.
 */
export function encodeShardParts(
  source: ShardSource,
  pairFilters: Map<number, Uint8Array>,
  identity: ShardIdentity,
  lists = new ByteWriter(),
  blockSize = BLOCK_SIZE,
): { parts: Uint8Array[]; bytes: number; checksum: number } {
  const { sections, termBlobBytes, listBytes, filterCount } = shardSections(source, pairFilters, lists);
  const bodyBytes = sections.reduce((n, b) => n + b.length, 0);
  const crcs = blockCrcs(sections, Math.ceil(bodyBytes / blockSize), blockSize);
  const header = Buffer.from(JSON.stringify({ version: 4, fields: source.fields, terms: source.terms.length, ...identity, blockSize, bodyBytes, termBlobBytes, listBytes, filterCount }), 'utf8');
  const head = Buffer.concat([MAGIC, u32(Uint32Array.of(header.length)), header, u32(crcs)]);
  const checksum = crc32(head);
  const parts = [head, u32(Uint32Array.of(checksum)), ...sections];
  return { parts, bytes: head.length + 4 + bodyBytes, checksum };
}

/** The body's sections (version 2 and 4 alike): term offsets and blob, list offsets and blob, pair filters. */
function shardSections(source: ShardSource, pairFilters: Map<number, Uint8Array>, lists: ByteWriter): { sections: Uint8Array[]; termBlobBytes: number; listBytes: number; filterCount: number } {
  const { fields, terms } = source;
  // One buffer for the term blob, each term written at its offset (not a Buffer per term to concatenate).
  const termOffsets = new Uint32Array(terms.length + 1);
  for (let i = 0; i < terms.length; i++) termOffsets[i + 1] = termOffsets[i]! + Buffer.byteLength(terms[i]!, 'utf8');
  const termBlob = Buffer.allocUnsafe(termOffsets[terms.length]!);
  for (let i = 0; i < terms.length; i++) termBlob.write(terms[i]!, termOffsets[i]!, 'utf8');

  // All posting lists go into one growing buffer (a shard has ~10⁶ (term, field) pairs, most without a
  // list: those take no bytes, the reader sees an empty range).
  lists.length = 0;
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
  const filterIds = [...pairFilters.keys()].sort((a, b) => a - b);
  const filterOffsets = new Uint32Array(filterIds.length + 1);
  filterIds.forEach((id, i) => (filterOffsets[i + 1] = filterOffsets[i]! + pairFilters.get(id)!.length));
  const sections = [
    u32(termOffsets),
    termBlob,
    u32(listOffsets),
    lists.bytes(),
    u32(Uint32Array.of(filterIds.length)),
    u32(Uint32Array.from(filterIds)),
    u32(filterOffsets),
    ...filterIds.map((id) => pairFilters.get(id)!),
  ];
  return { sections, termBlobBytes: termOffsets[terms.length]!, listBytes: lists.length, filterCount: filterIds.length };
}

/** CRC-32 of each `blockSize` block of the sections' concatenation (crc32's running value spans their seams). */
function blockCrcs(sections: Uint8Array[], blocks: number, blockSize: number): Uint32Array {
  const crcs = new Uint32Array(blocks);
  let block = 0;
  let filled = 0;
  let crc = 0;
  for (const section of sections) {
    for (let at = 0; at < section.length; ) {
      const take = Math.min(blockSize - filled, section.length - at);
      crc = crc32(section.subarray(at, at + take), crc);
      at += take;
      filled += take;
      if (filled === blockSize) {
        crcs[block++] = crc;
        filled = 0;
        crc = 0;
      }
    }
  }
  if (filled > 0) crcs[block] = crc;
  return crcs;
}

/** The checksum index_shards records: the whole-file CRC (v3) or the header's CRC, which covers every block's (v4). */
export function shardChecksum(bytes: Buffer): number {
  return new BinaryShard(bytes).checksum!;
}

export function u32(a: Uint32Array): Buffer {
  const b = Buffer.alloc(a.length * 4);
  for (let i = 0; i < a.length; i++) b.writeUInt32LE(a[i]!, i * 4);
  return b;
}

export class ByteWriter {
  private buf = Buffer.alloc(1 << 20);
  /** float32 through a DataView: Buffer.writeFloatLE checks and copies byte by byte (a shard writes ~10⁶). */
  private view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.length);
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
    this.view.setFloat32(this.length, v, true);
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

/**
 * Block size of the version 4 shards written now: a cold word query reads a few blocks per shard beyond the
 * dictionary. 4 KiB since the thirteenth session (16 KiB before: a fuzzy or wildcard word's lists are
 * scattered over the list section, and whole blocks are read and checked, so `tresorier~2` read 20 MiB for
 * 4.4 MiB of lists at 1M). The header records it: shards of another size are read as they are, and
 * `casefile index` rewrites them (index-repair.ts).
 */
export const BLOCK_SIZE = 4 * 1024;

interface Header extends Partial<ShardIdentity> {
  version: number;
  fields: string[];
  terms: number;
  blockSize?: number;
  bodyBytes?: number;
  termBlobBytes?: number;
  listBytes?: number;
  filterCount?: number;
}

/** Where the sections are, within the shard's bytes (ShardBytes positions). */
interface Layout {
  header: Header;
  src: ShardBytes;
  checksum: number | null;
  fileBytes: number;
  termOffsetsAt: number;
  termBlobAt: number;
  termBlobBytes: number;
  listOffsetsAt: number;
  listBlobAt: number;
  /** Where the pair filters start, or -1 (version 1 shards have none). */
  filtersAt: number;
  filterCount: number;
}

/**
 * A search shard. Versions 1–3 are one Buffer (checked whole by CRC-32 when read, version 3); version 4 is
 * read from its file on demand (BinaryShard.openFile): the header and the CRC of every 16 KiB block when
 * opened, the dictionary when a query first needs it, then only the blocks of the posting lists and pair
 * filters a query touches, each checked against its CRC when read. A damaged block throws ShardDamaged
 * (with the shard's `seq`) whenever it is needed; the searcher then sets the shard aside.
 */
export class BinaryShard {
  readonly fields: string[];
  readonly termCount: number;
  readonly version: number;
  /** The case and range the shard was written for (version 3 and 4), or null (older shards). */
  readonly identity: ShardIdentity | null;
  /** CRC-32 of the content (v3) or of the header that holds every block's CRC (v4). */
  readonly checksum: number | null;
  /** Size of the shard file. */
  readonly fileBytes: number;
  private readonly l: Layout;
  private dictionary: { offsets: Buffer; blob: Buffer } | null = null;
  private filters: PairFilterSection | null = null;
  /** The shard's file (openFile), where its sideways pair filters are looked for; undefined: not looked yet. */
  private file: string | null = null;
  private slices: PairSlices | null | undefined;
  private decoded: SortedTerms | null = null;
  private lazy: string[] | null = null;
  private lazyDict: SortedTerms | null = null;

  /** Throws ShardDamaged when the bytes are not a whole, intact shard. */
  constructor(input: Buffer | Layout, private readonly seq?: number) {
    const l = Buffer.isBuffer(input) ? layoutOfBuffer(input) : input;
    this.l = l;
    this.version = l.header.version;
    this.fields = l.header.fields;
    this.termCount = l.header.terms;
    this.checksum = l.checksum;
    this.fileBytes = l.fileBytes;
    const h = l.header;
    this.identity = h.version >= 3 ? { caseId: h.caseId!, seq: h.seq!, firstId: h.firstId!, lastId: h.lastId!, docs: h.docs! } : null;
  }

  /** Open a shard file: a version 4 shard stays on disk (its descriptor is held until close()); older ones are read whole. */
  static openFile(file: string, seq?: number): BinaryShard {
    const fd = openSync(file, 'r');
    let keep = false;
    try {
      const size = fstatSync(fd).size;
      const first = readAt(fd, 0, Math.min(size, HEAD_PROBE_BYTES));
      if (first.length >= 12 && first.subarray(0, 8).equals(MAGIC)) {
        const headerLen = first.readUInt32LE(8);
        const head = headerLen + 12 <= first.length ? first : readAt(fd, 0, headerLen + 12);
        const header = parseHeader(head, size);
        if (header.version === 4) {
          const layout = layoutV4(header, headerLen, size, (len) => (len <= first.length ? first : readAt(fd, 0, len)), (body, crcs) => new BlockFile(fd, body, header.bodyBytes!, header.blockSize!, crcs));
          keep = true;
          const shard = new BinaryShard(layout, seq);
          shard.file = file;
          return shard;
        }
      }
      return new BinaryShard(size <= first.length ? first : readAt(fd, 0, size), seq);
    } catch (err) {
      throw err instanceof BlockDamaged ? new ShardDamaged(err.message, seq) : err;
    } finally {
      if (!keep) closeSync(fd);
    }
  }

  /** Release the file (version 4). */
  close(): void {
    this.l.src.close();
    this.slices?.close();
  }

  /** The size of the blocks each CRC covers (version 4), else null. */
  get blockSize(): number | null {
    return this.l.header.blockSize ?? null;
  }

  /** Read and check every block (version 4; older shards were checked when read). */
  verify(): void {
    this.guard(() => this.l.src.verifyAll());
  }

  /** About the memory the shard holds: a whole-file shard its Buffer, a file-backed one its dictionary, pair filters and block cache. */
  get memoryBytes(): number {
    if (this.version < 4) return this.fileBytes;
    // Dictionary, pair filters (the body's last section, read whole by the first phrase) and the block cache.
    const { listOffsetsAt, termOffsetsAt, filtersAt, header } = this.l;
    // Plus the terms as strings once a wildcard or fuzzy word decoded them (allTerms, lazyTerms): ≤ ≈1.4 MB for 20,000 messages.
    const decoded = this.decoded || this.lazy ? this.l.termBlobBytes + this.termCount * 32 : 0;
    return Math.min(this.fileBytes, listOffsetsAt - termOffsetsAt + (header.bodyBytes! - filtersAt) + CACHED_BYTES + decoded);
  }

  /** Run `fn`, turning a damaged block into ShardDamaged naming this shard. */
  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw err instanceof BlockDamaged ? new ShardDamaged(err.message, this.seq) : err;
    }
  }

  /** The sorted dictionary's bytes: u32 offsets and the UTF-8 blob (also read by the case dictionary's builder). */
  dict(): { offsets: Buffer; blob: Buffer } {
    const { src, termOffsetsAt, termBlobAt, termBlobBytes } = this.l;
    this.dictionary ??= this.guard(() => ({ offsets: src.slice(termOffsetsAt, termBlobAt), blob: src.slice(termBlobAt, termBlobAt + termBlobBytes) }));
    return this.dictionary;
  }

  /**
   * False only when message `id` certainly lacks one of the adjacent word pairs (hashes from
   * phrase-pairs.ts) in its subject and body; true when it may have them all, or when unknown.
   */
  mayContainPairs(id: number, hashes: number[]): boolean {
    if (this.l.filtersAt < 0 || hashes.length === 0) return true;
    const mask = this.pairMask(hashes);
    if (mask) return id < this.identity!.firstId || id > this.identity!.lastId || mask[id - this.identity!.firstId] === 1;
    return this.filterSection().mayContain(id, hashes);
  }

  /**
   * mayContainPairs for every message of the shard at once, by id − firstId, from the sideways filters
   * (pair-slices.ts); null when they are not there (or damaged: then the shard's own filters answer).
   */
  pairMask(hashes: number[]): Uint8Array | null {
    if (this.l.filtersAt < 0) return null;
    if (this.slices === undefined) this.slices = this.file ? PairSlices.open(this.file, this) : null;
    if (!this.slices) return null;
    try {
      return this.slices.mask(hashes);
    } catch (err) {
      if (!(err instanceof BlockDamaged)) throw err;
      this.slices.close(); // a damaged sidecar: the shard's own filters give the same answers
      this.slices = null;
      return null;
    }
  }

  /**
   * The pair filters, read whole when a phrase first needs them: a phrase checks thousands of candidates
   * spread over the shard, so one sequential read beats a block per candidate (measured: "second tour"
   * was slower than reading the whole version 3 file when read block by block).
   */
  private filterSection(): PairFilterSection {
    const { src, filtersAt, filterCount } = this.l;
    this.filters ??= this.guard(() => {
      const offsetsAt = filtersAt + filterCount * 4;
      const blobAt = offsetsAt + (filterCount + 1) * 4;
      const offsets = src.slice(offsetsAt, blobAt);
      return new PairFilterSection(src.slice(filtersAt, offsetsAt), offsets, src.slice(blobAt, blobAt + offsets.readUInt32LE(filterCount * 4)));
    });
    return this.filters;
  }

  get bytes(): number {
    return this.fileBytes;
  }

  termAt(i: number): string {
    const { offsets, blob } = this.dict();
    return blob.toString('utf8', offsets.readUInt32LE(i * 4), offsets.readUInt32LE(i * 4 + 4));
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

  /** The posting list of `term` (or of the term of that rank in this shard's dictionary: case-terms.ts) in each of `fields` that has one (its bytes). */
  private lists(term: string | number, fields: string[]): Buffer[] {
    const ti = typeof term === 'number' ? term : this.find(term);
    if (ti < 0) return [];
    const { src, listOffsetsAt, listBlobAt } = this.l;
    return this.guard(() => {
      const out: Buffer[] = [];
      // The term's row of list offsets in one slice (a look-up in the block cache per field was most of a rare term's cost).
      const width = this.fields.length;
      const row = src.slice(listOffsetsAt + ti * width * 4, listOffsetsAt + (ti + 1) * width * 4 + 4);
      for (const field of fields) {
        const fi = this.fields.indexOf(field);
        if (fi < 0) continue;
        const start = row.readUInt32LE(fi * 4);
        const end = row.readUInt32LE(fi * 4 + 4);
        if (start !== end) out.push(src.slice(listBlobAt + start, listBlobAt + end));
      }
      return out;
    });
  }

  /** Ids and weights of the list of term `ti` in field `fi` (a ShardSource reading this shard: upgrades). */
  listAt(ti: number, fi: number, ids: number[], weights: number[]): number {
    const { src, listOffsetsAt, listBlobAt } = this.l;
    const k = ti * this.fields.length + fi;
    const list = this.guard(() => src.slice(listBlobAt + src.u32(listOffsetsAt + k * 4), listBlobAt + src.u32(listOffsetsAt + (k + 1) * 4)));
    if (list.length === 0) return 0;
    const posting = decodeIds(list);
    posting.ids.forEach((id, i) => {
      ids[i] = id;
      weights[i] = list.readFloatLE(posting.weightsAt + i * 4);
    });
    return posting.ids.length;
  }

  /** Every message's pair filter, as written (upgrades). */
  pairFilters(): Map<number, Uint8Array> {
    const out = new Map<number, Uint8Array>();
    if (this.l.filtersAt < 0) return out;
    const { ids, offsets, blob } = this.filterSection();
    for (let i = 0; i < this.l.filterCount; i++) out.set(ids[i]!, Uint8Array.from(blob.subarray(offsets[i], offsets[i + 1])));
    return out;
  }

  /** About how many messages contain `term` (the longest of its lists in `fields`; no list decoded). */
  docCount(term: string | number, fields: string[]): number {
    let best = 0;
    for (const list of this.lists(term, fields)) best = Math.max(best, readVarint(list, { at: 0 }));
    return best;
  }

  /** Add the weight of `term` in each of `fields` to the score of every message containing it. */
  addHits(term: string, fields: string[], out: Map<number, number>): void {
    for (const list of this.lists(term, fields)) {
      const { ids, weightsAt } = decodeIds(list);
      for (let i = 0; i < ids.length; i++) {
        const w = list.readFloatLE(weightsAt + i * 4);
        out.set(ids[i]!, (out.get(ids[i]!) ?? 0) + w);
      }
    }
  }

  /**
   * addHits into typed arrays over the shard's id range (`scores[id - base]`, `seen` marking hits): the
   * many terms of a wildcard or fuzzy word are summed without a Map operation per posting
   * (posting-sum.ts). Returns how many messages were marked for the first time. With `mask`, only the
   * messages it marks (by id − base) are summed.
   */
  addHitsTo(term: string | number, fields: string[], base: number, scores: Float64Array, seen: Uint8Array, mask?: Uint8Array): number {
    let added = 0;
    for (const list of this.lists(term, fields)) {
      try {
        added += mask ? sumPostingsWhere(list, base, scores, seen, mask) : sumPostings(list, base, scores, seen);
      } catch (err) {
        if (err instanceof OutsideRange || err instanceof BlockDamaged) throw new ShardDamaged(err.message, this.seq);
        throw err;
      }
    }
    return added;
  }

  /**
   * addHitsTo for each of `refs` in turn (same additions, same order), their lists' blocks read first in
   * runs (shard-bytes.ts pin): a wildcard's hundreds of lists in a shard cost a few reads, not one per
   * block. The rows of list offsets are read ahead the same way, then the lists they point to.
   */
  sumTerms(refs: (string | number)[], fields: string[], base: number, scores: Float64Array, seen: Uint8Array, deadline?: Deadline, mask?: Uint8Array): number {
    const { src, listOffsetsAt, listBlobAt } = this.l;
    if (!src.pin || refs.length === 0) return this.sumEach(refs, fields, base, scores, seen, deadline, mask);
    const ranks = refs.map((r) => (typeof r === 'number' ? r : this.find(r))).filter((r) => r >= 0);
    const width = this.fields.length;
    const fis = fields.map((f) => this.fields.indexOf(f)).filter((fi) => fi >= 0);
    try {
      this.guard(() => {
        src.pin!(ranks.map((ti) => listOffsetsAt + ti * width * 4), ranks.map((ti) => listOffsetsAt + (ti + 1) * width * 4 + 4));
        const starts: number[] = [];
        const ends: number[] = [];
        for (const ti of ranks) {
          const row = src.slice(listOffsetsAt + ti * width * 4, listOffsetsAt + (ti + 1) * width * 4 + 4);
          for (const fi of fis) {
            starts.push(listBlobAt + row.readUInt32LE(fi * 4));
            ends.push(listBlobAt + row.readUInt32LE(fi * 4 + 4));
          }
        }
        src.pin!(starts, ends);
      });
      return this.sumEach(ranks, fields, base, scores, seen, deadline, mask);
    } finally {
      src.unpin!();
    }
  }

  private sumEach(refs: (string | number)[], fields: string[], base: number, scores: Float64Array, seen: Uint8Array, deadline?: Deadline, mask?: Uint8Array): number {
    let added = 0;
    for (const ref of refs) {
      deadline?.check();
      added += this.addHitsTo(ref, fields, base, scores, seen, mask);
    }
    return added;
  }

  /** Index terms matching a wildcard or fuzzy pattern, read from the sorted dictionary on disk. */
  expand(term: string, editDistance: number, deadline?: Deadline): string[] {
    // A leading wildcard (every term) walks the dictionary decoded at once; a fuzzy word (2,000–10,000
    // look-ups, often of the same term) keeps each term it decodes; a wildcard with a literal prefix
    // (`camp*`: ≈20 look-ups) reads its few terms from the bytes.
    if (editDistance) return expandFuzzy(this.decoded ?? this.lazyTerms(), term, editDistance, deadline);
    return expandWildcard(term.startsWith('*') ? this.allTerms() : this, term, deadline);
  }

  /** The dictionary with each term decoded on first look-up and kept (a fuzzy walk reads most terms it touches twice). */
  private lazyTerms(): SortedTerms {
    if (!this.lazy) {
      const cache = (this.lazy = new Array<string>(this.termCount));
      this.lazyDict = { termCount: this.termCount, termAt: (i) => (cache[i] ??= this.termAt(i)) };
    }
    return this.lazyDict!;
  }

  /**
   * Every term as a string, decoded when a leading wildcard first walks the whole dictionary (`*tion`):
   * decoding each from its bytes cost more than the walk itself. One UTF-8 decode of the term blob, then
   * each term is a substring at its code-unit offset (≈35,000 terms, ≈0.3 MB of text per 20,000 messages).
   */
  private allTerms(): SortedTerms {
    if (this.decoded) return this.decoded;
    const { offsets, blob } = this.dict();
    const terms = decodeTerms(offsets, blob, 0, this.termCount);
    this.decoded = sortedArray(terms);
    return this.decoded;
  }
}

/**
 * A posting list as encodeShardSource writes it: varint n, n varint id deltas; returns the ids (ascending)
 * and where its n float32 weights start. The one decoder of listAt, addHits and addHitsTo.
 */
function decodeIds(list: Buffer): { ids: number[]; weightsAt: number } {
  const pos = { at: 0 };
  const ids = new Array<number>(readVarint(list, pos));
  let id = 0;
  for (let i = 0; i < ids.length; i++) ids[i] = id += readVarint(list, pos);
  return { ids, weightsAt: pos.at };
}

export function readVarint(buf: Buffer, pos: { at: number }): number {
  let v = 0;
  for (let mul = 1; ; mul *= 128) {
    const byte = buf[pos.at++];
    // Past the end (a list cut short): undefined would never end the loop.
    if (byte === undefined) throw new BlockDamaged('a number runs past the end of its section');
    v += (byte & 0x7f) * mul;
    if (byte < 0x80) return v;
  }
}

/** The JSON header of a shard whose first 12 + header length bytes are in `buf`. */
function parseHeader(buf: Buffer, size: number): Header {
  if (buf.length < 16 || !buf.subarray(0, 8).equals(MAGIC)) throw new ShardDamaged('not a Casefile shard file');
  const headerLen = buf.readUInt32LE(8);
  if (12 + headerLen > Math.min(buf.length, size)) throw new ShardDamaged('truncated (header)');
  let header: Header;
  try {
    header = JSON.parse(buf.toString('utf8', 12, 12 + headerLen));
  } catch {
    throw new ShardDamaged('damaged header');
  }
  if (![1, 2, 3, 4].includes(header.version)) throw new ShardDamaged(`unsupported shard version ${header.version}`);
  return header;
}

/**
 * Version 4: "CFSHARD1" | u32 header length | header JSON | u32 CRC-32 of each block of the body |
 * u32 CRC-32 of all that | body (the sections of version 2, positions from the header's lengths).
 */
function layoutV4(header: Header, headerLen: number, size: number, headBytes: (len: number) => Buffer, source: (bodyAt: number, crcs: Uint32Array) => ShardBytes): Layout {
  const blocks = Math.ceil(header.bodyBytes! / header.blockSize!);
  const crcsAt = 12 + headerLen;
  const bodyAt = crcsAt + blocks * 4 + 4;
  if (bodyAt > size) throw new ShardDamaged('truncated (header)');
  const head = headBytes(bodyAt);
  const checksum = head.readUInt32LE(bodyAt - 4);
  if (crc32(head.subarray(0, bodyAt - 4)) !== checksum) throw new ShardDamaged('checksum mismatch in the header (damaged)');
  if (size !== bodyAt + header.bodyBytes!) throw new ShardDamaged(`truncated (${size} bytes, ${bodyAt + header.bodyBytes!} written)`);
  const crcs = u32sAt(head, crcsAt, blocks);
  const termBlobAt = (header.terms + 1) * 4;
  const listOffsetsAt = termBlobAt + header.termBlobBytes!;
  const listBlobAt = listOffsetsAt + (header.terms * header.fields.length + 1) * 4;
  const filtersAt = listBlobAt + header.listBytes! + 4;
  return { header, src: source(bodyAt, crcs), checksum, fileBytes: size, termOffsetsAt: 0, termBlobAt, termBlobBytes: header.termBlobBytes!, listOffsetsAt, listBlobAt, filtersAt, filterCount: header.filterCount! };
}

/** Versions 1–3 (and 4 when given whole, as in tests): every byte is in `buf`, checked now. */
function layoutOfBuffer(buf: Buffer): Layout {
  const header = parseHeader(buf, buf.length);
  const headerLen = buf.readUInt32LE(8);
  if (header.version === 4) {
    const layout = layoutV4(header, headerLen, buf.length, () => buf, (bodyAt, crcs) => {
      const body = buf.subarray(bodyAt);
      for (let n = 0; n < crcs.length; n++) {
        if (crc32(body.subarray(n * header.blockSize!, (n + 1) * header.blockSize!)) !== crcs[n]) throw new ShardDamaged(`checksum mismatch in block ${n} (damaged)`);
      }
      return new BufferBytes(body);
    });
    return layout;
  }
  let checksum: number | null = null;
  if (header.version === 3) {
    checksum = buf.readUInt32LE(buf.length - 4);
    if (crc32(buf.subarray(0, buf.length - 4)) !== checksum) throw new ShardDamaged('checksum mismatch (damaged or truncated)');
  }
  const termOffsetsAt = 12 + headerLen;
  const termBlobAt = termOffsetsAt + (header.terms + 1) * 4;
  if (termBlobAt > buf.length) throw new ShardDamaged('truncated');
  const termBlobBytes = buf.readUInt32LE(termOffsetsAt + header.terms * 4);
  const listOffsetsAt = termBlobAt + termBlobBytes;
  const listBlobAt = listOffsetsAt + (header.terms * header.fields.length + 1) * 4;
  if (listBlobAt > buf.length) throw new ShardDamaged('truncated');
  const filters = listBlobAt + buf.readUInt32LE(listBlobAt - 4);
  if (filters > buf.length) throw new ShardDamaged('truncated');
  const filtersAt = header.version >= 2 ? filters + 4 : -1;
  const filterCount = header.version >= 2 ? buf.readUInt32LE(filters) : 0;
  const end = filtersAt < 0 ? filters : filtersAt + filterCount * 8 + 4;
  if (end > buf.length) throw new ShardDamaged('truncated');
  return { header, src: new BufferBytes(buf), checksum, fileBytes: buf.length, termOffsetsAt, termBlobAt, termBlobBytes, listOffsetsAt, listBlobAt, filtersAt, filterCount };
}

/** A shard file that cannot be used as it is (search goes on without it; `casefile index` rebuilds it). */
export class ShardDamaged extends Error {
  override name = 'ShardDamaged';
  /** The shard's seq, when known (a block found damaged during a query). */
  constructor(message: string, readonly seq?: number) {
    super(message);
  }
}
