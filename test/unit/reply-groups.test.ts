// A parse worker's replies go out in groups, in order, never held across a wait or a large message.
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { test } from 'node:test';
import { ReplyGroups } from '../../electron/engine/parse/reply-groups';

const recorder = (exact: boolean) => {
  const sent: [number, number[]][] = [];
  return { sent, groups: new ReplyGroups<number>((index, replies) => sent.push([index, replies]), exact) };
};

test('replies of one synchronous run go out as one group, in order, with the index of the first', async () => {
  const { sent, groups } = recorder(false);
  for (let i = 0; i < 5; i++) groups.add(i);
  assert.deepEqual(sent, [], 'held until the worker yields');
  await tick();
  assert.deepEqual(sent, [[0, [0, 1, 2, 3, 4]]]);
  groups.add(5);
  groups.flush();
  assert.deepEqual(sent.at(-1), [5, [5]]);
});

test('at most 64 replies a group; a large message flushes what is held before it starts', () => {
  const { sent, groups } = recorder(false);
  for (let i = 0; i < 70; i++) groups.add(i);
  assert.deepEqual(sent.map(([index, r]) => [index, r.length]), [[0, 64]]);
  groups.beforeItem(100);
  assert.equal(sent.length, 1, 'a small message does not flush');
  groups.beforeItem(2 * 1024 * 1024);
  assert.deepEqual(sent.at(-1), [64, [64, 65, 66, 67, 68, 69]]);
});

test('exact mode (after a crash or hang) sends every reply at once', () => {
  const { sent, groups } = recorder(true);
  groups.add(7);
  groups.add(8);
  assert.deepEqual(sent, [[0, [7]], [1, [8]]]);
});
