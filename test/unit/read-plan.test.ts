// The blocks a read-ahead reads (search/read-plan.ts): every block a range touches, once, in runs of
// consecutive blocks, without the ones already held, within the cap, and never a malformed range's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blockRuns } from '../../electron/engine/search/read-plan';

/** Every block of the runs, expanded. */
const blocksOf = (runs: number[]) => runs.flatMap((_, i) => (i % 2 ? [] : Array.from({ length: runs[i + 1]! - runs[i]! + 1 }, (_, k) => runs[i]! + k)));

test('runs cover exactly the blocks the ranges touch, in order, each once, consecutive ones together', () => {
  const starts = [0, 10, 15, 40, 200, 95, 64];
  const ends = [5, 20, 16, 70, 210, 100, 65];
  const runs = blockRuns(starts, ends, 16, 1000, () => false, 1000);
  assert.deepEqual(runs, [0, 6, 12, 13]);
  // Against a naive expansion of every range.
  const naive = new Set<number>();
  starts.forEach((s, i) => {
    for (let b = s; b < ends[i]!; b++) naive.add(Math.floor(b / 16));
  });
  assert.deepEqual(blocksOf(runs), [...naive].sort((a, b) => a - b));
});

test('held blocks are skipped, malformed or out-of-file ranges ignored, and the cap is kept', () => {
  assert.deepEqual(blockRuns([0], [64], 16, 1000, (n) => n === 1, 1000), [0, 0, 2, 3]);
  assert.deepEqual(blockRuns([10, 30, -5, 990], [10, 20, 3, 1010], 16, 1000, () => false, 1000), []);
  const capped = blockRuns([0], [16 * 50], 16, 1000, () => false, 8);
  assert.equal(blocksOf(capped).length, 8);
});
