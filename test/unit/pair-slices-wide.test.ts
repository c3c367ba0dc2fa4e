// A shard spanning more than 65,536 ids (gaps in its range) gets a sidecar with 4-byte member offsets
// (pair-slices.ts, version 2): every message's decision must still be its own filter's, those past offset
// 65,535 included, and a message without a filter (or with an empty one) may hold anything.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { BinaryShard, encodeShardSource, type ShardSource } from '../../electron/engine/search/binary-shard';
import { PairSlices, pairSlicesPath } from '../../electron/engine/search/pair-slices';
import { buildPairSlices } from '../../electron/engine/search/pair-slices-build';
import { buildPairFilter, filterMayContain, pairHashes } from '../../electron/engine/search/phrase-pairs';
import { tempDir } from '../helpers/temp';

const WORDS = ['second', 'tour', 'budget', 'campagne', 'presse', 'meeting', 'rapport', 'urgent', 'pièce', 'jointe', 'élysée', 'trésorier'];

/** A deterministic text of `n` words for message `id`. */
function text(id: number, n: number): string {
  const out: string[] = [];
  for (let i = 0, x = id * 7919; i < n; i++, x = (x * 1103515245 + 12345) >>> 0) out.push(x % 3 === 0 ? WORDS[(x >>> 4) % WORDS.length]! : `mot${x % 5000}`);
  return out.join(' ');
}

test('a sidecar of a shard spanning more than 65,536 ids decides as each message\'s own filter', () => {
  const firstId = 1000;
  const lastId = firstId + 70_000;
  const filters = new Map<number, Uint8Array>();
  const ids: number[] = [];
  for (let id = firstId; id <= lastId; id += 37) {
    ids.push(id);
    // Every length of filter the index writes (short and long texts), and a few empty ones (may hold anything).
    filters.set(id, id % 11 === 0 ? new Uint8Array(0) : buildPairFilter(pairHashes(text(id, 3 + ((id * 13) % 2000)))));
  }
  const source: ShardSource = {
    fields: ['body'],
    terms: ['tour'],
    list: (_t, _f, out, weights) => {
      ids.forEach((id, i) => ((out[i] = id), (weights[i] = 1)));
      return ids.length;
    },
  };
  const file = path.join(tempDir('casefile-slices-wide-'), 'shard-00001.bin');
  writeFileSync(file, encodeShardSource(source, filters, { caseId: 'case-wide', seq: 1, firstId, lastId, docs: ids.length }));
  const shard = BinaryShard.openFile(file, 1);
  const bytes = buildPairSlices(shard);
  assert.ok(bytes);
  writeFileSync(pairSlicesPath(file), bytes);
  const header = JSON.parse(bytes.toString('utf8', 12, 12 + bytes.readUInt32LE(8)));
  assert.equal(header.offsetBytes, 4);
  assert.ok(header.groups.length >= 2, `${header.groups.length} filter lengths`);
  const slices = PairSlices.open(file, shard);
  assert.ok(slices);
  let yes = 0;
  let no = 0;
  let farYes = 0;
  // Word pairs of messages near the start and past offset 65,535, and phrases held by few or none.
  const held = [firstId + 37 * 5, firstId + 37 * 900, firstId + 37 * 1790, firstId + 37 * 1850, firstId + 37 * 1890]
    .filter((id) => id % 11 !== 0)
    .map((id) => text(id, 3).split(' ').slice(0, 2).join(' '));
  for (const phrase of [...held, 'second tour', 'budget campagne presse', 'pièce jointe', 'tour second', 'nowhere at all']) {
    const h = pairHashes(phrase);
    for (let id = firstId - 1; id <= lastId + 1; id++) {
      const own = filters.get(id);
      const expected = !own || own.length === 0 || filterMayContain(own, h);
      if (slices.mayContain(id, h) !== expected) assert.fail(`message ${id}, "${phrase}": ${!expected}`);
      if (own && own.length > 0) expected ? yes++ : no++;
      if (own && own.length > 0 && expected && id - firstId > 0xffff) farYes++;
    }
  }
  assert.ok(yes > 20 && no > 1000 && farYes > 0, `${yes} may hold (${farYes} past offset 65,535), ${no} do not, among messages with a filter`);
  // No pair at all: every message may hold it (the last byte's padding bits are not members).
  for (let id = firstId; id <= lastId; id += 37) assert.equal(slices.mayContain(id, []), true);
  slices.close();
  shard.close();
});
