import type Database from 'better-sqlite3';
import type { Address } from '../../../shared/types';
import { attachmentText } from '../documents/attachment-text';
import { inflateText } from '../util/raw-deflate';

/** The fields of one message as indexed. `id` is the message id (the Lunr ref). */
export interface IndexDoc {
  id: number;
  subject: string;
  from: string;
  to: string;
  cc: string;
  body: string;
  filename: string;
  /** Text of the message's attachments (extracted documents). */
  attachment: string;
}

/** What is sent to the index worker: the body stays compressed until the worker needs it. */
export type WireDoc = Omit<IndexDoc, 'body'> & { bodyDeflated: Uint8Array | null };

/** The doc to index, and whether its body was longer than what is indexed. */
export function inflateDoc(d: WireDoc): IndexDoc & { truncated: boolean } {
  const { bodyDeflated, ...rest } = d;
  const body = bodyDeflated ? inflateText(bodyDeflated) : '';
  return { ...rest, body: body.slice(0, MAX_INDEXED_BODY), truncated: body.length > MAX_INDEXED_BODY };
}

/** Indexed body text is capped (Lunr memory grows with it); phrases and snippets use the full stored text. */
export const MAX_INDEXED_BODY = 100_000;

export function addressListText(list: Address[]): string {
  return list.map((a) => `${a.name} ${a.address}`).join(' ');
}

function addressText(json: string): string {
  return addressListText(JSON.parse(json) as Address[]);
}

/** Read docs for messages with id > afterId, in id order, in pages (bounded memory). */
export function* docsAfter(db: Database.Database, afterId: number, pageSize = 2000): Generator<WireDoc[]> {
  const page = db.prepare(
    `SELECT m.id, m.subject, m.from_json, m.to_json, m.cc_json, t.body,
            (SELECT group_concat(filename, ' ') FROM attachments a WHERE a.message_id = m.id) AS filenames,
            (SELECT group_concat(sha256, ',') FROM attachments a WHERE a.message_id = m.id) AS shas
     FROM messages m LEFT JOIN message_text t ON t.id = m.id WHERE m.id > ? ORDER BY m.id LIMIT ?`,
  );
  let last = afterId;
  for (;;) {
    const rows = page.all(last, pageSize) as any[];
    if (rows.length === 0) return;
    yield rows.map((r) => ({
      id: r.id,
      subject: r.subject ?? '',
      from: addressText(r.from_json),
      to: addressText(r.to_json),
      cc: addressText(r.cc_json),
      bodyDeflated: r.body ?? null,
      filename: r.filenames ?? '',
      attachment: r.shas ? attachmentText(db, String(r.shas).split(',')) : '',
    }));
    last = rows[rows.length - 1].id;
  }
}
