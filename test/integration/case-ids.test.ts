// What the searcher reads from SQLite beside the index, each the cheap way (search/case-ids.ts, page-order.ts):
// - a relevance page looks up its candidates' dates (datesOf) on the (id, date_ms) index of migration 11
//   rather than on the table's primary key: the dates are those of the table, the plan reads the index
//   alone, and a case made before the index is given it when opened;
// - `has:attachment` reads its ids as strings of ids (group_concat), not a row each: the same set.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { ingest } from '../../electron/engine/ingest/ingest';
import { CaseIds } from '../../electron/engine/search/case-ids';
import { datesOf } from '../../electron/engine/search/page-order';
import { CaseStore } from '../../electron/engine/store/case-store';
import { MIGRATIONS } from '../../electron/engine/store/migrations';
import { generateMbox } from '../fixtures/archive-generator';
import { corpus, HAVE_CORPORA } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

const caseDir = path.join(tempDir('casefile-dates-'), 'case');

before(async () => {
  const mbox = path.join(tempDir('casefile-dates-ev-'), 'fr.mbox');
  await generateMbox(mbox, 200 * 1024, 5);
  // notmuch's Maildir: real mail, some of it undated or oddly dated.
  await ingest({ caseDir, inputs: [mbox, ...(HAVE_CORPORA ? [corpus('notmuch-corpora/test/corpora/default')] : [])] });
});

test('dates looked up on the (id, date_ms) index equal the table’s, read from the index alone', () => {
  const store = CaseStore.open(caseDir);
  after(() => store.close());
  const rows = store.db.prepare('SELECT id, date_ms FROM messages NOT INDEXED').raw().all() as [number, number | null][];
  assert.ok(rows.length > 50 && rows.some(([, d]) => d !== null), `${rows.length} messages`);
  const ids = [...rows.map(([id]) => id).filter((id) => id % 3 !== 1), 10_000_000]; // and an id with no message
  const expected = new Map(rows.filter(([id]) => id % 3 !== 1).map(([id, d]) => [id, d ?? -Infinity]));
  assert.deepEqual(datesOf(store.db, ids), expected);
  const plan = store.db.prepare('EXPLAIN QUERY PLAN SELECT id, date_ms FROM messages INDEXED BY messages_id_date WHERE id IN (SELECT value FROM json_each(?))').all('[]') as { detail: string }[];
  assert.ok(plan.some((p) => p.detail.includes('COVERING INDEX messages_id_date')), JSON.stringify(plan));
});

test('messages with attachments read as strings of ids equal the distinct ids of the attachments table', () => {
  const store = CaseStore.open(caseDir);
  after(() => store.close());
  const expected = store.db.prepare('SELECT DISTINCT message_id FROM attachments ORDER BY message_id').pluck().all() as number[];
  assert.ok(expected.length > 10, `${expected.length} messages with attachments`);
  // One read, and many reads of a few ids each (every boundary between two reads crossed).
  for (const idsPerRead of [undefined, 1, 7]) {
    const got = new CaseIds(store.db).withAttachments(idsPerRead);
    assert.deepEqual([...got.keys()], expected, `ids per read ${idsPerRead ?? 'default'}`);
    assert.ok([...got.values()].every((v) => v === 0));
  }
});

// Rolled back to just before the index, with the indexes of the migrations after it dropped too (only while every
// one of them only creates indexes: other kinds need not be re-runnable).
const indexVersion = MIGRATIONS.findIndex((m) => m.includes('messages_id_date'));
const laterIndexes = MIGRATIONS.slice(indexVersion).map((m) => [...m.matchAll(/CREATE INDEX (\w+)/g)].map((x) => x[1]!));
const onlyIndexes = MIGRATIONS.slice(indexVersion).every((m, i) => m.trim().split(';').filter((x) => x.trim()).length === laterIndexes[i]!.length);
const lastMigration = onlyIndexes ? {} : { skip: 'migrations other than indexes were added after the date index' };

test('a case made before the index gets it when opened, with the same dates', lastMigration, () => {
  const db = new Database(path.join(caseDir, 'case.sqlite'));
  const version = db.pragma('user_version', { simple: true }) as number;
  for (const name of laterIndexes.flat()) db.exec(`DROP INDEX ${name}`);
  db.pragma(`user_version = ${indexVersion}`);
  db.close();
  const store = CaseStore.open(caseDir);
  after(() => store.close());
  assert.equal(store.db.pragma('user_version', { simple: true }), version);
  const ids = (store.db.prepare('SELECT id FROM messages NOT INDEXED').pluck().all() as number[]).slice(0, 40);
  assert.equal(datesOf(store.db, ids).size, ids.length);
  // Migration 12: the facet cache's count of messages dated later reads its own partial index, not every row.
  const plan = store.db.prepare('EXPLAIN QUERY PLAN SELECT COUNT(*) n FROM messages WHERE date_source IS NOT NULL').all() as { detail: string }[];
  assert.match(plan.map((p) => p.detail).join(' '), /messages_dated/);
});
