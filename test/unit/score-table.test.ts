import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kthLargest } from '../../electron/engine/search/page-order';
import { ScoreTable } from '../../electron/engine/search/score-table';

test('score table: read as a Map, it equals the Map the same postings give', () => {
  let seed = 5;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const table = new ScoreTable(101, 2100);
  const map = new Map<number, number>();
  for (const [first, last] of [[101, 1100], [1101, 2100]] as const) {
    const v = table.view(first, last);
    for (let i = 0; i < 700; i++) {
      const id = first + Math.floor(rand() * (last - first + 1));
      const w = i % 50 === 0 ? 0 : Math.round(rand() * 1000) / 1000; // a weight may round to 0: still a hit
      v.scores[id - v.base]! += w;
      v.seen[id - v.base] = 1;
      map.set(id, (map.get(id) ?? 0) + w);
    }
  }
  const sorted = (m: ReadonlyMap<number, number>) => [...m].sort((a, b) => a[0] - b[0]);
  assert.equal(table.size, map.size);
  assert.deepEqual(sorted(table), sorted(map));
  assert.deepEqual([...table.keys()].sort((a, b) => a - b), [...map.keys()].sort((a, b) => a - b));
  for (const id of [100, 101, 555, 2100, 2101]) {
    assert.equal(table.has(id), map.has(id), `has ${id}`);
    assert.equal(table.get(id), map.get(id), `get ${id}`);
  }
  assert.equal(table.compact(), table, 'dense: kept as the table');
  const sparse = new ScoreTable(1, 10_000);
  sparse.addAll(new Map([[7, 1.5], [9000, 0]]));
  const compacted = sparse.compact();
  assert.ok(compacted instanceof Map, 'sparse: a Map');
  assert.deepEqual([...compacted], [[7, 1.5], [9000, 0]]);
  // One hit in 16 (a `from:` address in a large case) stays a table: a Map would cost an entry per hit to build.
  const wide = new ScoreTable(1, 16_000);
  wide.addAll(new Map(Array.from({ length: 1000 }, (_, i) => [1 + i * 16, i / 7] as [number, number])));
  assert.equal(wide.compact(), wide, 'one hit in 16: kept as the table');
  assert.ok(new ScoreTable(1, 33_000).compact() instanceof Map, 'below one in 32: a Map');
});

test('k-th largest equals the k-th of a full sort, ties included', () => {
  let seed = 3;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (const n of [1, 2, 10, 1000, 20_000]) {
    const values = Array.from({ length: n }, () => Math.floor(rand() * 30) / 7);
    const desc = [...values].sort((a, b) => b - a);
    for (const k of [1, 2, 5, 50, n]) if (k <= n) assert.equal(kthLargest(values, k), desc[k - 1], `n=${n} k=${k}`);
  }
  assert.equal(kthLargest([1, 2], 5), -Infinity);
});

test('relevance candidates of a score table equal those of the same hits in a Map', async () => {
  const { relevanceCandidates } = await import('../../electron/engine/search/page-order');
  const table = new ScoreTable(1, 20_000);
  const map = new Map<number, number>();
  for (let id = 1; id <= 20_000; id += 3) {
    table.addAll(new Map([[id, (id % 41) / 8]]));
    map.set(id, (id % 41) / 8);
  }
  for (const k of [0, 1, 10, 50, 5000, 7000, 30_000]) assert.deepEqual(relevanceCandidates(table, k), relevanceCandidates(map, k), `k=${k}`);
});

test('the candidates of one pass equal the hits at least the k-th best score (two passes), for any order of scores, ties and limits', () => {
  let seed = 11;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const orders: [string, (i: number, n: number) => number][] = [
    ['random', () => Math.floor(rand() * 40) / 8],
    ['rising', (i) => i / 1000], // every hit beats the k-th best so far: the kept list is compacted as it goes
    ['falling', (i, n) => (n - i) / 1000],
    ['all equal', () => 0.5],
    ['zero weights', (i) => (i % 3 ? 0 : 1)],
  ];
  for (const [name, score] of orders) {
    for (const n of [0, 1, 49, 50, 51, 3000, 60_000]) {
      const table = new ScoreTable(1, n * 2 + 1);
      for (let i = 0; i < n; i++) {
        table.scores[i * 2] = score(i, n);
        table.seen[i * 2] = 1;
      }
      table.compact(n);
      for (const k of [1, 10, 50, 5000]) {
        for (const limit of [5000, 100, 0]) {
          const expected = table.atLeast(table.size > k ? table.kthBest(k) : -Infinity, limit);
          assert.deepEqual(table.candidates(k, limit), expected, `${name} n=${n} k=${k} limit=${limit}`);
        }
      }
    }
  }
});
