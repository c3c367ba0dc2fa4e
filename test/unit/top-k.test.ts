import assert from 'node:assert/strict';
import { test } from 'node:test';
import { topK } from '../../electron/engine/search/searcher';

test('top-k selection equals the head of a full sort, ties included', () => {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (const n of [0, 1, 5, 100, 5000]) {
    const hits = new Map<number, number>();
    for (let i = 0; i < n; i++) hits.set(1 + Math.floor(rand() * 1e6), Math.floor(rand() * 20) / 4); // many equal scores
    const compare = (a: number, b: number) => hits.get(b)! - hits.get(a)! || b - a;
    const full = [...hits.keys()].sort(compare);
    for (const k of [0, 1, 10, 50, 4999, 10_000]) assert.deepEqual(topK(hits, k, compare), full.slice(0, k), `n=${n} k=${k}`);
  }
});
