import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EarlyParse, type EarlyParseLimits } from '../../electron/engine/ingest/early-parse';
import { wholeFileJob } from '../../electron/engine/ingest/whole-file';
import type { ParseOutcome, ParsePool } from '../../electron/engine/parse/parse-pool';
import type { ParsedRecord } from '../../electron/engine/parse/parsed-record';
import type { SpanJob } from '../../electron/engine/parse/parse-span';
import type { DiscoveredSource } from '../../electron/engine/source/discover';

/** A pool that records the groups it is sent and answers each job with a record naming its path and length. */
function fakePool() {
  const sent: SpanJob[][] = [];
  const pool = {
    parse: async (jobs: SpanJob[]): Promise<ParseOutcome[]> => {
      sent.push(jobs);
      return jobs.map((j) => ({ record: { sha256: `${j.path}:${j.length}:${sent.length}` } as ParsedRecord }));
    },
  } as unknown as ParsePool;
  return { pool, sent };
}

const source = (name: string, size = 100, kind: DiscoveredSource['kind'] = 'eml'): DiscoveredSource => ({ path: `/m/${name}`, kind, stamp: { size, mtimeMs: 1 } });
const LIMITS: EarlyParseLimits = { first: 2, messages: 3, bytes: 1000, totalMessages: 7, totalBytes: 10_000 };
const shas = async (p: Promise<ParseOutcome[]>) => (await p).map((o) => ('record' in o ? o.record.sha256 : o.failure));

test('early parse: a small first group, then full ones; only whole-file sources; bounded in messages', () => {
  const { pool, sent } = fakePool();
  const early = new EarlyParse(pool, true, LIMITS);
  for (let i = 0; i < 12; i++) early.offer(source(`f${i}`));
  early.offer(source('box.mbox', 100, 'mbox'));
  early.send();
  assert.deepEqual(sent.map((g) => g.map((j) => j.path)), [['/m/f0', '/m/f1'], ['/m/f2', '/m/f3', '/m/f4'], ['/m/f5', '/m/f6']]);
  assert.deepEqual(sent[0]![0], wholeFileJob('/m/f0', 100, true), 'the job the ingest would ask for');
  early.send(); // nothing left: no empty group
  assert.equal(sent.length, 3);
});

test('early parse: groups also close on bytes, and the total bytes bound', () => {
  const { pool, sent } = fakePool();
  const early = new EarlyParse(pool, false, { ...LIMITS, first: 10, messages: 10, bytes: 250, totalBytes: 600 });
  for (let i = 0; i < 8; i++) early.offer(source(`f${i}`));
  early.send();
  assert.deepEqual(sent.map((g) => g.length), [3, 3], 'groups of 300 bytes; the seventh file would pass 600');
});

test("early parse: a batch gets each job's own outcome, in order, parsed ahead or now; each taken once", async () => {
  const { pool, sent } = fakePool();
  const early = new EarlyParse(pool, true, LIMITS);
  for (const name of ['a', 'b', 'c']) early.offer(source(name));
  early.send();
  const ahead = sent.length;
  const batch = [wholeFileJob('/m/a', 100, true), wholeFileJob('/m/x', 50, true), wholeFileJob('/m/c', 100, true), wholeFileJob('/m/y', 60, true)];
  assert.deepEqual(await shas(early.outcomes(batch)), ['/m/a:100:1', `/m/x:50:${ahead + 1}`, '/m/c:100:2', `/m/y:60:${ahead + 1}`]);
  assert.deepEqual(sent[ahead]!.map((j) => j.path), ['/m/x', '/m/y'], 'only the others are parsed now');
  // Taken once: asked again, the job is parsed again. A job that differs (another length or extraction) is not the one parsed ahead.
  assert.deepEqual(await shas(early.outcomes([wholeFileJob('/m/a', 100, true)])), [`/m/a:100:${ahead + 2}`]);
  assert.deepEqual(await shas(early.outcomes([wholeFileJob('/m/b', 99, true)])), [`/m/b:99:${ahead + 3}`]);
  assert.deepEqual(await shas(early.outcomes([wholeFileJob('/m/b', 100, false)])), [`/m/b:100:${ahead + 4}`]);
  assert.deepEqual(await shas(early.outcomes([wholeFileJob('/m/b', 100, true)])), ['/m/b:100:1']);
});
