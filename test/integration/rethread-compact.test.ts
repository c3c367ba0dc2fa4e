import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ingest } from '../../electron/engine/ingest/ingest';
import { CaseStore } from '../../electron/engine/store/case-store';
import { threadMessages, type Container, type ThreadInput } from '../../electron/engine/thread/jwz';
import { rethreadCase } from '../../electron/engine/thread/rethread';
import { generateMbox, toMboxEntry } from '../fixtures/archive-generator';
import { corpus, needsCorpora } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

/**
 * rethreadCase streams the messages into JWZ and reads subjects back by row (issue 15 item 3). Its
 * threads must be exactly those of JWZ over the whole case held in memory, subjects included, as
 * rethreading did before: every thread's tree (order, ghosts), subject, count and dates, every message's thread.
 */

/** One line per thread: subject, count, dates, then the pre-order tree as depth:row or depth:ghost-id. */
function threadsInMemory(store: CaseStore): { threads: string[]; threadOfRow: Map<number, number> } {
  const inputs: ThreadInput[] = (store.db.prepare('SELECT id, message_id, references_json, in_reply_to, subject, date_ms FROM messages ORDER BY id').all() as any[]).map(
    (r) => ({ row: r.id, messageId: r.message_id, references: JSON.parse(r.references_json), inReplyTo: r.in_reply_to, subject: r.subject, dateMs: r.date_ms }),
  );
  const subject = new Map(inputs.map((m) => [m.row, m.subject]));
  const threadOfRow = new Map<number, number>();
  const threads = threadMessages(inputs).map((root, i) => {
    const nodes: string[] = [];
    const rows: number[] = [];
    const visit = (c: Container, depth: number): void => {
      nodes.push(`${depth}:${c.message ? c.message.row : `ghost ${c.key}`}`);
      if (c.message) rows.push(c.message.row);
      for (const k of c.children) visit(k, depth + 1);
    };
    visit(root, 0);
    for (const r of rows) threadOfRow.set(r, i + 1);
    const dates = inputs.filter((m) => rows.includes(m.row) && m.dateMs != null).map((m) => m.dateMs!);
    const first = rows.map((r) => subject.get(r)).find((s) => s != null) ?? null;
    return [first, rows.length, dates.length ? Math.min(...dates) : null, dates.length ? Math.max(...dates) : null, nodes.join(' ')].join(' | ');
  });
  return { threads, threadOfRow };
}

/** The same lines from the tables rethreadCase wrote. */
function threadsStored(store: CaseStore): { threads: string[]; threadOfRow: Map<number, number> } {
  const nodes = store.db.prepare('SELECT thread_id, node, parent_node, message_row, ghost_message_id, position FROM thread_nodes ORDER BY thread_id, node').all() as any[];
  const byThread = new Map<number, any[]>();
  for (const n of nodes) byThread.set(n.thread_id, [...(byThread.get(n.thread_id) ?? []), n]);
  const threads = (store.db.prepare('SELECT id, subject, message_count, first_date_ms, last_date_ms FROM threads ORDER BY id').all() as any[]).map((t) => {
    const list = byThread.get(t.id) ?? [];
    const children = new Map<number | null, any[]>();
    for (const n of list) children.set(n.parent_node, [...(children.get(n.parent_node) ?? []), n]);
    const out: string[] = [];
    const visit = (n: any, depth: number): void => {
      out.push(`${depth}:${n.message_row ?? `ghost ${n.ghost_message_id}`}`);
      for (const k of (children.get(n.node) ?? []).sort((a, b) => a.position - b.position)) visit(k, depth + 1);
    };
    for (const root of children.get(null) ?? []) visit(root, 0);
    return [t.subject, t.message_count, t.first_date_ms, t.last_date_ms, out.join(' ')].join(' | ');
  });
  const threadOfRow = new Map((store.db.prepare('SELECT id, thread_id FROM messages').all() as any[]).map((r) => [r.id, r.thread_id]));
  return { threads, threadOfRow };
}

function assertSameThreads(caseDir: string): void {
  const store = CaseStore.open(caseDir);
  try {
    rethreadCase(store);
    const expected = threadsInMemory(store);
    const stored = threadsStored(store);
    assert.ok(expected.threads.length > 0);
    assert.deepEqual(stored.threads, expected.threads);
    assert.deepEqual(stored.threadOfRow, expected.threadOfRow);
  } finally {
    store.close();
  }
}

/** Reference-less replies for the subject fallback, a message without Message-ID or Subject. */
const EXTRA = [
  'Message-ID: <orig-budget@x>\nDate: Mon, 3 Apr 2017 09:00:00 +0000\nFrom: a@x.org\nSubject: Budget 2017\n\nThe budget.\n',
  'Message-ID: <reply-budget@x>\nDate: Tue, 4 Apr 2017 09:00:00 +0000\nFrom: b@x.org\nSubject: Re: Budget 2017\n\nNo references.\n',
  'Message-ID: <aw-budget@x>\nDate: Wed, 5 Apr 2017 09:00:00 +0000\nFrom: c@x.org\nSubject: [list] AW: Re[2]: budget   2017\n\nNo references either.\n',
  'Message-ID: <early-reply@x>\nDate: Sun, 2 Apr 2017 09:00:00 +0000\nFrom: d@x.org\nSubject: Re: Budget 2017\n\nBefore the original: stays a root.\n',
  'Date: Thu, 6 Apr 2017 09:00:00 +0000\nFrom: e@x.org\nSubject: Re: Budget 2017\n\nNo Message-ID.\n',
  'Message-ID: <no-subject@x>\nIn-Reply-To: <orig-budget@x>\nDate: Fri, 7 Apr 2017 09:00:00 +0000\nFrom: f@x.org\n\nNo subject.\n',
];

describe('rethreading streamed from the case equals JWZ over the whole case in memory', () => {
  test('generated archive with threads, duplicates and subject-fallback replies', async () => {
    const mbox = path.join(tempDir('casefile-rethread-mbox-'), 'gen.mbox');
    await generateMbox(mbox, 2_000_000, 7);
    appendFileSync(mbox, EXTRA.map((m) => toMboxEntry(m)).join(''));
    const caseDir = path.join(tempDir('casefile-rethread-'), 'case');
    await ingest({ caseDir, inputs: [mbox], extract: false, index: false });
    assertSameThreads(caseDir);
    // The subject fallback did run: the later reference-less replies joined the original, the earlier one did not.
    const store = CaseStore.open(caseDir);
    const threadOf = (id: string) => (store.db.prepare('SELECT thread_id FROM messages WHERE message_id = ?').pluck().get(id) as number);
    const original = threadOf('orig-budget@x');
    assert.deepEqual(['reply-budget@x', 'aw-budget@x', 'no-subject@x', 'early-reply@x'].map((id) => threadOf(id) === original), [true, true, true, false]);
    assert.equal(store.db.prepare('SELECT subject FROM threads WHERE id = ?').pluck().get(original), 'Budget 2017');
    store.close();
  });

  test('notmuch corpora (default, threading, broken)', needsCorpora, async () => {
    const caseDir = path.join(tempDir('casefile-rethread-nm-'), 'case');
    const inputs = ['default', 'threading', 'broken'].map((c) => corpus('notmuch-corpora/test/corpora', c));
    await ingest({ caseDir, inputs, extract: false, index: false });
    assertSameThreads(caseDir);
  });

  test('ponymail mail', needsCorpora, async () => {
    const caseDir = path.join(tempDir('casefile-rethread-pm-'), 'case');
    await ingest({ caseDir, inputs: [corpus('ponymail-asf-mbox/corpus')], extract: false, index: false });
    assertSameThreads(caseDir);
  });
});
