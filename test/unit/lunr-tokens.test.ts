// lunrTokens (token-scan.ts, the index worker's TokenScanner) must cut text exactly as lunr.tokenizer does: same token texts, same order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lunr } from '../../electron/engine/search/text-analysis';
import { lunrTokens, TokenScanner, TokenTable } from '../../electron/engine/search/token-scan';
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

test('TokenTable finds every token of a text by its slice, across growth, and nothing else', () => {
  const words = Array.from({ length: 100_000 }, (_, i) => `w${i.toString(36)}é`);
  const text = words.join(' ').toLowerCase();
  const table = new TokenTable<number>(16);
  const scan = new TokenScanner();
  scan.reset(text);
  for (let i = 0; scan.next(); i++) {
    assert.equal(table.get(text, scan.start, scan.end, scan.hash), undefined);
    table.add(text.slice(scan.start, scan.end), scan.hash, i);
  }
  assert.equal(table.size, words.length);
  scan.reset(text);
  for (let i = 0; scan.next(); i++) assert.equal(table.get(text, scan.start, scan.end, scan.hash), i);
  const other = 'wé w0 w0é0 zz';
  scan.reset(other);
  const found: (number | undefined)[] = [];
  while (scan.next()) found.push(table.get(other, scan.start, scan.end, scan.hash));
  assert.deepEqual(found, [undefined, undefined, undefined, undefined]);
});
