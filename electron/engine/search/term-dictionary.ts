import { Deadline, QUERY_LIMITS, QueryCostError } from './query-cost';
import { stemsOf } from './text-analysis';

/**
 * A shard's term dictionary, sorted by UTF-16 code unit (as the binary shard stores it). Wildcard and
 * fuzzy words are expanded by walking it directly — nothing is built in memory first, so they cost the
 * same from a freshly opened case as from a warm one (issue 15, item 3).
 */
export interface SortedTerms {
  readonly termCount: number;
  termAt(i: number): string;
}

/** First index whose term is ≥ `s`. */
export function lowerBound(dict: SortedTerms, s: string, lo = 0): number {
  let hi = dict.termCount;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (dict.termAt(mid) < s) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * First index ≥ `from` whose term does not start with `prefix` (the terms from `from` on that do form
 * one run). Galloping: the runs skipped by the fuzzy walk are mostly short.
 */
export function prefixEnd(dict: SortedTerms, prefix: string, from: number): number {
  let lo = from;
  let step = 1;
  let hi = from + 1;
  while (hi < dict.termCount && dict.termAt(hi).startsWith(prefix)) {
    lo = hi;
    step *= 2;
    hi = from + step;
  }
  hi = Math.min(hi, dict.termCount);
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (dict.termAt(mid).startsWith(prefix)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function tooMany(pattern: string): QueryCostError {
  return new QueryCostError(`"${pattern}" matches more than ${QUERY_LIMITS.maxExpansion.toLocaleString('en')} different words; make it longer or more precise`, pattern);
}

const escape = (s: string) => s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');

/**
 * Terms matching a wildcard pattern (`*` = any run of characters, anywhere in the word). The literal
 * prefix before the first `*` narrows the walk to one range of the dictionary (binary search).
 *
 * Index terms are stems, so a pattern's literal ending may have been cut off by the stemmer: `c*gne`
 * must find the term `campagn` (from "campagne"). A term also matches when putting back a cut-off end
 * of the pattern's last segment gives a word that matches the pattern and stems to that term (checked
 * with the same stemmers the index used), e.g. campagn + e = campagne → campagn.
 */
export function expandWildcard(dict: SortedTerms, pattern: string, deadline = Deadline.none()): string[] {
  const segments = pattern.split('*');
  const prefix = segments[0]!;
  const last = segments.at(-1)!;
  const re = new RegExp(`^${segments.map(escape).join('.*')}$`, 's');
  const out: string[] = [];
  const start = lowerBound(dict, prefix);
  const end = prefixEnd(dict, prefix, start);
  for (let i = start; i < end; i++) {
    deadline.check();
    const t = dict.termAt(i);
    if (re.test(t) || (last && stemmedEndMatches(t, prefix.length, last, re))) {
      if (out.length >= QUERY_LIMITS.maxExpansion) throw tooMany(pattern);
      out.push(t);
    }
  }
  return out;
}

/**
 * Stemmers cut at most a few characters and may change the last one or two (happy → happi). Runs for
 * every term of the range the pattern's regex rejects (all of them for `*tion`), so the cheap test comes
 * first and allocates nothing: does the term, less its last `drop` characters, end with the first `j`
 * characters of the pattern's last segment? Only then is a word built and stemmed.
 */
function stemmedEndMatches(term: string, keep: number, last: string, re: RegExp): boolean {
  for (let drop = 0; drop <= 2 && term.length - drop >= keep; drop++) {
    const baseLen = term.length - drop;
    for (let j = last.length - 1; j >= 1; j--) {
      if (!endsWithHead(term, baseLen, last, j)) continue;
      const word = term.slice(0, baseLen) + last.slice(j);
      if (re.test(word) && stemsOf(word).includes(term)) return true;
    }
  }
  return false;
}

/** term.slice(0, end).endsWith(s.slice(0, j)), without building either string. */
function endsWithHead(term: string, end: number, s: string, j: number): boolean {
  if (end < j) return false;
  for (let k = 0; k < j; k++) if (term.charCodeAt(end - j + k) !== s.charCodeAt(k)) return false;
  return true;
}

/**
 * Terms within `maxEdits` of `word`, with exactly the edits Lunr's fuzzy match allows
 * (lunr.TokenSet.fromFuzzyString: insertion, deletion, substitution, and a transposition that carries
 * a character to the right, each costing one). Instead of Lunr's query automaton intersected with an
 * in-memory trie of every term, a bounded walk over the sorted dictionary: consecutive terms share the
 * state rows of their common prefix, and when no state of a prefix is within `maxEdits` every term
 * starting with it is skipped by binary search.
 */
export function expandFuzzy(dict: SortedTerms, word: string, maxEdits: number, deadline = Deadline.none()): string[] {
  const m = new FuzzyMachine(word, maxEdits);
  const rows: Uint8Array[] = [m.start()];
  const out: string[] = [];
  let prev = ''; // the term whose rows 1..valid are in `rows`
  let valid = 0;
  for (let i = 0; i < dict.termCount; ) {
    deadline.check();
    const t = dict.termAt(i);
    let depth = 0;
    const max = Math.min(valid, t.length, prev.length);
    while (depth < max && t.charCodeAt(depth) === prev.charCodeAt(depth)) depth++;
    let dead = -1;
    for (let d = depth + 1; d <= t.length; d++) {
      rows[d] ??= new Uint8Array(m.size);
      if (!m.step(rows[d - 1]!, t.charCodeAt(d - 1), rows[d]!)) {
        dead = d;
        break;
      }
    }
    prev = t;
    if (dead > 0) {
      valid = dead - 1;
      i = prefixEnd(dict, t.slice(0, dead), i);
      continue;
    }
    valid = t.length;
    if (m.accepts(rows[t.length]!)) {
      if (out.length >= QUERY_LIMITS.maxExpansion) throw tooMany(`${word}~${maxEdits}`);
      out.push(t);
    }
    i++;
  }
  return out;
}

const UNREACHABLE = 255;

/**
 * The states of Lunr's fuzzy automaton after reading a prefix: (j, carry) = the word's first j
 * characters are accounted for, and `carry` (0 = none, else an offset o ≥ 2) names the character
 * word[j - o] that a transposition moved to the right and that still has to come. Each state holds the
 * fewest edits that reach it (UNREACHABLE when more than maxEdits).
 */
class FuzzyMachine {
  readonly size: number;
  private readonly width: number;
  private readonly w: number[];

  constructor(
    word: string,
    private readonly maxEdits: number,
  ) {
    this.w = Array.from({ length: word.length }, (_, i) => word.charCodeAt(i));
    this.width = maxEdits + 2; // carry offsets 2..maxEdits+1, and 0
    this.size = (word.length + 1) * this.width;
  }

  start(): Uint8Array {
    const row = new Uint8Array(this.size).fill(UNREACHABLE);
    row[0] = 0;
    this.close(row);
    return row;
  }

  /** Read character `c`: `to` gets the states after it; false when none is within maxEdits. */
  step(from: Uint8Array, c: number, to: Uint8Array): boolean {
    const { w, width, maxEdits } = this;
    const n = w.length;
    to.fill(UNREACHABLE);
    // Values above maxEdits are harmless (only ≤ maxEdits counts as reached), so no bound checks here.
    // Each `to[k] = min(to[k], e)` is written out: a closure for it was created per step (per character
    // of every term walked) and, through tsx's keepNames, wrapped per call too.
    let k: number;
    let v: number;
    for (let j = 0; j <= n; j++) {
      const at = j * width;
      const e = from[at]!;
      if (e < maxEdits && e + 1 < to[at]!) to[at] = e + 1; // insertion
      if (e <= maxEdits && j < n && (v = c === w[j] ? e : e + 1) < to[(k = at + width)]!) to[k] = v; // match or substitution
      if (e < maxEdits && j + 1 < n && c === w[j + 1] && e + 1 < to[(k = at + 2 * width + 2)]!) to[k] = e + 1; // transposition: w[j] is carried
      for (let o = 2; o < width; o++) {
        const ec = from[at + o]!;
        if (ec > maxEdits) continue;
        if (ec < maxEdits && ec + 1 < to[at + o]!) to[at + o] = ec + 1; // insertion
        if ((v = c === w[j - o] ? ec : ec + 1) < to[at]!) to[at] = v; // the carried character, or its substitution
        if (ec < maxEdits && j < n && c === w[j] && o + 1 < width && ec + 1 < to[(k = at + width + o + 1)]!) to[k] = ec + 1; // carried further
      }
    }
    return this.close(to);
  }

  /**
   * Deletions (no character read): drop the carried character, or the next one of the word. True when
   * some state is within maxEdits (deletions only add edits, so none becomes reachable that way).
   * Minima written inline, not through Math.min: this runs for every character of every term walked.
   */
  private close(row: Uint8Array): boolean {
    const { width, maxEdits } = this;
    const n = this.w.length;
    let alive = false;
    for (let j = 0; j <= n; j++) {
      const at = j * width;
      let e = row[at]!;
      for (let o = 2; o < width; o++) {
        const c = row[at + o]!;
        if (c <= maxEdits) alive = true;
        if (c + 1 < e) e = c + 1;
      }
      row[at] = e;
      if (e <= maxEdits) alive = true;
      if (j < n && e + 1 < row[at + width]!) row[at + width] = e + 1;
    }
    return alive;
  }

  accepts(row: Uint8Array): boolean {
    return row[this.w.length * this.width]! <= this.maxEdits;
  }
}

/** A plain array of terms sorted by code unit, as a dictionary (legacy JSON shards). */
export function sortedArray(terms: string[]): SortedTerms {
  return { termCount: terms.length, termAt: (i) => terms[i]! };
}

/**
 * Terms from..to-1 of a dictionary stored as u32 byte offsets (little-endian) and a UTF-8 blob: one UTF-8
 * decode of their bytes, then each term is a substring at its code-unit offset (decoding each term from
 * its bytes cost more than a walk over all of them).
 */
export function decodeTerms(offsets: Buffer, blob: Buffer, from: number, to: number): string[] {
  const start = offsets.readUInt32LE(from * 4);
  const bytes = blob.subarray(start, offsets.readUInt32LE(to * 4));
  const text = bytes.toString('utf8');
  const n = to - from;
  const ends = new Uint32Array(n + 1); // code-unit offsets: byte offsets when all ASCII
  for (let i = 0; i <= n; i++) ends[i] = offsets.readUInt32LE((from + i) * 4) - start;
  if (text.length !== bytes.length) {
    let unit = 0; // UTF-16 code units before byte `b`
    for (let i = 1, b = 0; i <= n; i++) {
      for (const end = ends[i]!; b < end; b++) if ((bytes[b]! & 0xc0) !== 0x80) unit += bytes[b]! >= 0xf0 ? 2 : 1; // a character starts (4-byte ones are 2 code units)
      ends[i] = unit;
    }
  }
  const terms = new Array<string>(n);
  for (let i = 0; i < n; i++) terms[i] = text.slice(ends[i], ends[i + 1]);
  return terms;
}
