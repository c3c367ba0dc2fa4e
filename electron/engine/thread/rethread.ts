import type { CaseStore } from '../store/case-store';
import { threadMessages, type Container, type ThreadInput } from './jwz';

/**
 * Recompute every thread of the case (JWZ needs the whole set: a new message can join two old threads)
 * and store the trees, ghosts included. Memory (issue 15 item 3): the messages are streamed from the
 * database into the id table, which keeps per message its container, id string, row and date; their
 * references and subjects are dropped once read, and a subject is read back by row only where it is
 * needed (a thread's subject, the subject fallback's roots).
 */
export function rethreadCase(store: CaseStore): { threads: number } {
  const db = store.db;
  const subjectStmt = db.prepare('SELECT subject FROM messages WHERE id = ?').pluck();
  const subjectOf = (row: number): string | null => (subjectStmt.get(row) as string | null | undefined) ?? null;
  const roots = threadMessages(messageInputs(store), subjectOf);
  const insertThread = db.prepare('INSERT INTO threads (id, subject, message_count, first_date_ms, last_date_ms) VALUES (?, ?, ?, ?, ?)');
  const insertNode = db.prepare('INSERT INTO thread_nodes (thread_id, node, parent_node, message_row, ghost_message_id, position) VALUES (?, ?, ?, ?, ?, ?)');
  const setThread = db.prepare('UPDATE messages SET thread_id = ? WHERE id = ?');
  db.transaction(() => {
    db.exec('DELETE FROM thread_nodes; DELETE FROM threads;');
    roots.forEach((root, i) => {
      const threadId = i + 1;
      let node = 0;
      let count = 0;
      let first = Number.MAX_SAFE_INTEGER;
      let last = Number.MIN_SAFE_INTEGER;
      let subject: string | null = null;
      // Iterative walk: hostile reference chains can be deeper than the call stack.
      const stack: { c: Container; parent: number | null; position: number }[] = [{ c: root, parent: null, position: 0 }];
      while (stack.length > 0) {
        const { c, parent, position } = stack.pop()!;
        const id = node++;
        const m = c.message;
        insertNode.run(threadId, id, parent, m?.row ?? null, m ? null : c.key, position);
        if (m) {
          setThread.run(threadId, m.row);
          count++;
          subject ??= subjectOf(m.row);
          if (m.dateMs != null) {
            first = Math.min(first, m.dateMs);
            last = Math.max(last, m.dateMs);
          }
        }
        for (let k = c.children.length - 1; k >= 0; k--) stack.push({ c: c.children[k]!, parent: id, position: k });
      }
      insertThread.run(threadId, subject, count, first === Number.MAX_SAFE_INTEGER ? null : first, last === Number.MIN_SAFE_INTEGER ? null : last);
    });
  })();
  return { threads: roots.length };
}

function* messageInputs(store: CaseStore): Iterable<ThreadInput> {
  const rows = store.db.prepare('SELECT id, message_id, references_json, in_reply_to, subject, date_ms FROM messages ORDER BY id').iterate() as Iterable<any>;
  for (const r of rows) {
    yield { row: r.id, messageId: r.message_id, references: JSON.parse(r.references_json), inReplyTo: r.in_reply_to, subject: r.subject, dateMs: r.date_ms };
  }
}
