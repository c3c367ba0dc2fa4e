import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { CaseStore } from '../../electron/engine/store/case-store';
import { cli, cliJson } from '../helpers/cli';
import { corpus, HAVE_CORPORA } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

// Undated mail takes its date from the first Received hop, else the mbox From_ line, and is marked so;
// it then sorts and filters by that date instead of sinking to the end of the list.
const evidence = tempDir('casefile-dates-ev-');
const caseDir = path.join(tempDir('casefile-dates-'), 'case');
const eml = (name: string, lines: string[]) => writeFileSync(path.join(evidence, name), lines.join('\r\n') + '\r\n\r\nbody\r\n');

before(() => {
  eml('dated.eml', ['From: a@example.org', 'Subject: dated', 'Date: Wed, 03 May 2017 12:00:00 +0000', 'Message-ID: <dated@example.org>']);
  eml('received.eml', [
    'Received: from relay.example.net by mx.example.org; Wed, 3 May 2017 18:45:00 +0200',
    'Received: from client.example.org by relay.example.net; Wed, 3 May 2017 18:42:07 +0200',
    'From: a@example.org',
    'Subject: no date, two hops',
    'Message-ID: <received@example.org>',
    'In-Reply-To: <dated@example.org>',
  ]);
  writeFileSync(path.join(evidence, 'envelope.mbox'), 'From jean@example.org Thu May  4 09:00:00 2017\nFrom: jean@example.org\nSubject: no date, no hop\nMessage-ID: <envelope@example.org>\n\nbody\n');
  if (HAVE_CORPORA) copyFileSync(corpus('ponymail-asf-mbox/corpus/no_date.mbox'), path.join(evidence, 'no_date.mbox'));
  assert.equal(cli(['ingest', evidence, '--case', caseDir]).status, 0);
});

test('undated messages: date from the first Received hop, else the From_ line; marked; sorted and filtered by it', () => {
  const list = cliJson(['list', caseDir]).messages as { id: number; subject: string; date: string | null; dateSource?: string }[];
  const bySubject = new Map(list.map((m) => [m.subject, m]));
  assert.equal(bySubject.get('dated')!.dateSource, undefined);
  assert.equal(bySubject.get('no date, two hops')!.date, '2017-05-03T16:42:07.000Z', 'the first hop is the bottom Received header');
  assert.equal(bySubject.get('no date, two hops')!.dateSource, 'received');
  assert.equal(bySubject.get('no date, no hop')!.date, '2017-05-04T09:00:00.000Z');
  assert.equal(bySubject.get('no date, no hop')!.dateSource, 'mbox-from');
  const order = list.map((m) => m.subject);
  assert.deepEqual(order.slice(0, 3), ['dated', 'no date, two hops', 'no date, no hop']);
  if (HAVE_CORPORA) assert.equal(list.at(-1)!.date, null, 'ponymail no_date.mbox has neither: it stays undated (last), no date invented');
  const may3 = cliJson(['search', caseDir, 'date:2017-05-03']).hits.map((h: any) => h.subject).sort();
  assert.deepEqual(may3, ['dated', 'no date, two hops']);
  const shown = cliJson(['show', caseDir, String(bySubject.get('no date, two hops')!.id)]);
  assert.equal(shown.dateSource, 'received');
  assert.equal(shown.dateHeader, null);
});

test('a thread is dated with the date the authenticity pass gave its undated reply (threads rebuilt after it)', () => {
  const store = CaseStore.open(caseDir);
  try {
    const thread = store.db
      .prepare("SELECT t.message_count n, t.first_date_ms first, t.last_date_ms last FROM threads t JOIN messages m ON m.thread_id = t.id WHERE m.subject = 'dated'")
      .get() as { n: number; first: number; last: number };
    assert.equal(thread.n, 2, "the undated reply is in its parent's thread");
    assert.equal(new Date(thread.first).toISOString(), '2017-05-03T12:00:00.000Z');
    assert.equal(new Date(thread.last).toISOString(), '2017-05-03T16:42:07.000Z', "the reply's Received date counts in the thread's dates");
  } finally {
    store.close();
  }
});
