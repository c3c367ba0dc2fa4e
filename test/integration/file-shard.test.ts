// A version 4 shard read from its file block by block must answer exactly as the same shard read whole
// (terms, posting lists with their BM25 weights, expansions, pair filters), find a damaged block when a
// query reads it, and older (version 3) files must still open and upgrade to the same answers.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { ingest } from '../../electron/engine/ingest/ingest';
import { BinaryShard, encodeShardSource, ShardDamaged, type ShardIdentity } from '../../electron/engine/search/binary-shard';
import { docsAfter, inflateDoc } from '../../electron/engine/search/index-doc';
import { buildPairFilter, pairHashes } from '../../electron/engine/search/phrase-pairs';
import { ShardBuilder } from '../../electron/engine/search/shard-builder';
import { HEAD_PROBE_BYTES } from '../../electron/engine/search/shard-bytes';
import { upgradedBytes } from '../../electron/engine/search/shard-upgrade';
import { generateMbox } from '../fixtures/archive-generator';
import { corpus, HAVE_CORPORA } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

const dir = tempDir('casefile-fileshard-');
const identity: ShardIdentity = { caseId: 'case-x', seq: 7, firstId: 1, lastId: 0, docs: 0 };

/** Real mail (notmuch's test corpora when they are there) and generated French/English mail, as the index worker builds them. */
async function shardParts() {
  const mbox = path.join(tempDir('casefile-fileshard-ev-'), 'gen.mbox');
  await generateMbox(mbox, Infinity, 5, 150);
  const caseDir = path.join(dir, 'case');
  await ingest({ caseDir, inputs: HAVE_CORPORA ? [mbox, corpus('notmuch-corpora')] : [mbox], index: false });
  const db = new Database(path.join(caseDir, 'case.sqlite'), { readonly: true });
  const builder = new ShardBuilder();
  const filters = new Map<number, Uint8Array>();
  const texts: string[] = [];
  for (const wire of [...docsAfter(db, 0)].flat()) {
    const { truncated: _t, ...doc } = inflateDoc(wire);
    builder.add(doc);
    filters.set(doc.id, buildPairFilter(pairHashes(`${doc.subject}\n${doc.body}`)));
    texts.push(doc.body);
    identity.lastId = doc.id;
    identity.docs++;
  }
  db.close();
  return { source: builder.build(), filters, texts };
}

const parts = shardParts();

/** Every answer of `a` equals `b`'s: every term, its lists in each field and in all, counts, expansions, pair filters. */
function assertSameAnswers(a: BinaryShard, b: BinaryShard, texts: string[]): void {
  assert.equal(a.termCount, b.termCount);
  assert.deepEqual(a.fields, b.fields);
  for (let i = 0; i < a.termCount; i++) {
    const term = a.termAt(i);
    assert.equal(term, b.termAt(i));
    // Every term's lists over all fields; one field and two fields on a sample (the test stays quick).
    for (const fields of i % 17 ? [a.fields] : [a.fields, ['body'], ['from', 'to']]) {
      const x = new Map<number, number>();
      const y = new Map<number, number>();
      a.addHits(term, fields, x);
      b.addHits(term, fields, y);
      assert.deepEqual([...x], [...y], term);
      assert.equal(a.docCount(term, fields), b.docCount(term, fields));
    }
  }
  for (const [p, d] of [['camp*', 0], ['*ion', 0], ['c*gne', 0], ['budget', 1], ['tresori', 2]] as const) assert.deepEqual(a.expand(p, d), b.expand(p, d), p);
  const phrases = texts.slice(0, 40).map((t) => pairHashes(t.split(/\s+/).slice(3, 6).join(' ')));
  for (let id = identity.firstId; id <= identity.lastId; id++) for (const h of phrases.slice(0, 3)) assert.equal(a.mayContainPairs(id, h), b.mayContainPairs(id, h));
}

test('a version 4 shard read from its file answers exactly as the same shard read whole, on real and generated mail', async () => {
  const { source, filters, texts } = await parts;
  const whole = new BinaryShard(encodeShardSource(source, filters)); // version 2, one Buffer
  const bytes = encodeShardSource(source, filters, identity);
  const file = path.join(dir, 'v4.bin');
  writeFileSync(file, bytes);
  const onDisk = BinaryShard.openFile(file, 7);
  assert.equal(onDisk.version, 4);
  assert.deepEqual(onDisk.identity, identity);
  assert.ok(onDisk.termCount > 1000, `${onDisk.termCount} terms`);
  assertSameAnswers(onDisk, whole, texts);
  onDisk.verify();
  // Held in memory: the dictionary and a bounded block cache, not the file.
  assert.ok(onDisk.memoryBytes <= bytes.length, `${onDisk.memoryBytes} B held for a ${bytes.length} B file`);
  onDisk.close();
});

test('a damaged block is found when it is read (not before), a damaged header or a truncated file when opened', async () => {
  const { source, filters } = await parts;
  const bytes = encodeShardSource(source, filters, identity);
  const header = JSON.parse(bytes.toString('utf8', 12, 12 + bytes.readUInt32LE(8)));
  const bodyAt = bytes.length - header.bodyBytes;
  // The last byte of the file: the last message's pair filter.
  const damaged = Buffer.from(bytes);
  damaged[damaged.length - 1] ^= 0x55;
  const file = path.join(dir, 'damaged.bin');
  writeFileSync(file, damaged);
  const shard = BinaryShard.openFile(file, 7);
  const hits = new Map<number, number>();
  shard.addHits(shard.termAt(0), shard.fields, hits); // an intact block
  assert.ok(hits.size > 0);
  const err = (() => {
    try {
      shard.mayContainPairs(identity.lastId, pairHashes('un deux trois'));
    } catch (e) {
      return e;
    }
  })();
  assert.ok(err instanceof ShardDamaged, String(err));
  assert.equal(err.seq, 7);
  assert.match(err.message, /checksum mismatch in block/);
  assert.throws(() => shard.verify(), /checksum mismatch/);
  shard.close();
  // The same damage in a buffer given whole is refused at once.
  assert.throws(() => new BinaryShard(damaged), ShardDamaged);
  const head = Buffer.from(bytes);
  head[12 + bytes.readUInt32LE(8) + 1] ^= 0x01; // in the table of block CRCs
  writeFileSync(file, head);
  assert.throws(() => BinaryShard.openFile(file), /checksum mismatch in the header/);
  writeFileSync(file, bytes.subarray(0, bodyAt + 100));
  assert.throws(() => BinaryShard.openFile(file), /truncated/);
});

test('a version 3 shard (read whole, one CRC) still opens, and upgrades to a version 4 shard with the same answers', async () => {
  const { source, filters, texts } = await parts;
  // Version 3 as it was written before version 4: version 2's layout, identity in the header, whole-file CRC at the end.
  const v2 = encodeShardSource(source, filters);
  const oldHeaderLen = v2.readUInt32LE(8);
  const header = Buffer.from(JSON.stringify({ ...JSON.parse(v2.toString('utf8', 12, 12 + oldHeaderLen)), version: 3, ...identity }));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length);
  const body = Buffer.concat([v2.subarray(0, 8), len, header, v2.subarray(12 + oldHeaderLen)]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32LE(crc32(body));
  const file = path.join(dir, 'v3.bin');
  writeFileSync(file, Buffer.concat([body, crc]));
  const v3 = BinaryShard.openFile(file, 7);
  assert.equal(v3.version, 3);
  assert.deepEqual(v3.identity, identity);
  const upgraded = path.join(dir, 'upgraded.bin');
  writeFileSync(upgraded, upgradedBytes(v3, identity));
  const v4 = BinaryShard.openFile(upgraded, 7);
  assert.equal(v4.version, 4);
  assertSameAnswers(v4, v3, texts);
  // Byte for byte what the index worker writes for these messages.
  assert.ok(upgradedBytes(v3, identity).equals(encodeShardSource(source, filters, identity)));
  v4.close();
});

test('a version 4 shard of 16 KiB blocks (written before the thirteenth session) answers as one of 4 KiB blocks, and upgrades to it byte for byte', async () => {
  const { source, filters, texts } = await parts;
  const file16 = path.join(dir, 'blocks16.bin');
  const file4 = path.join(dir, 'blocks4.bin');
  writeFileSync(file16, encodeShardSource(source, filters, identity, 16 * 1024));
  writeFileSync(file4, encodeShardSource(source, filters, identity));
  const old = BinaryShard.openFile(file16, 7);
  const now = BinaryShard.openFile(file4, 7);
  assert.equal(old.blockSize, 16 * 1024);
  assert.equal(now.blockSize, 4 * 1024);
  assertSameAnswers(old, now, texts);
  assert.ok(upgradedBytes(old, identity).equals(encodeShardSource(source, filters, identity)));
  old.close();
  now.close();
});

test('a shard whose header and block checksums are longer than the first read opens with a second read and answers as the same shard read whole', async () => {
  const { source, filters, texts } = await parts;
  // Blocks of 32 bytes: thousands of block checksums, a head past HEAD_PROBE_BYTES (a shard of ≈ 16 MB or more with 4 KiB blocks).
  const bytes = encodeShardSource(source, filters, identity, 32);
  const header = JSON.parse(bytes.toString('utf8', 12, 12 + bytes.readUInt32LE(8)));
  assert.ok(bytes.length - header.bodyBytes > HEAD_PROBE_BYTES, `head of ${bytes.length - header.bodyBytes} bytes`);
  const file = path.join(dir, 'long-head.bin');
  writeFileSync(file, bytes);
  const fromFile = BinaryShard.openFile(file, 7);
  assert.equal(fromFile.blockSize, 32);
  assertSameAnswers(fromFile, new BinaryShard(bytes), texts);
  fromFile.close();
});

/** Scores, marks and first-marked count of summing `refs` into fresh arrays over the shard's range. */
function summed(shard: BinaryShard, sum: (base: number, scores: Float64Array, seen: Uint8Array) => number) {
  const scores = new Float64Array(identity.lastId - identity.firstId + 1);
  const seen = new Uint8Array(scores.length);
  const added = sum(identity.firstId, scores, seen);
  return { added, scores: Buffer.from(scores.buffer), seen: Buffer.from(seen) };
}

test('many terms summed with their blocks read ahead in runs give bit for bit the scores of one term after another; a damaged list block is still found', async () => {
  const { source, filters } = await parts;
  const bytes = encodeShardSource(source, filters, identity);
  const file = path.join(dir, 'pinned.bin');
  writeFileSync(file, bytes);
  const whole = new BinaryShard(bytes);
  const probe = BinaryShard.openFile(file, 7);
  const expansion = probe.expand('*ion', 0); // a leading wildcard: lists spread over the whole section
  const everyThird = Array.from({ length: Math.floor(probe.termCount / 3) }, (_, i) => i * 3);
  probe.close();
  for (const [refs, fields] of [
    [expansion, whole.fields],
    [everyThird, whole.fields],
    [everyThird, ['body']],
    [[...everyThird].reverse(), ['subject', 'from']], // any order: still summed in the order given
    [['budget'], whole.fields],
    [['no-such-term', ...expansion.slice(0, 5)], whole.fields],
  ] as [(string | number)[], string[]][]) {
    const one = BinaryShard.openFile(file, 7);
    const ahead = BinaryShard.openFile(file, 7);
    const a = summed(one, (base, s, seen) => refs.reduce<number>((n, r) => n + one.addHitsTo(r, fields, base, s, seen), 0));
    const b = summed(ahead, (base, s, seen) => ahead.sumTerms(refs, fields, base, s, seen));
    const c = summed(whole, (base, s, seen) => whole.sumTerms(refs, fields, base, s, seen)); // read whole: no read-ahead
    assert.ok(a.added > 0 || refs.length === 1, `${refs.length} terms`);
    for (const x of [b, c]) {
      assert.equal(x.added, a.added);
      assert.ok(x.scores.equals(a.scores) && x.seen.equals(a.seen));
    }
    one.close();
    ahead.close();
  }
  // A damaged byte in the middle of the posting lists: found by the read-ahead, as by a read of that list.
  const header = JSON.parse(bytes.toString('utf8', 12, 12 + bytes.readUInt32LE(8)));
  const bodyAt = bytes.length - header.bodyBytes;
  const listBlobAt = (header.terms + 1) * 4 + header.termBlobBytes + (header.terms * header.fields.length + 1) * 4;
  const damaged = Buffer.from(bytes);
  damaged[bodyAt + listBlobAt + Math.floor(header.listBytes / 2)] ^= 0x55;
  writeFileSync(file, damaged);
  const shard = BinaryShard.openFile(file, 7);
  const all = Array.from({ length: shard.termCount }, (_, i) => i);
  const err = (() => {
    try {
      summed(shard, (base, s, seen) => shard.sumTerms(all, shard.fields, base, s, seen));
    } catch (e) {
      return e;
    }
  })();
  assert.ok(err instanceof ShardDamaged, String(err));
  assert.equal(err.seq, 7);
  assert.match(err.message, /checksum mismatch in block/);
  shard.close();
});
