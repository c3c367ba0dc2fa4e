import type { QueryNode } from './query-parser';
import { parseQuery } from './query-parser';
import { normalizeWord, stemsOf, tokenize, TOKEN_SEPARATOR } from './text-analysis';

/**
 * Where a query's hits are in a piece of text (a message body, a text node of its HTML, an attachment's
 * text), as [start, end) character ranges of that text: the viewer marks them and steps through them.
 * Words match as the index matches them — accent and case folded, elisions stripped, either of their
 * English/French stems, parts of addresses and dotted or hyphenated words — wildcards by their whole
 * pattern (`c*gne` marks campagne, not every word starting with c), fuzzy words within their edit
 * distance, phrases as consecutive words. Negated parts and filters mark nothing.
 */
export interface Highlighter {
  ranges(text: string): [number, number][];
  /** False when the query has nothing to mark (filters only, stop words, negations). */
  readonly active: boolean;
}

interface Wanted {
  stems: Set<string>;
  patterns: { re: RegExp; ending: string }[];
  fuzzy: { word: string; stems: string[]; distance: number }[];
  phrases: string[][];
}

/** Tokens exactly as the index cuts them (text-analysis.ts), and the compound parts it also indexes. */
const SEPARATORS = new RegExp(TOKEN_SEPARATOR.source, 'gu');
const COMPOUND = /[@.\-_'’]/;
const PART = /[^@.\-_'’]+/gu;
const EDGES = /^[^\p{L}\p{N}]*(.*?)[^\p{L}\p{N}]*$/su;
const MAX_RANGES = 10_000;

export function highlighter(query: string): Highlighter {
  const want: Wanted = { stems: new Set(), patterns: [], fuzzy: [], phrases: [] };
  collect(parseQuery(query), false, want);
  const active = want.stems.size + want.patterns.length + want.fuzzy.length + want.phrases.length > 0;
  return { active, ranges: (text) => (active ? findRanges(text, want) : []) };
}

function collect(node: QueryNode, negated: boolean, want: Wanted): void {
  switch (node.type) {
    case 'and':
    case 'or':
      for (const item of node.items) collect(item, negated, want);
      return;
    case 'not':
      return collect(node.item, !negated, want);
    case 'term': {
      if (negated) return;
      if (node.wildcard) {
        const pattern = node.text.split('*').map((p) => escapeRegExp(normalizeWord(p))).join('[\\p{L}\\p{N}]*');
        want.patterns.push({ re: new RegExp(`^${pattern}$`, 'u'), ending: normalizeWord(node.text.split('*').at(-1)!) });
      } else {
        const word = normalizeWord(node.text);
        if (!word) return;
        if (node.fuzzy) want.fuzzy.push({ word, stems: stemsOf(word), distance: node.fuzzy });
        else for (const s of stemsOf(word)) want.stems.add(s);
      }
      return;
    }
    case 'phrase': {
      if (negated) return;
      const words = tokenize(node.text).map(normalizeWord).filter(Boolean);
      if (words.length) want.phrases.push(words);
      return;
    }
    default:
      return;
  }
}

function findRanges(text: string, want: Wanted): [number, number][] {
  const out: [number, number][] = [];
  const tokens: { start: number; end: number; word: string }[] = [];
  let from = 0;
  const visit = (raw: string, at: number) => {
    if (!raw) return;
    // The word without the punctuation at its ends, which is what gets marked.
    const core = EDGES.exec(raw)![1]!;
    const start = at + raw.indexOf(core);
    const whole = normalizeWord(raw);
    tokens.push({ start, end: start + core.length, word: whole });
    if (wordMatches(whole, want)) return void out.push([start, start + core.length]);
    if (!COMPOUND.test(core)) return;
    // As the index does: the local part and the domain of an address, and every part, are words too.
    const atSign = core.indexOf('@');
    if (atSign > 0) {
      if (wordMatches(normalizeWord(core.slice(0, atSign)), want)) out.push([start, start + atSign]);
      if (wordMatches(normalizeWord(core.slice(atSign + 1)), want)) out.push([start + atSign + 1, start + core.length]);
    }
    for (const p of core.matchAll(PART)) if (wordMatches(normalizeWord(p[0]), want)) out.push([start + p.index!, start + p.index! + p[0].length]);
  };
  for (const sep of text.matchAll(SEPARATORS)) {
    visit(text.slice(from, sep.index), from);
    from = sep.index! + sep[0].length;
    if (out.length > MAX_RANGES) break;
  }
  if (out.length <= MAX_RANGES) visit(text.slice(from), from);
  for (const phrase of want.phrases) {
    for (let i = 0; i + phrase.length <= tokens.length && out.length <= MAX_RANGES; i++) {
      if (phrase.every((w, k) => tokens[i + k]!.word === w)) out.push([tokens[i]!.start, tokens[i + phrase.length - 1]!.end]);
    }
  }
  return merge(out);
}

function wordMatches(word: string, want: Wanted): boolean {
  if (!word) return false;
  const stems = stemsOf(word);
  if (want.patterns.some((p) => p.re.test(word) || stems.some((s) => stemMatches(s, p)))) return true;
  if (stems.some((s) => want.stems.has(s))) return true;
  return want.fuzzy.some((f) => withinDistance(word, f.word, f.distance) || stems.some((s) => f.stems.some((t) => withinDistance(s, t, f.distance))));
}

/**
 * As the index's wildcard does (term-dictionary.ts): a stem matches when putting back a cut-off end of the
 * pattern gives a word that matches and stems to it (`c*gne` reaches campagnes through campagn+e).
 */
function stemMatches(stem: string, p: { re: RegExp; ending: string }): boolean {
  for (let k = 0; k <= p.ending.length; k++) {
    const word = stem + p.ending.slice(p.ending.length - k);
    if (p.re.test(word) && (k === 0 || stemsOf(word).includes(stem))) return true;
  }
  return false;
}

/** Overlapping or touching ranges (a phrase over its own words) become one. */
function merge(ranges: [number, number][]): [number, number][] {
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const out: [number, number][] = [];
  for (const r of ranges) {
    const last = out.at(-1);
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

/** Edit distance with transpositions (Lunr's fuzzy edits), stopping as soon as it exceeds `max`. */
export function withinDistance(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur.push(d);
      best = Math.min(best, d);
    }
    if (best > max) return false;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length]! <= max;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
