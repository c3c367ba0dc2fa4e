// lunrTokens (text-analysis.ts) must cut text exactly as lunr.tokenizer does: same token texts, same order.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { lunr, lunrTokens } from '../../electron/engine/search/text-analysis';
import { corpus, needsCorpora } from '../helpers/corpora';

const reference = (text: string): string[] => (lunr.tokenizer as unknown as (t: string, m: object) => lunr.Token[])(text, { fields: ['body'] }).map((t) => t.toString());

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) files(p, out);
    else if (st.size < 4 * 1024 * 1024) out.push(p);
  }
  return out;
}

test('lunrTokens equals lunr.tokenizer on edge cases', () => {
  const cases = [
    '', ' ', ',,,', 'a', ' a ', 'a,,b', '\u00a0Élysée\u2028l’œuvre', 'İSTANBUL ǅ ẞ', 'x\ud83d\ude00y 😀 \ud800 z', 'jean.dupont@en-marche.fr, <a@b.c>',
    'Tab\tand\r\nCRLF\u200b zero-width', '«guillemets» “quotes” ‘single’', 'a*b/c\\d=e+f~g^h`i#j$k%l&m', 'END ',
  ];
  for (const c of cases) assert.deepEqual(lunrTokens(c), reference(c), JSON.stringify(c));
});

test('lunrTokens equals lunr.tokenizer on every corpus file (as UTF-8 and as Latin-1 text)', needsCorpora, () => {
  const all = [...files(corpus('ponymail-asf-mbox')), ...files(corpus('notmuch-corpora')), ...files(corpus('mimekit-testdata')), ...files(corpus('mailauth-dkim'))];
  assert.ok(all.length > 100, `${all.length} files`);
  let tokens = 0;
  for (const f of all) {
    const bytes = readFileSync(f);
    for (const text of [bytes.toString('utf8'), bytes.toString('latin1')]) {
      const mine = lunrTokens(text);
      assert.deepEqual(mine, reference(text), f);
      tokens += mine.length;
    }
  }
  assert.ok(tokens > 100_000, `${tokens} tokens compared`);
});
