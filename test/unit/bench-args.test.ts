import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sizesOption } from '../bench/bench-util';

test('benchmark sizes come from --sizes (both spellings) or the older positional form', () => {
  assert.deepEqual(sizesOption('sizes', 0, [1], ['--sizes', '1000000']), [1_000_000]);
  assert.deepEqual(sizesOption('sizes', 0, [1], ['--sizes=10000,1000000']), [10_000, 1_000_000]);
  assert.deepEqual(sizesOption('shard-sizes', 1, [20_000], ['--sizes', '1000000']), [20_000]);
  assert.deepEqual(sizesOption('shard-sizes', 1, [1], ['--sizes', '5', '--shard-sizes', '7']), [7]);
  assert.deepEqual(sizesOption('sizes', 0, [1], ['10000,100000', '20000']), [10_000, 100_000]);
  assert.deepEqual(sizesOption('shard-sizes', 1, [1], ['10000,100000', '20000']), [20_000]);
  assert.deepEqual(sizesOption('sizes', 0, [3], []), [3]);
  assert.throws(() => sizesOption('sizes', 0, [1], ['--sizes', 'many']), /not a list of sizes/);
});
