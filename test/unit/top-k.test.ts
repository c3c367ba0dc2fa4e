import assert from 'node:assert/strict';
import { test } from 'node:test';
import { relevanceCandidates } from '../../electron/engine/search/page-order';
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

test('relevance candidates: every hit scoring at least the k-th best score (by a full sort)', () => {
  let seed = 11;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (const n of [0, 1, 5, 100, 3000]) {
    const hits = new Map<number, number>();
    for (let i = 0; i < n; i++) hits.set(i + 1, Math.floor(rand() * 40) / 8); // ties at the k-th score
    const desc = [...hits.values()].sort((a, b) => b - a);
    for (const k of [0, 1, 10, 50, 5000]) {
      const kth = desc[Math.min(k, desc.length) - 1];
      const expected = k === 0 ? [] : [...hits].filter(([, s]) => s >= kth!).map(([id]) => id);
      const got = relevanceCandidates(hits, k);
      assert.deepEqual(got, expected.length > 5000 ? null : expected, `n=${n} k=${k}`);
    }
  }
});

test('relevance candidates: a page larger than a huge hit list (a CLI --limit above the hit count) answers', () => {
  const hits = new Map<number, number>();
  for (let i = 1; i <= 200_000; i++) hits.set(i, (i % 97) / 10);
  assert.equal(relevanceCandidates(hits, 300_000), null, 'every hit is a candidate: more than the lookup limit');
  const few = new Map([...hits].slice(0, 3000));
  assert.deepEqual(relevanceCandidates(few, 300_000), [...few.keys()]);
});

test('a relevance page of many tied hits (above the k-th score, then the newest tied ones) equals the head of a full sort', async () => {
  const { tiedRelevancePage, byRelevance } = await import('../../electron/engine/search/page-order');
  const { ScoreTable } = await import('../../electron/engine/search/score-table');
  let seed = 5;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (const n of [3, 60, 4000]) {
    const dates = new Map<number, number>();
    const map = new Map<number, number>();
    const table = new ScoreTable(1, n);
    for (let id = 1; id <= n; id++) {
      const date = rand() < 0.1 ? -Infinity : Math.floor(rand() * 50); // undated ones, and many equal dates
      dates.set(id, date);
      if (rand() < 0.2) continue; // not a hit
      const score = rand() < 0.05 ? 2 + Math.floor(rand() * 3) : 1; // a few above, most tied
      map.set(id, score);
      table.scores[id - 1] = score;
      table.seen[id - 1] = 1;
    }
    table.compact(map.size);
    // The date index walked newest first, ties by higher id (case-ids.ts), undated last.
    const byDateDesc = [...dates.keys()].sort((a, b) => dates.get(b)! - dates.get(a)! || b - a);
    const newest = (set: { has(id: number): boolean }, k: number) => byDateDesc.filter((id) => set.has(id)).slice(0, k);
    const lookup = (ids: number[]) => new Map(ids.map((id) => [id, dates.get(id)!]));
    const full = [...map.keys()].sort(byRelevance(map, dates));
    for (const k of [1, 2, 10, 50]) {
      for (const hits of [map, table]) {
        const page = tiedRelevancePage(hits, k, 100, lookup, newest);
        if (map.size <= k) assert.equal(page, null);
        else assert.deepEqual(page, full.slice(0, k), `n=${n} k=${k} ${hits === map ? 'map' : 'table'}`);
      }
    }
  }
});
