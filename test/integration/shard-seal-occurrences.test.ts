// A shard is sealed by its occurrences as well as by its message count (issue 15 item 3): the index worker's
// arrays hold 12 bytes per (message, field, term), so long messages must not make a 10,000-message shard
// of hundreds of MiB. Messages of ≈ 14,000 distinct words each: the first shard is sealed after ≈ 113 of
// them (SHARD_OCCURRENCES), far below the shard size, and every search finds what the text holds.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { ingest } from '../../electron/engine/ingest/ingest';
import { DEFAULT_SHARD_SIZE } from '../../electron/engine/search/index-feeder';
import { Searcher } from '../../electron/engine/search/searcher';
import { SHARD_OCCURRENCES } from '../../electron/engine/search/shard-builder';
import { CaseStore } from '../../electron/engine/store/case-store';
import { tempDir } from '../helpers/temp';

const MESSAGES = 130;
const VOCABULARY = 14_000;
/** Word n of the shared vocabulary: "w" and four base-36 digits (letters and digits: no stemmer ending). */
const word = (n: number) => `w${(46_656 + n).toString(36)}`;

/** Message i: its own marker word in the subject, the whole vocabulary in its body (from word i on), 100 words a line. */
function message(i: number): string {
  const words = Array.from({ length: VOCABULARY }, (_, k) => word((k + i) % VOCABULARY));
  const lines: string[] = [];
  for (let k = 0; k < words.length; k += 100) lines.push(words.slice(k, k + 100).join(' '));
  if (i % 2 === 0) lines.push('evenmarker');
  const date = new Date(Date.UTC(2017, 3, 1, 0, i)).toUTCString().replace('GMT', '+0000');
  return `From sender@example.com Sat Apr  1 00:00:00 2017\nFrom: Sender <sender@example.com>\nTo: team@example.com\nSubject: report mark${i}x\nMessage-ID: <long-${i}@example.com>\nDate: ${date}\nContent-Type: text/plain; charset=utf-8\n\n${lines.join('\n')}\n\n`;
}

describe('shards sealed by occurrences', () => {
  const ev = tempDir('casefile-occ-ev-');
  const caseDir = path.join(tempDir('casefile-occ-case-'), 'case');
  let store: CaseStore;
  let searcher: Searcher;
  /** Message id by its number i. */
  const idOf = new Map<number, number>();

  before(async () => {
    const mbox = path.join(ev, 'long.mbox');
    writeFileSync(mbox, Array.from({ length: MESSAGES }, (_, i) => message(i)).join(''));
    await ingest({ caseDir, inputs: [mbox] });
    store = CaseStore.open(caseDir);
    for (const r of store.db.prepare('SELECT id, subject FROM messages').all() as { id: number; subject: string }[]) idOf.set(Number(/mark(\d+)x/.exec(r.subject)![1]), r.id);
    searcher = new Searcher(store.db, caseDir).warm();
  });

  test('the first shard is sealed by its occurrences, long before the shard size', () => {
    assert.equal(idOf.size, MESSAGES);
    const shards = store.db.prepare('SELECT docs, sealed, first_id, last_id FROM index_shards ORDER BY seq').all() as { docs: number; sealed: number; first_id: number; last_id: number }[];
    assert.ok(shards.length >= 2, `several shards (${JSON.stringify(shards)})`);
    assert.equal(shards[0]!.sealed, 1);
    // ≈ 14,000 occurrences a message: sealed at the first message that reaches SHARD_OCCURRENCES.
    const expected = Math.ceil(SHARD_OCCURRENCES / VOCABULARY);
    assert.ok(Math.abs(shards[0]!.docs - expected) <= 2, `first shard of ${shards[0]!.docs} messages (≈ ${expected}; shard size ${DEFAULT_SHARD_SIZE})`);
    assert.equal(shards.reduce((n, s) => n + s.docs, 0), MESSAGES, 'every message in one shard');
    for (let k = 1; k < shards.length; k++) assert.ok(shards[k]!.first_id > shards[k - 1]!.last_id);
  });

  test('searches across the shards find what the text holds', () => {
    const found = (q: string) => searcher.search(q, { limit: 1000 }).hits.map((h) => h.id).sort((a, b) => a - b);
    const all = [...idOf.values()].sort((a, b) => a - b);
    for (const i of [0, 1, 106, 107, 108, 129]) assert.deepEqual(found(`mark${i}x`), [idOf.get(i)], `mark${i}x`);
    assert.deepEqual(found(word(5)), all);
    assert.deepEqual(found(word(VOCABULARY - 1)), all);
    assert.deepEqual(found('evenmarker'), [...idOf].filter(([i]) => i % 2 === 0).map(([, id]) => id).sort((a, b) => a - b));
    // Message 11's body starts at word 11 and ends with word 10: the one without the phrase.
    assert.deepEqual(found(`"${word(10)} ${word(11)}"`), all.filter((id) => id !== idOf.get(11)), 'a phrase');
    assert.equal(searcher.search('report', { limit: 1000 }).total, MESSAGES);
  });
});
