// The typed posting decoder (posting-sum.ts, behind BinaryShard.addHitsTo) must give every score bit for
// bit as the Map path (BinaryShard.addHits: one JS array of ids per list, readFloatLE per weight), on real
// mailing-list mail and generated mail, read whole and from the file, for every term and several field
// sets; count each hit once; and turn a damaged list into ShardDamaged naming the shard.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { ingest } from '../../electron/engine/ingest/ingest';
import { BinaryShard, encodeShardSource, ShardDamaged, type ShardIdentity } from '../../electron/engine/search/binary-shard';
import { docsAfter, inflateDoc } from '../../electron/engine/search/index-doc';
import { sumPostings, sumPostingsWhere } from '../../electron/engine/search/posting-sum';
import { ShardBuilder } from '../../electron/engine/search/shard-builder';
import { generateMbox } from '../fixtures/archive-generator';
import { corpus, needsCorpora } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

/** One shard of the messages of `inputs`, as the index worker builds it, read whole and from its file. */
async function shards(inputs: string[], name: string): Promise<BinaryShard[]> {
  const dir = tempDir(`casefile-postingsum-${name}-`);
  const caseDir = path.join(dir, 'case');
  await ingest({ caseDir, inputs, index: false });
  const db = new Database(path.join(caseDir, 'case.sqlite'), { readonly: true });
  const builder = new ShardBuilder();
  const identity: ShardIdentity = { caseId: 'c', seq: 3, firstId: Infinity, lastId: 0, docs: 0 };
  for (const wire of [...docsAfter(db, 0)].flat()) {
    const { truncated: _t, ...doc } = inflateDoc(wire);
    builder.add(doc);
    identity.firstId = Math.min(identity.firstId, doc.id);
    identity.lastId = doc.id;
    identity.docs++;
  }
  db.close();
  const bytes = encodeShardSource(builder.build(), new Map(), identity);
  const file = path.join(dir, 'shard.bin');
  writeFileSync(file, bytes);
  return [new BinaryShard(bytes, 3), BinaryShard.openFile(file, 3)];
}

/** addHitsTo over every term (several field sets) equals addHits bit for bit; its count is the number of hits. */
function assertSameScores(shard: BinaryShard): number {
  const { firstId, lastId } = shard.identity!;
  let lists = 0;
  for (const fields of [shard.fields, ['from', 'to', 'cc']]) {
    // All terms summed into one table (as a wildcard over the whole dictionary is), and each term alone.
    const all = new Map<number, number>();
    const scores = new Float64Array(lastId - firstId + 1);
    const seen = new Uint8Array(scores.length);
    let counted = 0;
    for (let t = 0; t < shard.termCount; t++) {
      const term = shard.termAt(t);
      shard.addHits(term, fields, all);
      counted += shard.addHitsTo(t, fields, firstId, scores, seen);
      lists++;
    }
    assert.equal(counted, all.size, `hits counted once (${fields.join(',')})`);
    for (let k = 0; k < scores.length; k++) {
      const want = all.get(firstId + k);
      assert.equal(seen[k] === 1, want !== undefined, `hit ${firstId + k}`);
      if (want !== undefined) assert.ok(Object.is(scores[k], want), `score of ${firstId + k}: ${scores[k]} vs ${want}`);
    }
  }
  return lists;
}

const generated = (async () => {
  const mbox = path.join(tempDir('casefile-postingsum-gen-'), 'gen.mbox');
  await generateMbox(mbox, Infinity, 11, 80);
  return shards([mbox], 'gen');
})();

test('typed posting sums equal the Map path bit for bit: generated French/English mail', async () => {
  for (const shard of await generated) assert.ok(assertSameScores(shard) > 1000);
});

test('typed posting sums equal the Map path bit for bit: real mailing-list mail (ponymail, notmuch)', needsCorpora, async () => {
  const inputs = [corpus('ponymail-asf-mbox/corpus'), corpus('notmuch-corpora/test/corpora/default')];
  for (const shard of await shards(inputs, 'real')) assert.ok(assertSameScores(shard) > 1000);
});

test('summed through a mask (a phrase\'s pair mask): the same scores for the marked messages, none for the others', async () => {
  for (const shard of await generated) {
    const { firstId, lastId } = shard.identity!;
    const n = lastId - firstId + 1;
    const mask = new Uint8Array(n).map((_, k) => (k % 3 === 1 || k % 7 === 0 ? 1 : 0));
    const [all, allSeen, some, someSeen] = [new Float64Array(n), new Uint8Array(n), new Float64Array(n), new Uint8Array(n)];
    const refs = Array.from({ length: shard.termCount }, (_, t) => t);
    shard.sumTerms(refs, shard.fields, firstId, all, allSeen);
    const added = shard.sumTerms(refs, shard.fields, firstId, some, someSeen, undefined, mask);
    let marked = 0;
    for (let k = 0; k < n; k++) {
      assert.equal(someSeen[k], mask[k] ? allSeen[k] : 0, `hit ${firstId + k}`);
      if (someSeen[k]) assert.ok(Object.is(some[k], all[k]), `score of ${firstId + k}: ${some[k]} vs ${all[k]}`);
      marked += someSeen[k]!;
    }
    assert.equal(added, marked);
    assert.ok(marked > 10 && marked < allSeen.reduce((x, y) => x + y, 0));
  }
  const list = Buffer.concat([Buffer.from([2, 1, 1]), Buffer.from(new Float32Array([0.5, 0.25]).buffer)]);
  assert.throws(() => sumPostingsWhere(list.subarray(0, list.length - 1), 0, new Float64Array(10), new Uint8Array(10), new Uint8Array(10)), /past the end/);
  assert.throws(() => sumPostingsWhere(list, 2, new Float64Array(10), new Uint8Array(10), new Uint8Array(10)), /outside the shard/);
});

test('a damaged posting list is an error naming the shard, never a wrong score', () => {
  const scores = new Float64Array(10);
  const seen = new Uint8Array(10);
  // n = 2, ids 1 and 2 (deltas 1, 1), then weights: cut short, a varint running past the end, an id outside the range.
  const list = Buffer.concat([Buffer.from([2, 1, 1]), Buffer.from(new Float32Array([0.5, 0.25]).buffer)]);
  assert.equal(sumPostings(list, 0, scores, seen), 2);
  assert.deepEqual([scores[1], scores[2], seen[1], seen[2]], [0.5, 0.25, 1, 1]);
  assert.throws(() => sumPostings(list.subarray(0, list.length - 1), 0, scores, seen), /past the end/);
  assert.throws(() => sumPostings(Buffer.from([2, 1, 0x80]), 0, scores, seen), /past the end/);
  assert.throws(() => sumPostings(list, 2, scores, seen), /outside the shard/);
  // Unaligned weights (a list starting at an odd byte of its block) read the same values.
  const odd = Buffer.concat([Buffer.from([9]), list]).subarray(1);
  const s2 = new Float64Array(10);
  assert.equal(sumPostings(odd, 0, s2, new Uint8Array(10)), 2);
  assert.deepEqual([s2[1], s2[2]], [0.5, 0.25]);
});

test('addHitsTo: a posting outside the shard range is ShardDamaged with the shard seq', async () => {
  const [shard] = await generated;
  const { firstId, lastId } = shard!.identity!;
  const small = new Float64Array(Math.max(1, Math.floor((lastId - firstId + 1) / 2)));
  const err = (() => {
    try {
      for (let t = 0; t < shard!.termCount; t++) shard!.addHitsTo(t, shard!.fields, firstId, small, new Uint8Array(small.length));
    } catch (e) {
      return e;
    }
    return null;
  })();
  assert.ok(err instanceof ShardDamaged, 'ShardDamaged');
  assert.equal((err as ShardDamaged).seq, 3);
});
