import type { ShardSource } from './binary-shard';
import { detached } from '../util/detached';
import { indexPipeline, lunr, MAX_TOKEN_LENGTH } from './text-analysis';
import { TokenScanner, TokenTable } from './token-scan';

/** The indexed fields, in Lunr's field order (the order the shard lists them). */
export const INDEX_FIELDS = ['subject', 'from', 'to', 'cc', 'body', 'filename', 'attachment'] as const;

// Lunr's own BM25 parameters, read from a Builder so they stay whatever Lunr uses.
const defaults = new lunr.Builder() as unknown as { _k1: number; _b: number };
const K1 = defaults._k1;
const B = defaults._b;

/** Raw tokens whose analysis is remembered (cleared when full: memory stays bounded). */
const TOKEN_CACHE_MAX = 500_000;

/**
 * Occurrences (distinct document × field × term) after which a shard is sealed, whatever its document count
 * (issue 15 item 3): the builder holds 12 bytes an occurrence, and a message adds up to ≈ 15,000 from its
 * body alone (MAX_INDEXED_BODY) plus its attachments' text, so a count bound alone let a shard of long
 * messages take hundreds of MiB. 1.5 Mi fits the arrays' 2 Mi capacity (24 MiB) with room for one more
 * long message. Generated mail has ≈ 128 occurrences a message: its 10,000-message shards (≈ 1.28 Mi) are
 * sealed by count, as before.
 */
export const SHARD_OCCURRENCES = 3 << 19;

/**
 * A streaming equivalent of lunr.Builder for one shard: the same tokens as lunr.tokenizer (token-scan.ts) and the same
 * pipeline (text-analysis.ts: Lunr's stop-word filters and the lunr-languages stemmers), the same terms,
 * postings and BM25 field weights (k1, b, average field length, idf as Lunr computes them: see build()),
 * without Lunr's per-occurrence objects, its Vector and TokenSet, or its JSON.
 *
 * Why: Lunr's builder was the largest cost of ingest (≈1,000 docs/s per core, most of it in object
 * property lookups and garbage collection over its nested per-document objects) and of its memory (≈1 GiB
 * for a 10,000-message shard). Here a document's occurrences are appended to flat typed arrays, and the
 * per-(term, field) lists are produced by one counting sort when the shard is written. The analysis of
 * each distinct raw token is run once through Lunr's pipeline and remembered (mail vocabulary is Zipfian).
 * Equality with lunr.Builder is tested on real corpora (test/integration/shard-builder-equivalence.test.ts).
 */
export class ShardBuilder {
  private readonly pipeline = indexPipeline();
  /** Raw token → ids of the terms the pipeline makes of it. */
  private cache = new TokenTable<number[]>();
  private readonly scan = new TokenScanner();
  private readonly termIds = new Map<string, number>();
  private readonly terms: string[] = [];
  /** Message id of each document, by ordinal (strictly increasing). */
  private readonly docIds: number[] = [];
  /** Per field: the number of terms of each document's field (Lunr's fieldLengths). */
  private readonly fieldLengths: number[][] = INDEX_FIELDS.map(() => []);
  /** One entry per distinct (document, field, term): term id, document ordinal × fields + field, frequency. */
  private occTerm: Uint32Array = new Uint32Array(1 << 16);
  private occDocField: Uint32Array = new Uint32Array(1 << 16);
  private occTf: Uint32Array = new Uint32Array(1 << 16);
  private occ = 0;
  /** Term frequencies within the field being added: per term id, its count and which field it was for. */
  private tfCount: Uint32Array = new Uint32Array(1 << 16);
  private tfStamp: Int32Array = new Int32Array(1 << 16).fill(-1);
  private readonly touched: number[] = [];
  /** build()'s occurrences in list order, kept for the next build (the tail shard is built again and again). */
  private listDoc = new Uint32Array(0);
  private listTf = new Uint32Array(0);
  private spent = false;

  /**
   * `previous`: the builder of the shard before, whose analysis of raw tokens is carried over (its term ids
   * renumbered for this shard), so a new shard does not run Lunr's pipeline again on the vocabulary the last
   * one already analysed (≈ a quarter of a 10,000-message shard's build, issue 15). Terms carried over
   * but never used here are left out of the shard (build()).
   */
  constructor(previous?: ShardBuilder) {
    if (!previous) return;
    previous.spend();
    // The previous shard's arrays are taken over (emptied) rather than grown again from 64 Ki entries:
    // the worker then holds one set at the size its shards need, not a new set per shard plus the
    // garbage of each doubling, which ArrayBuffers leave to the next full collection (issue 15 item 3).
    this.occTerm = previous.occTerm;
    this.occDocField = previous.occDocField;
    this.occTf = previous.occTf;
    this.listDoc = previous.listDoc;
    this.listTf = previous.listTf;
    this.tfCount = previous.tfCount;
    this.tfStamp = previous.tfStamp.fill(-1);
    for (const [raw, hash, ids] of previous.cache.entries()) this.cache.add(raw, hash, ids.map((id) => this.termId(previous.terms[id]!)));
  }

  get docCount(): number {
    return this.docIds.length;
  }

  /** The shard has SHARD_OCCURRENCES or more: seal it, whatever its document count. */
  get full(): boolean {
    return this.occ >= SHARD_OCCURRENCES;
  }

  /** Its arrays now belong to the next shard's builder: using this one again would be a bug. */
  private spend(): void {
    if (this.spent) throw new Error('index: a shard builder was carried over twice');
    this.spent = true;
  }

  add(doc: { id: number } & Record<(typeof INDEX_FIELDS)[number], string>): void {
    if (this.spent) throw new Error('index: a spent shard builder was added to');
    const last = this.docIds[this.docIds.length - 1];
    if (last !== undefined && doc.id <= last) throw new Error(`index: message ${doc.id} after ${last} (ids must increase)`);
    const ordinal = this.docIds.length;
    this.docIds.push(doc.id);
    const F = INDEX_FIELDS.length;
    const { scan, touched } = this;
    for (let f = 0; f < F; f++) {
      const docField = ordinal * F + f;
      touched.length = 0;
      let length = 0;
      const text = doc[INDEX_FIELDS[f]!].toLowerCase();
      scan.reset(text);
      while (scan.next()) {
        const ids = this.cache.get(text, scan.start, scan.end, scan.hash) ?? this.analyse(text.slice(scan.start, scan.end), scan.hash);
        for (let k = 0; k < ids.length; k++) {
          const id = ids[k]!;
          length++;
          if (this.tfStamp[id] !== docField) {
            this.tfStamp[id] = docField;
            this.tfCount[id] = 0;
            touched.push(id);
          }
          this.tfCount[id]!++;
        }
      }
      this.fieldLengths[f]!.push(length);
      for (const id of touched) this.push(id, docField, this.tfCount[id]!);
    }
  }

  /**
   * Ids of the terms Lunr's pipeline makes of a token not in the cache. They depend on the token's text
   * only (the pipeline never reads a token's metadata), so a lunr.Token is made only for text not seen before.
   */
  private analyse(raw: string, hash: number): number[] {
    if (this.cache.size >= TOKEN_CACHE_MAX) this.cache = new TokenTable();
    const ids = this.pipeline.run([new lunr.Token(raw, {})]).map((t) => this.termId(t.toString()));
    // Over-long tokens (encoded junk) are not remembered: the memory bound is in entries, not bytes.
    if (raw.length <= MAX_TOKEN_LENGTH) this.cache.add(detached(raw), hash, ids);
    return ids;
  }

  private termId(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.terms.length;
      const own = detached(term);
      this.terms.push(own);
      this.termIds.set(own, id);
      if (id === this.tfCount.length) {
        this.tfCount = grow(this.tfCount);
        const stamp = new Int32Array(id * 2).fill(-1);
        stamp.set(this.tfStamp);
        this.tfStamp = stamp;
      }
    }
    return id;
  }

  private push(term: number, docField: number, tf: number): void {
    if (this.occ === this.occTerm.length) {
      this.occTerm = grow(this.occTerm);
      this.occDocField = grow(this.occDocField);
      this.occTf = grow(this.occTf);
    }
    this.occTerm[this.occ] = term;
    this.occDocField[this.occ] = docField;
    this.occTf[this.occ] = tf;
    this.occ++;
  }

  /**
   * The shard's posting lists with Lunr's weights. Does not consume the builder: more documents can be
   * added and build() called again (the tail shard is rewritten until it fills). The source reads arrays
   * the next build() reuses: encode it before adding to the builder again.
   */
  build(): ShardSource {
    if (this.spent) throw new Error('index: a spent shard builder was built');
    const F = INDEX_FIELDS.length;
    const n = this.docIds.length;
    const T = this.terms.length;
    // Lunr: average field length = Σ lengths ÷ number of documents (every document has every field).
    const avg = this.fieldLengths.map((lengths) => lengths.reduce((s, l) => s + l, 0) / n);
    // Counting sort of the occurrences by (term, field); stable, so each list stays in id order.
    const start = new Uint32Array(T * F + 1);
    for (let i = 0; i < this.occ; i++) start[this.occTerm[i]! * F + (this.occDocField[i]! % F) + 1]!++;
    for (let k = 0; k < T * F; k++) start[k + 1]! += start[k]!;
    // The occurrences' documents and frequencies are moved into list order here, so list() reads them in
    // sequence (gathering them through an index of positions missed the CPU cache on almost every posting).
    if (this.listDoc.length < this.occ) {
      this.listDoc = new Uint32Array(this.occTerm.length);
      this.listTf = new Uint32Array(this.occTerm.length);
    }
    const { listDoc, listTf } = this;
    const fill = start.slice(0, T * F);
    for (let i = 0; i < this.occ; i++) {
      const docField = this.occDocField[i]!;
      const at = fill[this.occTerm[i]! * F + (docField % F)]!++;
      listDoc[at] = (docField / F) | 0;
      listTf[at] = this.occTf[i]!;
    }
    // Lunr's idf: documents with the term counted once per field that has it (lunr.idf).
    const idf = (term: number): number => {
      const withTerm = start[(term + 1) * F]! - start[term * F]!;
      const x = (n - withTerm + 0.5) / (withTerm + 0.5);
      return Math.log(1 + Math.abs(x));
    };
    // The terms with postings in this shard (a term carried over from the previous shard may have none).
    const sorted = this.terms.filter((_, term) => start[(term + 1) * F]! > start[term * F]!).sort();
    // Term id of each rank, looked up once per term (list() is called once per term and field).
    const idOfRank = new Uint32Array(sorted.length);
    for (let t = 0; t < sorted.length; t++) idOfRank[t] = this.termIds.get(sorted[t]!)!;
    const { docIds, fieldLengths } = this;
    return {
      fields: [...INDEX_FIELDS],
      terms: sorted,
      list(t, f, ids, weights) {
        const term = idOfRank[t]!;
        const from = start[term * F + f]!;
        const to = start[term * F + f + 1]!;
        if (from === to) return 0;
        const termIdf = idf(term);
        const lengths = fieldLengths[f]!;
        const avgLength = avg[f]!;
        for (let k = from; k < to; k++) {
          const doc = listDoc[k]!;
          const tf = listTf[k]!;
          // Lunr's createFieldVectors, operation for operation (field and document boosts are 1).
          const score = (termIdf * ((K1 + 1) * tf)) / (K1 * (1 - B + B * (lengths[doc]! / avgLength)) + tf);
          ids[k - from] = docIds[doc]!;
          weights[k - from] = Math.round(score * 1000) / 1000;
        }
        return to - from;
      },
    };
  }
}

function grow(a: Uint32Array): Uint32Array {
  const b = new Uint32Array(a.length * 2);
  b.set(a);
  return b;
}
