// pairHashes (phrase-pairs.ts) scans the folded text itself: it must give exactly the hashes of its definition,
// FNV-1a of "w1 w2" for each adjacent pair of phraseKey's words (the index's filters and the phrase queries
// that test them must agree).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { pairHashes } from '../../electron/engine/search/phrase-pairs';
import { phraseKey } from '../../electron/engine/search/phrase-verifier';
import { corpus, needsCorpora } from '../helpers/corpora';

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

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) files(p, out);
    else if (st.size < 4 * 1024 * 1024) out.push(p);
  }
  return out;
}

test('pairHashes equals its definition on edge cases', () => {
  const cases = [
    '', 'one', 'two words', '  lead, trail!  ', 'Élysée l’œuvre ÆSIR straße', 'a1 b2_c3 d-4', 'x\ud83d\ude00y 😀 z', 'lone \ud800 high \udc00 low',
    '𝐀𝐁 math 𝟏𝟐 digits', '日本語 テキスト 中文', 'ﬁ ligature ǅ title', 'İstanbul ΣΊΣΥΦΟΣ', 'a\u0301 combining', '١٢٣ arabic digits', 'x'.repeat(300) + ' y',
  ];
  for (const c of cases) assert.deepEqual(pairHashes(c), reference(c), JSON.stringify(c));
});

test('pairHashes equals its definition on every corpus file (as UTF-8 and as Latin-1 text)', needsCorpora, () => {
  const all = [...files(corpus('ponymail-asf-mbox')), ...files(corpus('notmuch-corpora')), ...files(corpus('mimekit-testdata')), ...files(corpus('mailauth-dkim'))];
  let pairs = 0;
  for (const f of all) {
    const bytes = readFileSync(f);
    for (const text of [bytes.toString('utf8'), bytes.toString('latin1')]) {
      const mine = pairHashes(text);
      assert.deepEqual(mine, reference(text), f);
      pairs += mine.length;
    }
  }
  assert.ok(pairs > 100_000, `${pairs} pairs compared`);
});
