// lunrTokens (text-analysis.ts) must cut text exactly as lunr.tokenizer does: same token texts, same order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lunr, lunrTokens } from '../../electron/engine/search/text-analysis';
import { corpusTexts, needsCorpora } from '../helpers/corpora';

const reference = (text: string): string[] => (lunr.tokenizer as unknown as (t: string, m: object) => lunr.Token[])(text, { fields: ['body'] }).map((t) => t.toString());

test('lunrTokens equals lunr.tokenizer on edge cases', () => {
  const cases = [
    '', ' ', ',,,', 'a', ' a ', 'a,,b', '\u00a0Élysée\u2028l’œuvre', 'İSTANBUL ǅ ẞ', 'x\ud83d\ude00y 😀 \ud800 z', 'jean.dupont@en-marche.fr, <a@b.c>',
    'Tab\tand\r\nCRLF\u200b zero-width', '«guillemets» “quotes” ‘single’', 'a*b/c\\d=e+f~g^h`i#j$k%l&m', 'END ',
  ];
  for (const c of cases) assert.deepEqual(lunrTokens(c), reference(c), JSON.stringify(c));
});

test('lunrTokens equals lunr.tokenizer on every corpus file (as UTF-8 and as Latin-1 text)', needsCorpora, () => {
  let tokens = 0;
  for (const { file, text } of corpusTexts('ponymail-asf-mbox', 'notmuch-corpora', 'mimekit-testdata', 'mailauth-dkim')) {
    const mine = lunrTokens(text);
    assert.deepEqual(mine, reference(text), file);
    tokens += mine.length;
  }
  assert.ok(tokens > 100_000, `${tokens} tokens compared`);
});
