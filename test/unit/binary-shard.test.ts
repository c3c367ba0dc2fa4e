import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BinaryShard, encodeShard, readVarint } from '../../electron/engine/search/binary-shard';
import { BlockDamaged } from '../../electron/engine/search/shard-bytes';
import { LeanShard } from '../../electron/engine/search/lean-shard';
import { configureBuilder, lunr } from '../../electron/engine/search/text-analysis';
import { generateMessage, Rng } from '../fixtures/archive-generator';

/** A real shard built by Lunr from generated French/English mail. */
function buildIndex(count: number): lunr.Index {
  const b = new lunr.Builder();
  configureBuilder(b);
  b.ref('id');
  for (const f of ['subject', 'from', 'to', 'cc', 'body', 'filename']) b.field(f);
  const rng = new Rng(9);
  for (let i = 0; i < count; i++) {
    const { text, subject } = generateMessage(rng, i, null);
    const from = /^From: (.*)$/m.exec(text)?.[1] ?? '';
    const to = /^To: (.*)$/m.exec(text)?.[1] ?? '';
    // Sparse, large ids, as after deduplication across sources.
    // The body as the parser would give it: no base64 attachment lines.
    const body = text.split('\n\n').slice(1).join('\n').split('\n').filter((l) => !/^[A-Za-z0-9+/=]{40,}$/.test(l)).join('\n');
    b.add({ id: 1 + i * 37 + (i % 5) * 100_000, subject, from, to, cc: '', body, filename: i % 3 ? '' : `rapport-${i}.pdf` });
  }
  return b.build();
}

test('the binary shard answers every term exactly as Lunr\'s JSON shard does (same ids, same BM25 weights)', () => {
  const index = buildIndex(300);
  const json = JSON.parse(JSON.stringify(index));
  const lean = new LeanShard(json);
  const bin = new BinaryShard(encodeShard(index));
  assert.deepEqual(bin.fields, lean.fields);
  const terms = (json.invertedIndex as [string, unknown][]).map(([t]) => t);
  assert.ok(terms.length > 500, `${terms.length} terms`);
  for (const term of [...terms, 'absent-term', '']) {
    for (const fields of [lean.fields, ['body'], ['from', 'to']]) {
      const a = new Map<number, number>();
      const b = new Map<number, number>();
      lean.addHits(term, fields, a);
      bin.addHits(term, fields, b);
      assert.deepEqual([...b.keys()].sort((x, y) => x - y), [...a.keys()].sort((x, y) => x - y), term);
      for (const [id, w] of a) assert.ok(Math.abs(b.get(id)! - w) <= Math.abs(w) * 1e-6 + 1e-7, `${term} ${id}: ${b.get(id)} vs ${w}`);
    }
  }
  for (const [pattern, d] of [['camp*', 0], ['*ion', 0], ['budget', 1], ['tresori', 2]] as const) {
    assert.deepEqual(bin.expand(pattern, d).sort(), lean.expand(pattern, d).sort(), pattern);
  }
});

test('a binary shard is several times smaller than the JSON and refuses foreign files', () => {
  const index = buildIndex(300);
  const bin = encodeShard(index);
  const json = Buffer.byteLength(JSON.stringify(index));
  assert.ok(bin.length * 2 < json, `binary ${bin.length} B vs JSON ${json} B`);
  assert.throws(() => new BinaryShard(Buffer.from('{"version":"2.3.9"}')), /not a Casefile shard/);
});

test('word-pair filters never reject a message that has the phrase, and reject most that do not', async () => {
  const { buildPairFilter, filterMayContain, pairHashes } = await import('../../electron/engine/search/phrase-pairs');
  const rng = new Rng(3);
  let rejected = 0;
  let absentTrials = 0;
  for (let i = 0; i < 300; i++) {
    const { text } = generateMessage(rng, i, null);
    const body = text.split('\n\n').slice(1).join('\n').slice(0, 4000);
    const filter = buildPairFilter(pairHashes(body));
    const words = body.normalize('NFC').split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    for (let k = 0; k + 2 < words.length; k += 7) {
      assert.ok(filterMayContain(filter, pairHashes(`${words[k]} ${words[k + 1]} ${words[k + 2]}`)), `message ${i}: "${words[k]} ${words[k + 1]} ${words[k + 2]}"`);
    }
    absentTrials++;
    if (!filterMayContain(filter, pairHashes('zzqx wwqy'))) rejected++;
  }
  assert.ok(rejected / absentTrials > 0.95, `rejected ${rejected} of ${absentTrials}`);
  assert.ok(filterMayContain(new Uint8Array(0), pairHashes('anything at all')), 'an empty filter means unknown');
});

test('a number cut short at the end of its section is reported as damage, not read forever', () => {
  const pos = { at: 0 };
  assert.equal(readVarint(Buffer.from([0xac, 0x02]), pos), 300);
  assert.equal(pos.at, 2);
  assert.throws(() => readVarint(Buffer.from([0x05, 0xff, 0xff]), { at: 1 }), BlockDamaged);
});
