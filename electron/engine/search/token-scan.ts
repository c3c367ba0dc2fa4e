import { TOKEN_SEPARATOR } from './text-analysis';

/**
 * Lunr's token cutting without a string per token (issue 15). lunr.tokenizer lower-cases a field, then cuts
 * it at every UTF-16 unit its separator matches, dropping empty slices: the tokens are the maximal runs of
 * units that are not separators. TokenScanner walks those runs over the lower-cased text and hashes each one
 * as it goes, and TokenTable finds a run's entry by that hash and an in-place comparison, so the index
 * worker's per-token look-up (Zipfian mail vocabulary: almost every token was seen before) allocates
 * nothing and hashes each character once. Before this, `split()` made a string per token and a Map hashed
 * it again: together the largest cost of the index worker. test/unit/lunr-tokens.test.ts holds lunrTokens,
 * which is this scanner, to lunr.tokenizer on every corpus file.
 */

let separators: Uint8Array | null = null;
/** Per UTF-16 unit, 1 where TOKEN_SEPARATOR matches it (the regular expression has no /u: it works on units). */
function separatorTable(): Uint8Array {
  if (separators) return separators;
  const one = new RegExp(`^${TOKEN_SEPARATOR.source.replace(/\+$/, '')}$`);
  const table = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) if (one.test(String.fromCharCode(c))) table[c] = 1;
  return (separators = table);
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** The tokens of a lower-cased text, one after the other: [start, end) and the FNV-1a hash of their units. */
export class TokenScanner {
  private readonly sep = separatorTable();
  private text = '';
  private pos = 0;
  start = 0;
  end = 0;
  hash = 0;

  reset(lowerCased: string): void {
    this.text = lowerCased;
    this.pos = 0;
  }

  /** Moves to the next token; false when there is none. */
  next(): boolean {
    const { text, sep } = this;
    const n = text.length;
    let i = this.pos;
    while (i < n && sep[text.charCodeAt(i)] === 1) i++;
    if (i >= n) {
      this.pos = n;
      return false;
    }
    this.start = i;
    let h = FNV_OFFSET;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (sep[c] === 1) break;
      h = Math.imul(h ^ c, FNV_PRIME);
    }
    this.end = i;
    this.hash = h;
    this.pos = i;
    return true;
  }
}

/** The token texts lunr.tokenizer makes of a string field (lower-cased, in order). */
export function lunrTokens(text: string): string[] {
  const lower = text.toLowerCase();
  const scan = new TokenScanner();
  scan.reset(lower);
  const out: string[] = [];
  while (scan.next()) out.push(lower.slice(scan.start, scan.end));
  return out;
}

/**
 * A hash table from token text to a value, looked up by a slice of a text (text, start, end, hash from
 * TokenScanner) without cutting it out. Open addressing, linear probing, at most half full.
 */
export class TokenTable<V> {
  private keys: (string | undefined)[];
  private hashes: Int32Array;
  private values: (V | undefined)[];
  private mask: number;
  size = 0;

  constructor(capacity = 1 << 16) {
    this.keys = new Array(capacity);
    this.hashes = new Int32Array(capacity);
    this.values = new Array(capacity);
    this.mask = capacity - 1;
  }

  get(text: string, start: number, end: number, hash: number): V | undefined {
    const { keys, hashes, mask } = this;
    const length = end - start;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const key = keys[i];
      if (key === undefined) return undefined;
      if (hashes[i] === hash && key.length === length && sameUnits(key, text, start)) return this.values[i];
    }
  }

  /** Adds a token not in the table (`token` is its text, `hash` TokenScanner's hash of it). */
  add(token: string, hash: number, value: V): void {
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    const { keys, mask } = this;
    let i = hash & mask;
    while (keys[i] !== undefined) i = (i + 1) & mask;
    keys[i] = token;
    this.hashes[i] = hash;
    this.values[i] = value;
    this.size++;
  }

  *entries(): Generator<[string, number, V]> {
    for (let i = 0; i < this.keys.length; i++) if (this.keys[i] !== undefined) yield [this.keys[i]!, this.hashes[i]!, this.values[i]!];
  }

  private grow(): void {
    const old = [...this.entries()];
    const capacity = this.keys.length * 2;
    this.keys = new Array(capacity);
    this.hashes = new Int32Array(capacity);
    this.values = new Array(capacity);
    this.mask = capacity - 1;
    this.size = 0;
    for (const [key, hash, value] of old) this.add(key, hash, value);
  }
}

/** Whether `text` holds `key` at `start` (a loop: String.prototype.startsWith with a position was slower here). */
function sameUnits(key: string, text: string, start: number): boolean {
  for (let k = 0; k < key.length; k++) if (key.charCodeAt(k) !== text.charCodeAt(start + k)) return false;
  return true;
}
