import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import type { ThreadNode } from '../../shared/types';
import { ingest } from '../../electron/engine/ingest/ingest';
import { CaseQueries } from '../../electron/engine/store/case-queries';
import { CaseStore } from '../../electron/engine/store/case-store';
import { threadMessages, type ThreadInput, type ThreadMessage } from '../../electron/engine/thread/jwz';
import { corpus, HAVE_CORPORA, needsCorpora } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

/** One thread as notmuch-tree prints it: "date|author|depth" per message, in display order. */
function parseExpectedTree(text: string): string[] {
  const threads: string[][] = [];
  for (const line of text.split('\n')) {
    // Fixed columns: 2 spaces, date, 2 spaces, author padded to 20, 2 spaces, tree glyphs up to ►.
    const m = /^ {2}(\d{4}-\d{2}-\d{2}) {2}(.{20}) {2}([│├╰┬─ ]*)►/.exec(line);
    if (!m) continue;
    const glyphs = m[3]!;
    const depth = glyphs.length - 1;
    if (depth === 0) threads.push([]);
    threads[threads.length - 1]!.push(`${m[1]}|${m[2]!.trim()}|${depth}`);
  }
  return threads.map((t) => t.join('\n')).sort();
}

function renderOurTree(root: ThreadNode): string {
  const rows: string[] = [];
  const walk = (n: ThreadNode, depth: number) => {
    // notmuch does not print ghosts: their children take their place.
    const next = n.ghost ? depth : depth + 1;
    if (!n.ghost) {
      const a = n.from[0];
      rows.push(`${n.date!.slice(0, 10)}|${(a?.name || a?.address || '').slice(0, 20).trim()}|${depth}`);
    }
    for (const c of n.children) walk(c, next);
  };
  walk(root, 0);
  return rows.join('\n');
}

describe('JWZ threading', () => {
  const msg = (row: number, id: string | null, refs: string[], subject = 's', dateMs = row): ThreadInput => ({ row, messageId: id, references: refs, inReplyTo: null, subject, dateMs });

  test('replies nest under their parents; a missing parent becomes a ghost holding its children', () => {
    const roots = threadMessages([msg(1, 'b', ['a']), msg(2, 'c', ['a'])]);
    assert.equal(roots.length, 1);
    assert.equal(roots[0]!.message, null);
    assert.deepEqual(roots[0]!.children.map((c) => c.message!.row), [1, 2]);
  });

  test('reference loops are broken without hanging or losing messages', () => {
    const roots = threadMessages([msg(1, 'a', ['b']), msg(2, 'b', ['a']), msg(3, 'c', ['c'])]);
    const all: number[] = [];
    const walk = (c: { message: ThreadMessage | null; children: any[] }) => {
      if (c.message) all.push(c.message.row);
      c.children.forEach(walk);
    };
    roots.forEach(walk);
    assert.deepEqual(all.sort(), [1, 2, 3]);
  });

  test('subject fallback attaches only reference-less "Re:" messages to an original', () => {
    const roots = threadMessages([msg(1, 'x', [], 'Budget'), msg(2, 'y', [], 'Re: Budget'), msg(3, 'z', [], 'Budget')]);
    assert.equal(roots.length, 2, 'two originals with the same subject stay separate');
    assert.equal(roots[0]!.children[0]!.message!.row, 2);
  });

  test('a missing parent with a missing parent of its own, holding 200,000 replies, does not overflow the stack', () => {
    // Pruning splices the empty middle container out, handing its 200,000 children to the one above.
    const msgs: ThreadInput[] = [];
    for (let i = 0; i < 200_000; i++) msgs.push(msg(i + 1, `r${i}`, ['g1', 'g2']));
    const roots = threadMessages(msgs);
    assert.equal(roots.length, 1);
    assert.equal(roots[0]!.message, null);
    assert.equal(roots[0]!.children.length, 200_000);
    assert.equal(roots[0]!.children[199_999]!.message!.row, 200_000);
  });

  test('deep reference chains do not overflow the stack', () => {
    const msgs: ThreadInput[] = [];
    for (let i = 0; i < 5000; i++) msgs.push(msg(i + 1, `m${i}`, i > 0 ? [`m${i - 1}`] : []));
    const roots = threadMessages(msgs);
    assert.equal(roots.length, 1);
  });
});

describe('threads on notmuch corpora', needsCorpora, () => {
  const caseDir = path.join(tempDir('casefile-thr-'), 'case');
  const caseDir2 = path.join(tempDir('casefile-thr2-'), 'case');
  before(async () => {
    if (!HAVE_CORPORA) return;
    await ingest({ caseDir, inputs: [corpus('notmuch-corpora/test/corpora/default')] });
  });

  test('default corpus: thread trees equal notmuch-tree-tag-inbox', () => {
    const expected = parseExpectedTree(readFileSync(corpus('notmuch-corpora/test/expected/notmuch-tree-tag-inbox'), 'utf8'));
    const store = CaseStore.open(caseDir);
    const q = new CaseQueries(store.db);
    const ids = (store.db.prepare('SELECT id FROM threads ORDER BY id').all() as { id: number }[]).map((r) => r.id);
    const ours = ids.map((id) => renderOurTree(q.thread(id)!.root)).sort();
    store.close();
    assert.equal(expected.length, 24);
    assert.deepEqual(ours, expected);
  });

  test('threading and broken corpora: ghost roots, loops, every message placed once', async () => {
    const dir = caseDir2;
    await ingest({ caseDir: dir, inputs: [corpus('notmuch-corpora/test/corpora/threading'), corpus('notmuch-corpora/test/corpora/broken')] });
    const store = CaseStore.open(dir);
    const messages = (store.db.prepare('SELECT COUNT(*) n FROM messages').get() as { n: number }).n;
    const placed = (store.db.prepare('SELECT COUNT(*) n FROM thread_nodes WHERE message_row IS NOT NULL').get() as { n: number }).n;
    const unthreaded = (store.db.prepare('SELECT COUNT(*) n FROM messages WHERE thread_id IS NULL').get() as { n: number }).n;
    const ghosts = (store.db.prepare('SELECT COUNT(*) n FROM thread_nodes WHERE message_row IS NULL').get() as { n: number }).n;
    store.close();
    assert.ok(messages > 0);
    assert.equal(placed, messages, 'every message appears exactly once in the thread trees');
    assert.equal(unthreaded, 0);
    assert.ok(ghosts >= 1, 'the ghost-root case keeps a ghost container');
  });
});
