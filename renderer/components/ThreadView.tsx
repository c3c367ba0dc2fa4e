import { useEffect, useState } from 'react';
import type { ThreadJson, ThreadNode } from '../../shared/types';
import { call } from '../api-client';
import { formatDate, senderName } from '../format';

/** The thread tree; bodies are loaded only when a message is opened (lazy), so big threads stay fluid. */
export function ThreadView({ id, onOpen }: { id: number; onOpen: (id: number) => void }) {
  const [thread, setThread] = useState<ThreadJson | null>(null);
  useEffect(() => {
    call('getThread', { id }).then(setThread);
  }, [id]);
  if (!thread) return <div className="pane reading empty">Loading…</div>;
  const rows: { node: ThreadNode; depth: number }[] = [];
  const stack: { node: ThreadNode; depth: number }[] = [{ node: thread.root, depth: 0 }];
  while (stack.length) {
    const it = stack.pop()!;
    rows.push(it);
    for (let i = it.node.children.length - 1; i >= 0; i--) stack.push({ node: it.node.children[i]!, depth: it.depth + 1 });
  }
  return (
    <div className="pane reading" data-testid="thread-view">
      <h1 className="subject">{thread.subject ?? '(no subject)'}</h1>
      <p className="muted">{thread.messageCount} messages</p>
      <ul className="thread">
        {rows.map(({ node, depth }, i) => (
          <li key={i} style={{ paddingLeft: depth * 18 }} className={node.ghost ? 'ghost' : node.id === id ? 'current' : ''}>
            {node.ghost ? (
              <span title={node.messageId ?? ''}>missing message (referenced, not in the archive)</span>
            ) : (
              <button className="linklike" onClick={() => onOpen(node.id!)}>
                <span className="date">{formatDate(node.date)}</span> <b>{senderName(node.from)}</b> {node.subject}
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
