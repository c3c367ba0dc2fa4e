import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseQuery, QueryError } from '../../electron/engine/search/query-parser';
import { fold, normalizeWord, stemsOf } from '../../electron/engine/search/text-analysis';

describe('query language parser', () => {
  test('words are ANDed; OR binds tighter than AND; parentheses group', () => {
    assert.deepEqual(parseQuery('a OR b c'), {
      type: 'and',
      items: [
        { type: 'or', items: [{ type: 'term', field: null, text: 'a', wildcard: false, fuzzy: 0, source: 'a' }, { type: 'term', field: null, text: 'b', wildcard: false, fuzzy: 0, source: 'b' }] },
        { type: 'term', field: null, text: 'c', wildcard: false, fuzzy: 0, source: 'c' },
      ],
    });
    const grouped = parseQuery('(a b) OR -c');
    assert.equal(grouped.type, 'or');
  });

  test('fields, phrases, negation, wildcards, fuzzy', () => {
    const q = parseQuery('from:jean subject:"second tour" -draft camp* macron~2');
    assert.equal(q.type, 'and');
    const items = (q as any).items;
    assert.deepEqual(items[0], { type: 'term', field: 'from', text: 'jean', wildcard: false, fuzzy: 0, source: 'from:jean' });
    assert.deepEqual(items[1], { type: 'phrase', field: 'subject', text: 'second tour', source: 'subject:"second tour"' });
    assert.equal(items[2].type, 'not');
    assert.equal(items[3].wildcard, true);
    assert.equal(items[4].fuzzy, 2);
  });

  test('structured filters: dates, attachments, ids, threads, tags', () => {
    const d = parseQuery('date:2017-04-01..2017-05-07') as any;
    assert.deepEqual(d.filter, { kind: 'date', fromMs: Date.UTC(2017, 3, 1), toMs: Date.UTC(2017, 4, 8) });
    assert.deepEqual((parseQuery('date:2017-05') as any).filter, { kind: 'date', fromMs: Date.UTC(2017, 4, 1), toMs: Date.UTC(2017, 5, 1) });
    assert.deepEqual((parseQuery('before:2017-05-01') as any).filter, { kind: 'date', fromMs: null, toMs: Date.UTC(2017, 4, 1) });
    assert.deepEqual((parseQuery('after:2017-04-01') as any).filter, { kind: 'date', fromMs: Date.UTC(2017, 3, 2), toMs: null });
    assert.deepEqual((parseQuery('has:attachment') as any).filter, { kind: 'has-attachment' });
    assert.deepEqual((parseQuery('id:<a@b.c>') as any).filter, { kind: 'message-id', value: 'a@b.c' });
    assert.deepEqual((parseQuery('thread:12') as any).filter, { kind: 'thread', value: 12 });
    assert.deepEqual((parseQuery('tag:important') as any).filter, { kind: 'tag', value: 'important' });
    assert.deepEqual(parseQuery('   '), { type: 'all' });
  });

  test('bad queries throw QueryError naming the offending part', () => {
    const cases: [string, string][] = [
      ['foo:bar', 'foo:bar'],
      ['"unclosed phrase', '"unclosed phrase'],
      ['(a b', '('],
      ['a)', ')'],
      ['date:2017-13-45', 'date:2017-13-45'],
      ['date:yesterday', 'date:yesterday'],
      ['a OR', 'OR'],
      ['OR a', 'OR'],
      ['thread:abc', 'thread:abc'],
      ['has:pictures', 'has:pictures'],
      ['x~5', 'x~5'],
      ['from:', 'from:'],
    ];
    for (const [q, part] of cases) {
      assert.throws(
        () => parseQuery(q),
        (err: unknown) => err instanceof QueryError && err.part === part && err.message.includes(part),
        `query ${JSON.stringify(q)} should fail naming ${part}`,
      );
    }
  });
});

describe('text analysis', () => {
  test('accent folding, elisions, stems in both languages', () => {
    assert.equal(fold('Élysée œuvre'), 'elysee oeuvre');
    assert.equal(normalizeWord("l'Équipe"), 'equipe');
    assert.equal(normalizeWord('qu’il'), 'il');
    assert.deepEqual(stemsOf(normalizeWord('équipes')), stemsOf(normalizeWord('equipe')));
    assert.deepEqual(stemsOf('the'), [], 'English stop word');
    assert.deepEqual(stemsOf('les'), [], 'French stop word');
  });
});
