import assert from 'node:assert/strict';
import { test } from 'node:test';
import { phrasePattern, phraseWords } from '../../electron/engine/search/phrase-verifier';
import { PhraseWindow } from '../../electron/engine/search/phrase-window';

// PhraseWindow decodes a window of a body's bytes around its needle; its answer must be the whole text's.
// Texts are built from the phrases' words in every form the pattern treats specially (capitals, accents,
// œ, ſ and the Kelvin sign that /iu folds, letters and digits of other scripts and outside the BMP glued
// to the words), gaps longer than the window's slack, and bytes that are not UTF-8.

const PHRASES = ['second tour', 'pièce jointe', 'cœur de cible', 'vote blanc 2017', 'tour', 'a b', 'ok second', 'kilo tour'];

const PIECES = [
  'second', 'Second', 'SECOND', 'sécond', 'seconde', 'ſecond', 'secondé', 'tour', 'Tour', 'TOUR', 'tours', 'tøur', 'détour',
  'piece', 'pièce', 'Pièce', 'jointe', 'jointes', 'JOINTE', 'coeur', 'cœur', 'Cœur', 'de', 'cible', 'vote', 'blanc', '2017', '٢٠١٧',
  'ok', 'OK', 'kilo', '\u212Ailo', 'a', 'b', 'é', 'œ', 'ж', 'жж', '漢', '𝒜', '𝟙', '٣', '😀', '\u0301', 'x', '9', '_', 'ß',
];
const GAPS = [' ', ' ', ' ', ', ', '\n> ', '-', '’', '\u00a0', '😀', '  \t ', ' '.repeat(45), '...', '', '', '«\u00a0'];

/** A reproducible pseudo-random sequence (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function text(next: () => number, filler: string, phrase: string): string {
  const pick = <T>(a: T[]) => a[Math.floor(next() * a.length)]!;
  const form = (w: string) => pick([w, w, w[0]!.toUpperCase() + w.slice(1), w.toUpperCase()]);
  let out = next() < 0.3 ? filler.slice(0, Math.floor(next() * filler.length)) : '';
  const n = 1 + Math.floor(next() * 12);
  for (let i = 0; i < n; i++) {
    // the phrase itself, in some form, half the time: words glued to neighbours or not, any gap between them
    if (next() < 0.1) out += phrase.split(' ').map(form).join(pick(GAPS.slice(0, 10))) + pick(GAPS);
    else out += pick(PIECES) + pick(GAPS);
  }
  if (next() < 0.5) out += filler.slice(0, Math.floor(next() * filler.length));
  return out;
}

/** `bytes` with some not-UTF-8 bytes (a stray continuation, a lead byte cut short) spliced in. */
function damaged(bytes: Buffer, next: () => number): Buffer {
  const bad = [Buffer.from([0x80]), Buffer.from([0xc3]), Buffer.from([0xf0, 0x9f]), Buffer.from([0xe2, 0x82]), Buffer.from([0xff])];
  const at = Math.floor(next() * (bytes.length + 1));
  return Buffer.concat([bytes.subarray(0, at), bad[Math.floor(next() * bad.length)]!, bytes.subarray(at)]);
}

test('PhraseWindow answers as the pattern on the whole decoded text', () => {
  const filler = 'Bonjour à tous, voici le compte rendu de la réunion — ';
  let yes = 0;
  let checked = 0;
  for (const phrase of PHRASES) {
    const pattern = phrasePattern(phrase)!;
    const window = new PhraseWindow(phraseWords(phrase), pattern);
    const next = random(phrase.length * 7919);
    for (let i = 0; i < 4000; i++) {
      let bytes: Buffer = Buffer.from(text(next, filler.repeat(1 + Math.floor(next() * 4)), phrase), 'utf8');
      if (i % 5 === 0) bytes = damaged(bytes, next);
      const expected = pattern.test(bytes.toString('utf8'));
      assert.equal(window.holds(bytes), expected, `${phrase}: ${JSON.stringify(bytes.toString('utf8'))} (${bytes.toString('hex')})`);
      if (expected) yes++;
      checked++;
    }
  }
  assert.ok(yes > checked / 10 && yes < checked - checked / 10, `both answers are tested (${yes} of ${checked})`);
});

test('PhraseWindow: the window edges and the text edges', () => {
  const pattern = phrasePattern('second tour')!;
  const window = new PhraseWindow(phraseWords('second tour'), pattern);
  const cases = [
    'second tour', 'Second tour', 'x second tour', 'xsecond tour', 'second tourx', 'second toura second tour',
    'ésecond tour', 'second touré', '𝒜second tour', 'second tour𝒜', 'second tour\u0301', 'seconde second tour',
    'second' + ' '.repeat(200) + 'tour', 'a'.repeat(300) + ' second tour', 'a'.repeat(300) + 'second tour', 'second tour ' + 'é'.repeat(300),
    'é'.repeat(300) + ' second, tour ' + 'é'.repeat(300), 'é'.repeat(300) + 'second tour' + 'é'.repeat(300),
    'seconde seconde second tour', 'secondes secondes secondes second tour', 'second jour second tour',
  ];
  for (const t of cases) {
    const bytes = Buffer.from(t, 'utf8');
    assert.equal(window.holds(bytes), pattern.test(t), JSON.stringify(t));
  }
});
