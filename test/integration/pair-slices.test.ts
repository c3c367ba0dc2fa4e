// The shards' pair filters turned sideways (index/shard-NNNNN.pairs, pair-slices.ts) only make phrases
// faster: each message's may-contain decision must be the one its own filter gives, and every search answer
// must be the same with the sidecars, without them, with one damaged, or with one of another shard.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { crc32 } from 'node:zlib';
import { ingest } from '../../electron/engine/ingest/ingest';
import { BinaryShard, shardChecksum } from '../../electron/engine/search/binary-shard';
import { upgradedBytes } from '../../electron/engine/search/shard-upgrade';
import { inflateDoc, docsAfter } from '../../electron/engine/search/index-doc';
import { PairSlices, pairSlicesPath } from '../../electron/engine/search/pair-slices';
import { filterMayContain, pairHashes } from '../../electron/engine/search/phrase-pairs';
import { withWordPairs } from '../../electron/engine/search/phrase-candidates';
import { ScoreTable } from '../../electron/engine/search/score-table';
import { ShardCache } from '../../electron/engine/search/shard-cache';
import { shardPath } from '../../electron/engine/search/shard-files';
import { CaseStore } from '../../electron/engine/store/case-store';
import { generateMbox } from '../fixtures/archive-generator';
import { cli } from '../helpers/cli';
import { corpus, HAVE_CORPORA } from '../helpers/corpora';
import { answers } from '../helpers/search-answers';
import { tempDir } from '../helpers/temp';

const shardFiles = (caseDir: string) =>
  readdirSync(path.join(caseDir, 'index'))
    .filter((f) => f.endsWith('.bin') && f.startsWith('shard-'))
    .map((f) => shardPath(caseDir, f));

describe('sideways pair filters', () => {
  const caseDir = path.join(tempDir('casefile-slices-case-'), 'case');
  /** Phrases taken from the messages themselves (runs of 2–4 words), and a few that occur nowhere. */
  const phrases: string[] = ['"second tour"', '"le budget de la campagne"', '"zzqx wordless"', 'subject:"mailing list"', '"second tour" -budget'];

  before(async () => {
    const mbox = path.join(tempDir('casefile-slices-ev-'), 'gen.mbox');
    await generateMbox(mbox, Infinity, 21, 120);
    await ingest({ caseDir, inputs: [mbox, ...(HAVE_CORPORA ? [corpus('notmuch-corpora/test/corpora/default')] : [])], shardSize: 25 });
    const store = CaseStore.open(caseDir);
    const bodies = [...docsAfter(store.db, 0)].flat().map((w) => inflateDoc(w).body.split(/\s+/));
    store.close();
    for (let i = 0; i < bodies.length && phrases.length < 60; i += 3) {
      const n = 2 + (i % 3);
      const words = bodies[i]!;
      // The first run of n adjacent words made of letters only.
      const at = words.findIndex((_, k) => k + n <= words.length && words.slice(k, k + n).every((x) => /^\p{L}{3,}$/u.test(x)));
      if (at >= 0) phrases.push(`"${words.slice(at, at + n).join(' ')}"`);
    }
  });

  test('ingest writes one per shard, and each decides exactly as the filters it was made from', () => {
    const files = shardFiles(caseDir);
    assert.ok(files.length >= 4, `${files.length} shards: ${readdirSync(path.join(caseDir, 'index'))}`);
    const hashes = phrases.map((p) => pairHashes(p.replace(/^.*?"|".*$/g, '')));
    let yes = 0;
    let no = 0;
    for (const file of files) {
      assert.ok(existsSync(pairSlicesPath(file)), `${path.basename(file)} has its sidecar`);
      const shard = BinaryShard.openFile(file);
      const filters = shard.pairFilters();
      const slices = PairSlices.open(file, shard);
      assert.ok(slices, 'the sidecar stands for its shard');
      const { firstId, lastId } = shard.identity!;
      for (const h of hashes) {
        for (let id = firstId - 1; id <= lastId + 1; id++) {
          const own = filters.get(id);
          const expected = own ? filterMayContain(own, h) : true;
          assert.equal(slices.mayContain(id, h), expected, `message ${id}, ${h}`);
          assert.equal(shard.mayContainPairs(id, h), expected);
          if (expected) yes++;
          else no++;
        }
      }
      slices.close();
      shard.close();
    }
    assert.ok(yes > 100 && no > 1000, `${yes} may contain, ${no} do not: both kinds are tested`);
  });

  test('answers are identical with the sidecars, without them, damaged, or of another shard', () => {
    const files = shardFiles(caseDir);
    const withThem = answers(caseDir, phrases);
    const saved = files.map((f) => readFileSync(pairSlicesPath(f)));

    for (const f of files) rmSync(pairSlicesPath(f));
    const without = answers(caseDir, phrases);

    files.forEach((f, i) => {
      const damaged = Buffer.from(saved[i]!);
      for (let at = damaged.length - 1; at > damaged.length - 4096 * 4; at -= 997) damaged[at] ^= 0x5a; // rows in the last blocks
      writeFileSync(pairSlicesPath(f), damaged);
    });
    const withDamaged = answers(caseDir, phrases);

    files.forEach((f, i) => writeFileSync(pairSlicesPath(f), saved[(i + 1) % files.length]!)); // each shard gets another's
    for (const f of files) assert.equal(PairSlices.open(f, BinaryShard.openFile(f)), null, 'another shard\'s sidecar stands for nothing');
    const swapped = answers(caseDir, phrases);
    files.forEach((f, i) => writeFileSync(pairSlicesPath(f), saved[i]!));

    assert.ok(phrases.length > 30, `${phrases.length} phrases`);
    for (let i = 0; i < phrases.length; i++) {
      assert.equal(withThem[i], without[i], `${phrases[i]}: with and without`);
      assert.equal(withDamaged[i], without[i], `${phrases[i]}: damaged`);
      assert.equal(swapped[i], without[i], `${phrases[i]}: another shard's`);
    }
    assert.ok(withThem.filter((a) => !a.includes('"total":0')).length > phrases.length / 2, 'most phrases find messages');
  });

  test('a table of candidates is filtered as a Map of the same candidates is, ids in no shard kept, with and without the sidecars', () => {
    const store = CaseStore.open(caseDir);
    try {
      const last = (store.db.prepare('SELECT max(id) m FROM messages').get() as { m: number }).m;
      // Every other message, and ids past the last shard (not indexed: kept whatever the filters say).
      const table = new ScoreTable(1, last + 40);
      for (let id = 1; id <= last + 40; id += 2) {
        table.seen[id - 1] = 1;
        table.scores[id - 1] = id / 7;
      }
      const asMap = new Map(table);
      const sorted = (m: ReadonlyMap<number, number>) => [...m].sort((a, b) => a[0] - b[0]);
      let dropped = 0;
      for (const sidecars of [true, false]) {
        const saved = shardFiles(caseDir).map((f) => [f, readFileSync(pairSlicesPath(f))] as const);
        if (!sidecars) for (const [f] of saved) rmSync(pairSlicesPath(f));
        const shards = new ShardCache(store.db, store.dir);
        for (const p of phrases) {
          const h = pairHashes(p.replace(/^.*?"|".*$/g, ''));
          const fromTable = sorted(withWordPairs(table, h, shards));
          assert.deepEqual(fromTable, sorted(withWordPairs(asMap, h, shards)), `${p} (sidecars: ${sidecars})`);
          assert.ok(fromTable.filter(([id]) => id > last).length === 20, 'ids in no shard are kept');
          dropped += asMap.size - fromTable.length;
        }
        for (const [f, bytes] of saved) writeFileSync(pairSlicesPath(f), bytes);
      }
      assert.ok(dropped > 1000, `${dropped} candidates dropped in all`);
    } finally {
      store.close();
    }
  });

  test('`casefile index` writes the missing ones and keeps the current ones', () => {
    const files = shardFiles(caseDir);
    rmSync(pairSlicesPath(files[0]!));
    copyFileSync(pairSlicesPath(files[2]!), pairSlicesPath(files[1]!)); // stale: made from another shard
    const orphan = path.join(caseDir, 'index', 'shard-09999.pairs');
    copyFileSync(pairSlicesPath(files[2]!), orphan); // of a shard the case does not record
    const out = JSON.parse(cli(['index', caseDir, '--json']).stdout);
    assert.deepEqual(out.pairSlices, { written: 2, current: files.length - 2 });
    for (const f of files) assert.ok(PairSlices.open(f, BinaryShard.openFile(f)), path.basename(f));
    assert.ok(!existsSync(orphan), 'an orphan sidecar is removed');
  });

  test('`casefile index` rewrites a shard of 16 KiB blocks (written before the thirteenth session) with 4 KiB blocks', () => {
    const [file] = shardFiles(caseDir);
    const now = readFileSync(file!);
    const sidecar = readFileSync(pairSlicesPath(file!));
    const before = answers(caseDir, phrases);
    const shard = BinaryShard.openFile(file!);
    const old = upgradedBytes(shard, shard.identity!, 16 * 1024);
    shard.close();
    writeFileSync(file!, old);
    const store = CaseStore.open(caseDir);
    store.db.prepare('UPDATE index_shards SET bytes = ?, checksum = ? WHERE seq = ?').run(old.length, shardChecksum(old), shard.identity!.seq);
    store.close();
    assert.equal(BinaryShard.openFile(file!).blockSize, 16 * 1024);
    assert.equal(PairSlices.open(file!, BinaryShard.openFile(file!)), null, 'the sidecar stands for the file it was made from only');
    assert.deepEqual(answers(caseDir, phrases), before, 'the old shard answers alike');
    const out = JSON.parse(cli(['index', caseDir, '--json']).stdout);
    assert.equal(out.upgraded, 1);
    assert.deepEqual(readFileSync(file!), now, 'rewritten as today\'s code writes it');
    // The same file as the sidecar was made from: it stands for it again.
    assert.deepEqual(out.pairSlices, { written: 0, current: shardFiles(caseDir).length });
    assert.ok(PairSlices.open(file!, BinaryShard.openFile(file!)));
    assert.deepEqual(readFileSync(pairSlicesPath(file!)), sidecar);
    assert.deepEqual(answers(caseDir, phrases), before);
  });

  test('a sidecar of the previous version stands for nothing and `casefile index` rewrites it', () => {
    const [file] = shardFiles(caseDir);
    const bytes = readFileSync(pairSlicesPath(file!));
    const headerLength = bytes.readUInt32LE(8);
    const header = JSON.parse(bytes.toString('utf8', 12, 12 + headerLength));
    assert.equal(header.version, 2);
    assert.ok(Array.isArray(header.groups) && header.groups.every((g: { membersAt: number }) => g.membersAt > 0), 'every group lists its members');
    // Same length, version 1 (the header CRC is made to match so only the version tells it apart).
    const old = Buffer.from(bytes);
    old.write(JSON.stringify({ ...header, version: 1 }).padEnd(headerLength), 12, 'utf8');
    const crcsAt = 12 + headerLength;
    const blocks = Math.ceil(header.bodyBytes / header.blockSize);
    old.writeUInt32LE(crc32(old.subarray(0, crcsAt + blocks * 4)), crcsAt + blocks * 4);
    writeFileSync(pairSlicesPath(file!), old);
    assert.equal(PairSlices.open(file!, BinaryShard.openFile(file!)), null, 'a version 1 sidecar is not used');
    const out = JSON.parse(cli(['index', caseDir, '--json']).stdout);
    assert.deepEqual(out.pairSlices, { written: 1, current: shardFiles(caseDir).length - 1 });
    assert.deepEqual(readFileSync(pairSlicesPath(file!)), bytes, 'rewritten as it was');
  });
});
