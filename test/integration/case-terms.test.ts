// The case's term dictionary (index/terms.bin) only makes search faster: every answer — hits, totals,
// order, scores, did-you-mean, warnings — must be the same with it, without it, with it covering only
// some shards (a case ingested in two runs), and with it damaged or of another case.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { ingest } from '../../electron/engine/ingest/ingest';
import { BinaryShard } from '../../electron/engine/search/binary-shard';
import { CaseTerms, caseTermsPath } from '../../electron/engine/search/case-terms';
import { buildCaseTerms } from '../../electron/engine/search/case-terms-build';
import { DID_YOU_MEAN_LIMITS } from '../../electron/engine/search/did-you-mean';
import { Searcher } from '../../electron/engine/search/searcher';
import { caseIdOf } from '../../electron/engine/search/shard-check';
import { shardPath } from '../../electron/engine/search/shard-files';
import { CaseStore } from '../../electron/engine/store/case-store';
import { generateMbox } from '../fixtures/archive-generator';
import { cli } from '../helpers/cli';
import { corpus, HAVE_CORPORA } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

/** Typed queries: words, typos (did-you-mean), wildcards of every shape, fuzzy words, fields, phrases, operators. */
const TYPED = [
  'budget', 'campagne', 'elysee', 'budgte', 'campagen', 'kernel', 'xqzzv', 'le la les',
  'camp*', 'c*gne', '*tion', 'é*sée', 'sond*', 'b*t', 'a*',
  'tresorier~1', 'tresorier~2', 'campagne~1', 'selinux~1', 'mesage~2',
  'subject:budget', 'from:en-marche.fr', 'subject:camp*', 'from:jean~1',
  '"second tour"', 'budget OR campagne', 'campagne -presse', '(budget OR sondage) camp*', 'has:attachment rapport',
  'maven', 'surefire', 'notmuch', 'mail*', '*ing', 'patch~1', 'commit~2', 'thread', 'subject:notmuch',
];

/** Every answer of a query on a freshly opened case, but its timing. */
function answers(caseDir: string, queries: string[]): string[] {
  const store = CaseStore.open(caseDir);
  try {
    const s = new Searcher(store.db, store.dir);
    return queries.map((q) => {
      try {
        const r = s.search(q, { limit: 50 });
        return JSON.stringify({ ...r, tookMs: 0 });
      } catch (err) {
        return `error: ${(err as Error).message}`;
      }
    });
  } finally {
    store.close();
  }
}

/** Which shards the dictionary on disk stands for. */
function coverage(caseDir: string): { covered: number; shards: number } {
  const store = CaseStore.open(caseDir);
  try {
    const rows = store.db.prepare('SELECT seq, file, first_id firstId, last_id lastId, docs, bytes, checksum FROM index_shards').all() as any[];
    const dict = CaseTerms.open(caseDir, caseIdOf(store.db));
    const covered = dict?.coverage(rows).size ?? 0;
    dict?.close();
    return { covered, shards: rows.length };
  } finally {
    store.close();
  }
}

describe('case term dictionary', () => {
  const ev = tempDir('casefile-terms-ev-');
  const caseDir = path.join(tempDir('casefile-terms-case-'), 'case');
  const partial = path.join(ev, 'terms.partial');
  let queries: string[] = TYPED;

  before(async () => {
    // Suggestions stop after 250 ms: on a loaded machine the slower path (no dictionary) could stop early and differ.
    DID_YOU_MEAN_LIMITS.budgetMs = 60_000;
    const first = path.join(ev, 'first.mbox');
    const second = path.join(ev, 'second.mbox');
    await generateMbox(first, 600 * 1024, 11);
    await generateMbox(second, 300 * 1024, 12);
    // Two runs with small shards: the first run's dictionary no longer stands for the shards written since.
    await ingest({ caseDir, inputs: [first], shardSize: 40 });
    copyFileSync(caseTermsPath(caseDir), partial);
    await ingest({ caseDir, inputs: [second, ...(HAVE_CORPORA ? [corpus('ponymail-asf-mbox/corpus'), corpus('notmuch-corpora/test/corpora/default')] : [])], shardSize: 40 });
    // Words taken from the index itself (30 spread over the dictionary): each as a word, a prefix and a fuzzy word.
    const store = CaseStore.open(caseDir);
    buildCaseTerms(store.db, store.dir);
    const dict = CaseTerms.open(caseDir, caseIdOf(store.db))!;
    for (let i = 0; i < dict.termCount; i += Math.ceil(dict.termCount / 30)) {
      const t = dict.termAt(i);
      if (!/^\p{L}{3,}$/u.test(t)) continue;
      queries = [...queries, t, `${t.slice(0, 3)}*`, `${t}~1`];
    }
    dict.close();
    store.close();
  });

  test('it is the union of the shards\' dictionaries, each term at its rank in each shard holding it', () => {
    const store = CaseStore.open(caseDir);
    const dict = CaseTerms.open(caseDir, caseIdOf(store.db))!;
    const rows = store.db.prepare('SELECT seq, file, first_id firstId, last_id lastId, docs, bytes, checksum FROM index_shards ORDER BY seq').all() as any[];
    assert.equal(dict.coverage(rows).size, rows.length, 'stands for every shard once rebuilt');
    const shards = dict.shards.map((s) => BinaryShard.openFile(shardPath(caseDir, s.file)));
    const sets = shards.map((sh) => new Set(Array.from({ length: sh.termCount }, (_, i) => sh.termAt(i))));
    const union = new Set(sets.flatMap((s) => [...s]));
    const sorted = [...union].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    assert.equal(dict.termCount, sorted.length);
    for (let i = 0; i < sorted.length; i++) {
      assert.equal(dict.termAt(i), sorted[i]);
      const holders = dict.entries(i);
      shards.forEach((sh, k) => {
        const rank = holders.get(k);
        if (rank !== undefined) assert.equal(sh.termAt(rank), sorted[i], `${sorted[i]} in shard ${k}`);
      });
      assert.equal(holders.size, sets.filter((set) => set.has(sorted[i]!)).length, `${sorted[i]}: every shard holding it`);
    }
    for (const sh of shards) sh.close();
    dict.close();
    store.close();
    assert.ok(sorted.length > 500, `${sorted.length} terms (a real sample)`);
  });

  test('answers are identical with the dictionary, without it, covering part of the case, damaged, or of another case', () => {
    assert.ok(queries.length > 80, `${queries.length} queries`);
    const file = caseTermsPath(caseDir);
    const full = readFileSync(file);
    const withIt = answers(caseDir, queries);

    rmSync(file);
    const without = answers(caseDir, queries);

    copyFileSync(partial, file);
    const part = coverage(caseDir);
    assert.ok(part.covered > 0 && part.covered < part.shards, `covers ${part.covered} of ${part.shards} shards`);
    const partly = answers(caseDir, queries);

    const damaged = Buffer.from(full);
    damaged[damaged.length - 100] ^= 0xff; // in the last block of the body: found when a query reads it
    writeFileSync(file, damaged);
    const withDamaged = answers(caseDir, TYPED); // the fallbacks: the typed queries are enough

    writeFileSync(file, full.toString('latin1').replace(/"caseId":"[^"]*"/, (m) => m.replace(/[0-9a-f]/, (c) => (c === '0' ? '1' : '0'))), 'latin1');
    assert.equal(coverage(caseDir).covered, 0, 'another case\'s dictionary stands for nothing');
    const otherCase = answers(caseDir, TYPED);
    writeFileSync(file, full);

    for (let i = 0; i < queries.length; i++) {
      assert.equal(withIt[i], without[i], `${queries[i]}: with and without`);
      assert.equal(partly[i], without[i], `${queries[i]}: partly covering`);
    }
    for (let i = 0; i < TYPED.length; i++) {
      assert.equal(withDamaged[i], without[i], `${queries[i]}: damaged`);
      assert.equal(otherCase[i], without[i], `${queries[i]}: another case's`);
    }
    assert.ok(withIt.some((a) => a.includes('"didYouMean":{')), 'some answers suggest a word');
    assert.ok(withIt.filter((a) => !a.includes('"total":0')).length > queries.length / 2, 'most queries find messages');
  });

  test('`casefile index` writes it from the shards\' dictionaries and says so', () => {
    rmSync(caseTermsPath(caseDir));
    const out = JSON.parse(cli(['index', caseDir, '--json']).stdout);
    assert.ok(out.caseTerms.terms > 500 && out.caseTerms.shards === coverage(caseDir).shards, JSON.stringify(out.caseTerms));
    assert.ok(existsSync(caseTermsPath(caseDir)));
  });
});

