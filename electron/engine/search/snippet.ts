import type { EvalNotes } from './query-eval';
import { fold, normalizeWord, stemsOf } from './text-analysis';

export interface Snippet {
  text: string;
  /** [start, end) character ranges of `text` to highlight. */
  highlights: [number, number][];
}

const CONTEXT = 90;
const SCAN_CHARS = 50_000;

/** A short window of the body around the first query match, with the matched words marked. */
export function makeSnippet(body: string, notes: EvalNotes['highlight']): Snippet {
  const text = body.slice(0, SCAN_CHARS);
  const matches = findMatches(text, notes);
  if (matches.length === 0) return { text: compact(text.slice(0, CONTEXT * 2)), highlights: [] };
  const first = matches[0]![0];
  const start = Math.max(0, text.lastIndexOf(' ', Math.max(0, first - CONTEXT)) + 1);
  const end = Math.min(text.length, first + CONTEXT * 2);
  const window = text.slice(start, end);
  // Collapse whitespace while keeping highlight offsets aligned.
  let out = '';
  const map: number[] = [];
  for (let i = 0; i < window.length; i++) {
    const c = window[i]!;
    if (/\s/.test(c)) {
      if (out.endsWith(' ') || out.length === 0) continue;
      map[i] = out.length;
      out += ' ';
    } else {
      map[i] = out.length;
      out += c;
    }
  }
  const highlights: [number, number][] = [];
  for (const [s, e] of matches) {
    if (s < start || e > end) continue;
    const hs = map[s - start];
    const he = map[e - 1 - start];
    if (hs !== undefined && he !== undefined) highlights.push([hs, he + 1]);
  }
  return { text: (start > 0 ? '…' : '') + out.trimEnd() + (end < text.length ? '…' : ''), highlights: start > 0 ? highlights.map(([a, b]) => [a + 1, b + 1]) : highlights };
}

/** Matches in `text`, in order. `prefilter` false: every word read (a test compares both ways). */
export function findMatches(text: string, notes: EvalNotes['highlight'], prefilter = true): [number, number][] {
  const out: [number, number][] = [];
  const word = /[\p{L}\p{N}][\p{L}\p{N}@._'’-]*/gu;
  const stemPrefixes = [...notes.stems].map((s) => s.slice(0, 3));
  let folded: string | undefined; // the prefilter and each phrase read the same folded text: folded once
  const foldedText = () => (folded ??= fold(text));
  if (prefilter && !mayHoldWord(foldedText, [...stemPrefixes, ...notes.prefixes])) return phraseMatches(foldedText, notes, out);
  // The window ends at most 2 × CONTEXT after the first match, and matches past its end are not shown:
  // once a word matched, the rest of a long body need not be read.
  let stopAt = Infinity;
  for (let m = word.exec(text); m && m.index < stopAt; m = word.exec(text)) {
    const w = normalizeWord(m[0]);
    if (!w) continue;
    const quick = stemPrefixes.some((p) => w.startsWith(p)) || notes.prefixes.some((p) => w.startsWith(p));
    if (!quick) continue;
    if (notes.prefixes.some((p) => w.startsWith(p)) || stemsOf(w).some((s) => notes.stems.has(s))) {
      out.push([m.index, m.index + m[0].length]);
      stopAt = Math.min(stopAt, m.index + CONTEXT * 2);
    }
  }
  return phraseMatches(foldedText, notes, out);
}

function phraseMatches(foldedText: () => string, notes: EvalNotes['highlight'], out: [number, number][]): [number, number][] {
  for (const phrase of notes.phrases) {
    const at = foldedText().indexOf(fold(phrase).trim());
    if (at >= 0) out.push([at, at + phrase.trim().length]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

/**
 * False when no word of the text can start with any of `starts`: a matched word is folded from a stretch of the
 * text, so its start is in the folded text (final sigma aside, the one letter whose lower case depends on
 * the next one: compared as σ). A `from:` or `filename:` word is seldom in the body, and reading every word
 * of 50 bodies of up to 50,000 characters for nothing took tens of milliseconds of such a query's page.
 */
function mayHoldWord(foldedText: () => string, starts: string[]): boolean {
  if (starts.length === 0) return false;
  const folded = foldedText().replace(/ς/g, 'σ');
  return starts.some((p) => folded.includes(p.replace(/ς/g, 'σ')));
}

function compact(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
