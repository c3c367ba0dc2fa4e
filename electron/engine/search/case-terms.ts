import path from 'node:path';
import { readVarint } from './binary-shard';
import { openBlockedFile, type BlockFile } from './shard-bytes';
import { INDEX_DIR } from './shard-files';
import type { ShardRecord } from './shard-check';
import { decodeTerms, lowerBound, type SortedTerms } from './term-dictionary';

/**
 * The case's term dictionary: the union of its shards' sorted dictionaries, each term with the shards
 * that hold it and its rank in each one's dictionary. A wildcard or fuzzy word is expanded once per query
 * on it (not once per shard: at 1M messages, 98 walks of ≈32,000 terms each), and each exact term is
 * then read from only the shards that hold it, straight at its rank (no dictionary of theirs is read).
 * A word no shard holds costs one binary search.
 *
 *   "CFTERMS1" | u32 header length | header JSON {version, caseId, shards, terms, termBlobBytes,
 *   entryBytes, blockSize, bodyBytes} | u32 CRC-32 of each 16 KiB block of the body | u32 CRC-32 of all
 *   that | body:
 *   u32[terms + 1]   offsets of each term in the term blob (terms sorted by UTF-16 code unit, as in shards)
 *   term blob        UTF-8
 *   u32[terms + 1]   offsets of each term's entries in the entry blob
 *   entry blob       per term: varint n, then n × (varint delta of the shard's position in `shards`,
 *                    varint the term's rank in that shard's dictionary)
 *
 * `shards` records each shard it was built from as index_shards did (seq, file, range, docs, size,
 * checksum). It stands for a shard only while that record is unchanged: a shard written since (the
 * growing tail, a repaired shard, a later ingest's shards) is searched on its own, as before. A missing
 * or damaged file is not an error: every shard is then searched on its own (same results, slower).
 * Written by case-terms-build.ts (after ingest, and by `casefile index`).
 */
export const CASE_TERMS_FILE = 'terms.bin';
export const CASE_TERMS_MAGIC = Buffer.from('CFTERMS1');
export const CASE_TERMS_VERSION = 1;

export interface CoveredShard extends ShardRecord {
  file: string;
}

export interface CaseTermsHeader {
  version: number;
  caseId: string;
  shards: CoveredShard[];
  terms: number;
  termBlobBytes: number;
  entryBytes: number;
  blockSize: number;
  bodyBytes: number;
}

export const caseTermsPath = (caseDir: string) => path.join(caseDir, INDEX_DIR, CASE_TERMS_FILE);

/** Terms are decoded in runs of this many when first looked at, and kept. */
const CHUNK = 1024;

export class CaseTerms implements SortedTerms {
  readonly termCount: number;
  readonly shards: CoveredShard[];
  private dictionary: { offsets: Buffer; blob: Buffer } | null = null;
  private readonly chunks: (string[] | undefined)[];
  private readonly termBlobAt: number;
  private readonly entryOffsetsAt: number;
  private readonly entryBlobAt: number;

  private constructor(
    header: CaseTermsHeader,
    private readonly src: BlockFile,
  ) {
    this.termCount = header.terms;
    this.shards = header.shards;
    this.chunks = new Array(Math.ceil(header.terms / CHUNK));
    this.termBlobAt = (header.terms + 1) * 4;
    this.entryOffsetsAt = this.termBlobAt + header.termBlobBytes;
    this.entryBlobAt = this.entryOffsetsAt + (header.terms + 1) * 4;
  }

  /**
   * The case's dictionary when its file is there, whole (header CRC, size) and of this case; null
   * otherwise. Blocks are checked when read (BlockDamaged then: the caller searches shard by shard).
   */
  static open(caseDir: string, caseId: string): CaseTerms | null {
    const opened = openBlockedFile<CaseTermsHeader>(caseTermsPath(caseDir), CASE_TERMS_MAGIC);
    if (opened && opened.header.version === CASE_TERMS_VERSION && opened.header.caseId === caseId) return new CaseTerms(opened.header, opened.src);
    opened?.src.close(); // another version or case
    return null;
  }

  close(): void {
    this.src.close();
  }

  /**
   * Position in `shards` of each current shard this dictionary stands for (by seq): those whose record
   * is the one it was built from.
   */
  coverage(current: readonly CoveredShard[]): Map<number, number> {
    const bySeq = new Map(this.shards.map((s, k) => [s.seq, k]));
    const out = new Map<number, number>();
    for (const s of current) {
      const k = bySeq.get(s.seq);
      const c = k === undefined ? undefined : this.shards[k]!;
      if (c && s.checksum !== null && c.checksum === s.checksum && c.file === s.file && c.bytes === s.bytes && c.firstId === s.firstId && c.lastId === s.lastId && c.docs === s.docs) out.set(s.seq, k!);
    }
    return out;
  }

  private dict(): { offsets: Buffer; blob: Buffer } {
    this.dictionary ??= { offsets: this.src.slice(0, this.termBlobAt), blob: this.src.slice(this.termBlobAt, this.entryOffsetsAt) };
    return this.dictionary;
  }

  termAt(i: number): string {
    const c = Math.floor(i / CHUNK);
    let chunk = this.chunks[c];
    if (!chunk) {
      const { offsets, blob } = this.dict();
      chunk = this.chunks[c] = decodeTerms(offsets, blob, c * CHUNK, Math.min(this.termCount, (c + 1) * CHUNK));
    }
    return chunk[i - c * CHUNK]!;
  }

  /** Index of `term`, or -1. */
  find(term: string): number {
    const i = lowerBound(this, term);
    return i < this.termCount && this.termAt(i) === term ? i : -1;
  }

  /** The shards holding term `i` (positions in `shards`) → its rank in each one's dictionary. */
  entries(i: number): Map<number, number> {
    const start = this.src.u32(this.entryOffsetsAt + i * 4);
    const end = this.src.u32(this.entryOffsetsAt + i * 4 + 4);
    const bytes = this.src.slice(this.entryBlobAt + start, this.entryBlobAt + end);
    const pos = { at: 0 };
    const out = new Map<number, number>();
    let k = 0;
    for (let n = readVarint(bytes, pos); n > 0; n--) {
      k += readVarint(bytes, pos);
      out.set(k, readVarint(bytes, pos));
    }
    return out;
  }
}
