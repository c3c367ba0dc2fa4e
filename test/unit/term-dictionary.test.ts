import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { BinaryShard, encodeShard } from '../../electron/engine/search/binary-shard';
import { QueryCostError, QUERY_LIMITS } from '../../electron/engine/search/query-cost';
import { expandFuzzy, expandWildcard } from '../../electron/engine/search/term-dictionary';
import { configureBuilder, lunr, stemsOf } from '../../electron/engine/search/text-analysis';
import { generateMessage, Rng } from '../fixtures/archive-generator';
import { corpus, HAVE_CORPORA } from '../helpers/corpora';

/** A shard of real mail text (the ponymail corpus when present, else generated French/English mail). */
function realShard(): { shard: BinaryShard; index: lunr.Index } {
  const b = new lunr.Builder();
  configureBuilder(b);
  b.ref('id');
  b.field('body');
  const texts: string[] = [];
  if (HAVE_CORPORA) {
    const dir = corpus('ponymail-asf-mbox/corpus');
    for (const f of readdirSync(dir).sort().slice(0, 4)) texts.push(...readFileSync(`${dir}/${f}`, 'latin1').split(/\n(?=From )/));
  }
  const rng = new Rng(5);
  for (let i = 0; i < 300; i++) texts.push(generateMessage(rng, i, null).text);
  texts.forEach((body, i) => b.add({ id: i + 1, body: body.slice(0, 20_000) }));
  const index = b.build();
  return { shard: new BinaryShard(encodeShard(index)), index };
}

const { shard, index } = realShard();
const TokenSet = lunr.TokenSet as unknown as { fromFuzzyString(s: string, d: number): lunr.TokenSet; fromString(s: string): lunr.TokenSet };
const lunrExpand = (pattern: lunr.TokenSet) => (index as unknown as { tokenSet: lunr.TokenSet }).tokenSet.intersect(pattern).toArray().sort();
const terms = Array.from({ length: shard.termCount }, (_, i) => shard.termAt(i));

test('fuzzy expansion over the sorted dictionary equals Lunr\'s own fuzzy match (its term trie)', () => {
  assert.ok(terms.length > 2000, `${terms.length} terms`);
  const rng = new Rng(11);
  const words = ['budget', 'selinux', 'maven', 'apache', 'commit', 'tresorier', 'x', 'ab', 'élysée'.normalize('NFD').replace(/[\u0300-\u036f]/g, '')];
  // Lunr's own automaton grows steeply with the word's length (the cost this module removes): keep
  // the reference words short enough for it.
  const short = terms.filter((t) => t.length <= 8);
  for (let i = 0; i < 30; i++) {
    const t = short[rng.int(short.length)]!;
    // the term itself, and mutated: a letter dropped, doubled, two swapped
    const k = rng.int(Math.max(1, t.length - 1));
    words.push(t, t.slice(0, k) + t.slice(k + 1), t.slice(0, k) + t[k] + t.slice(k), t.slice(0, k) + (t[k + 1] ?? '') + t[k] + t.slice(k + 2));
  }
  for (const w of words) {
    for (const d of [1, 2]) assert.deepEqual(expandFuzzy(shard, w, d).sort(), lunrExpand(TokenSet.fromFuzzyString(w, d)), `${w}~${d}`);
  }
});

test('prefix wildcards equal Lunr\'s; mid-word wildcards also reach stems whose ending the stemmer cut', () => {
  for (const p of ['camp*', 'upd*', 'mav*', 'a*', 'commit*', 'zzz*']) assert.deepEqual(expandWildcard(shard, p).sort(), lunrExpand(TokenSet.fromString(p)), p);
  for (const p of ['c*gne', 'c*t', 'm*n', '*ion', 'e*see', 'r*port']) {
    const mine = new Set(expandWildcard(shard, p));
    const lunrs = lunrExpand(TokenSet.fromString(p));
    for (const t of lunrs) assert.ok(mine.has(t), `${p}: ${t} from Lunr`);
    // Every extra term is the stem of a word matching the pattern (the word is the term plus at most
    // the pattern's last characters, minus at most two of the term's own).
    const re = new RegExp(`^${p.replace(/\*/g, '.*')}$`);
    for (const t of mine) {
      if (lunrs.includes(t)) continue;
      const last = p.split('*').at(-1)!;
      const ok = [0, 1, 2].some((drop) => [...Array(last.length).keys()].some((j) => re.test(t.slice(0, t.length - drop) + last.slice(j)) && stemsOf(t.slice(0, t.length - drop) + last.slice(j)).includes(t)));
      assert.ok(ok, `${p}: ${t}`);
    }
  }
  // campagne (French generated mail) is indexed as the stem campagn: c*gne must find it.
  assert.ok(terms.includes('campagn'));
  assert.ok(expandWildcard(shard, 'c*gne').includes('campagn'));
});

test('an expansion beyond the limit is a "query too costly" error, not a stall', () => {
  const saved = QUERY_LIMITS.maxExpansion;
  QUERY_LIMITS.maxExpansion = 50;
  try {
    assert.throws(() => expandWildcard(shard, '*e*'), QueryCostError);
    assert.throws(() => expandFuzzy(shard, 'ab', 2), QueryCostError);
  } finally {
    QUERY_LIMITS.maxExpansion = saved;
  }
});

test('a shard expands over its terms decoded once, with the same answers as reading each term from its bytes', () => {
  // The decoded dictionary (BinaryShard.allTerms) against the byte-by-byte one (termAt): every pattern
  // kind, on the real/generated shard above and on one with 2-, 3- and 4-byte UTF-8 terms.
  const b = new lunr.Builder();
  configureBuilder(b);
  b.ref('id');
  b.field('body');
  ['straße тест 中文 𝒜lpha 😀mot naïve', 'αβγ 𝒜lphabet тесты 中文字 beta', 'zzz 𝒜𝒜 𝒜b тест'].forEach((body, i) => b.add({ id: i + 1, body }));
  const wide = new BinaryShard(encodeShard(b.build()));
  const wideTerms = Array.from({ length: wide.termCount }, (_, i) => wide.termAt(i));
  assert.ok(wideTerms.some((t) => /[\u{10000}-\u{10FFFF}]/u.test(t)) && wideTerms.some((t) => /[а-я]/.test(t)), wideTerms.join(' '));
  const fuzzyAgree = (s: BinaryShard) => {
    for (const w of ['budget', 'tresorier', 'apache', 'тест', '𝒜lpha', 'ab']) for (const d of [1, 2]) assert.deepEqual(s.expand(w, d), expandFuzzy(s, w, d), `${w}~${d}`);
  };
  for (const [s, patterns] of [
    [shard, ['camp*', 'c*gne', '*ion', '*tion', 'e*see', 'a*', 'r*port', 'zzz*']],
    [wide, ['*a*', '𝒜*', 'тест*', '*字', '*t']],
  ] as const) {
    fuzzyAgree(s); // terms decoded one by one as the walk reaches them (lazyTerms)
    for (const p of patterns) assert.deepEqual(s.expand(p, 0), expandWildcard(s, p), p);
    fuzzyAgree(s); // all terms decoded at once by the leading wildcards (allTerms)
  }
  assert.deepEqual(wide.expand('*', 0), wideTerms);
});
