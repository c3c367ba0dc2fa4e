// pairHashes (phrase-pairs.ts) scans the folded text itself: it must give exactly the hashes of its definition,
// FNV-1a of "w1 w2" for each adjacent pair of phraseKey's words (the index's filters and the phrase queries
// that test them must agree).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pairHashes } from '../../electron/engine/search/phrase-pairs';
import { phraseKey } from '../../electron/engine/search/phrase-verifier';
import { corpusTexts, needsCorpora } from '../helpers/corpora';

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The definition, as it was written before the one-scan version. */
function reference(text: string): number[] {
  const words = phraseKey(text).split(' ').filter(Boolean);
  const out = new Set<number>();
  for (let i = 0; i + 1 < words.length; i++) out.add(fnv1a(`${words[i]} ${words[i + 1]}`));
  return [...out];
}

test('pairHashes equals its definition on edge cases', () => {
  const cases = [
    '', 'one', 'two words', '  lead, trail!  ', 'Élysée l’œuvre ÆSIR straße', 'a1 b2_c3 d-4', 'x\ud83d\ude00y 😀 z', 'lone \ud800 high \udc00 low',
    '𝐀𝐁 math 𝟏𝟐 digits', '日本語 テキスト 中文', 'ﬁ ligature ǅ title', 'İstanbul ΣΊΣΥΦΟΣ', 'a\u0301 combining', '١٢٣ arabic digits', 'x'.repeat(300) + ' y',
  ];
  for (const c of cases) assert.deepEqual(pairHashes(c), reference(c), JSON.stringify(c));
});

test('pairHashes equals its definition on every corpus file (as UTF-8 and as Latin-1 text)', needsCorpora, () => {
  let pairs = 0;
  for (const { file, text } of corpusTexts('ponymail-asf-mbox', 'notmuch-corpora', 'mimekit-testdata', 'mailauth-dkim')) {
    const mine = pairHashes(text);
    assert.deepEqual(mine, reference(text), file);
    pairs += mine.length;
  }
  assert.ok(pairs > 100_000, `${pairs} pairs compared`);
});
