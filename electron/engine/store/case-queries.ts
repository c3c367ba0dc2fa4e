import type Database from 'better-sqlite3';
import type { AttachmentInfo, AuthReport, CaseStats, DocumentJson, Location, MessageJson, MessagePage, MessageSummary, ThreadJson, ThreadNode, SourceKind } from '../../../shared/types';
import { DocumentQueries } from '../documents/document-queries';
import { messageVersions } from './message-versions';
import { SourceRegistry } from './source-registry';

const SUMMARY_COLUMNS = `m.id, m.sha256, m.message_id, m.date_ms, m.date_source, m.from_json, m.subject, m.thread_id, m.size, m.attachment_count, m.error_count`;

/** Read side of the case store: what the CLI, the UI and exports show. */
export class CaseQueries {
  constructor(private readonly db: Database.Database) {}

  /** Prepared once: the authenticity pass asks for every message's location (preparing was ≈20 % of it). */
  private locationsStmt: Database.Statement | null = null;

  /** Messages by date (undated last), oldest or newest first, paged. */
  list(limit = 50, offset = 0, order: 'asc' | 'desc' = 'asc'): MessagePage {
    const total = (this.db.prepare('SELECT COUNT(*) n FROM messages').get() as { n: number }).n;
    const dir = order === 'desc' ? 'DESC' : 'ASC';
    const rows = this.db
      .prepare(`SELECT ${SUMMARY_COLUMNS} FROM messages m ORDER BY m.date_ms IS NULL, m.date_ms ${dir}, m.id ${dir} LIMIT ? OFFSET ?`)
      .all(limit, offset) as any[];
    return { total, messages: this.summaries(rows) };
  }

  summariesByIds(ids: number[]): MessageSummary[] {
    if (ids.length === 0) return [];
    const rows = this.db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM messages m WHERE m.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as any[];
    const byId = new Map(this.summaries(rows).map((s) => [s.id, s]));
    return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  }

  message(id: number): MessageJson | null {
    const r = this.db.prepare('SELECT * FROM messages WHERE id = ?').get(id) as any;
    if (!r) return null;
    const locations = this.locations(id);
    return {
      ...this.summaries([r])[0]!,
      source: locations[0]!,
      locations,
      dateHeader: r.date_header,
      timezoneOffsetMinutes: r.tz_offset_min,
      to: JSON.parse(r.to_json),
      cc: JSON.parse(r.cc_json),
      bcc: JSON.parse(r.bcc_json),
      replyTo: JSON.parse(r.reply_to_json),
      inReplyTo: r.in_reply_to,
      references: JSON.parse(r.references_json),
      attachments: this.attachments(id),
      errors: JSON.parse(r.errors_json),
      preview: r.preview,
      sameMessageId: r.message_id
        ? (this.db.prepare('SELECT id FROM messages WHERE message_id = ? AND id != ? ORDER BY id').all(r.message_id, id) as { id: number }[]).map((x) => x.id)
        : [],
      versions: r.message_id ? messageVersions(this.db, id) : [],
      note: (this.db.prepare('SELECT text FROM notes WHERE message_id = ?').get(id) as { text: string } | undefined)?.text ?? null,
      auth: this.authReport(id),
    };
  }

  locations(id: number): Location[] {
    return this.sourceLocations(id).map(({ quotedFrom: _q, envelope: _e, kind: _k, ...loc }) => loc);
  }

  /** Where the original bytes are, plus whether the parser must un-quote mboxrd lines. */
  firstLocation(id: number): SourceLocation | null {
    return this.sourceLocations(id)[0] ?? null;
  }

  /** The stored authenticity report of a message (null until the pass has run). */
  authReport(id: number): AuthReport | null {
    const r = this.db.prepare('SELECT result_json FROM message_auth WHERE message_id = ?').get(id) as { result_json: string } | undefined;
    return r ? (JSON.parse(r.result_json) as AuthReport) : null;
  }

  /** Every location with what re-reading it needs: mboxrd quoting and the original envelope line. */
  sourceLocations(id: number): SourceLocation[] {
    this.locationsStmt ??= this.db.prepare(
      `SELECT s.path, s.kind, l.offset, l.length, l.sha256, l.mbox_quoted, l.envelope, s.entry_path, p.path AS container_path, p.sha256 AS container_sha256
       FROM locations l JOIN sources s ON s.id = l.source_id LEFT JOIN sources p ON p.id = s.parent_id WHERE l.message_id = ? ORDER BY l.id`,
    );
    const rows = this.locationsStmt.all(id) as any[];
    return rows.map((l) => ({
      path: l.path,
      offset: l.offset,
      length: l.length,
      sha256: l.sha256,
      ...derivationOf(l.kind, l.offset),
      ...(l.container_path ? { container: { path: l.container_path, sha256: l.container_sha256, entry: JSON.parse(l.entry_path) } } : {}),
      quotedFrom: l.mbox_quoted === 1,
      envelope: l.envelope,
      kind: l.kind,
    }));
  }

  attachments(id: number): AttachmentInfo[] {
    const rows = this.db.prepare('SELECT * FROM attachments WHERE message_id = ? ORDER BY idx').all(id) as any[];
    const docs = new DocumentQueries(this.db);
    return rows.map((a) => ({
      index: a.idx,
      filename: a.filename,
      contentType: a.content_type,
      sniffedType: a.sniffed_type,
      typeMismatch: a.type_mismatch === 1,
      size: a.size,
      sha256: a.sha256,
      disposition: a.disposition,
      contentId: a.content_id,
      ...withDocument(docs.bySha(a.sha256)),
    }));
  }

  thread(threadId: number): ThreadJson | null {
    const t = this.db.prepare('SELECT * FROM threads WHERE id = ?').get(threadId) as any;
    if (!t) return null;
    const nodes = this.db
      .prepare(
        `SELECT n.node, n.parent_node, n.position, n.ghost_message_id, ${SUMMARY_COLUMNS}
         FROM thread_nodes n LEFT JOIN messages m ON m.id = n.message_row WHERE n.thread_id = ? ORDER BY n.node`,
      )
      .all(threadId) as any[];
    const built = new Map<number, ThreadNode>();
    let root: ThreadNode | null = null;
    for (const n of nodes) {
      const s = n.id != null ? this.summaries([n])[0]! : null;
      const node: ThreadNode = {
        id: s?.id ?? null,
        messageId: s ? s.messageId : n.ghost_message_id,
        ghost: !s,
        date: s?.date ?? null,
        from: s?.from ?? [],
        subject: s?.subject ?? null,
        children: [],
      };
      built.set(n.node, node);
      if (n.parent_node == null) root = node;
      else built.get(n.parent_node)!.children.push(node);
    }
    return { threadId, subject: t.subject, messageCount: t.message_count, root: root! };
  }

  threadOfMessage(id: number): number | null {
    const r = this.db.prepare('SELECT thread_id FROM messages WHERE id = ?').get(id) as { thread_id: number | null } | undefined;
    return r?.thread_id ?? null;
  }

  stats(): CaseStats {
    const one = (sql: string) => (this.db.prepare(sql).get() as { n: number }).n;
    const range = this.db.prepare('SELECT MIN(date_ms) a, MAX(date_ms) b FROM messages').get() as { a: number | null; b: number | null };
    const senders = this.db
      .prepare('SELECT from_addr address, COUNT(*) count, MAX(from_json) from_json FROM messages WHERE from_addr IS NOT NULL GROUP BY from_addr ORDER BY count DESC, address LIMIT 10')
      .all() as any[];
    const messages = one('SELECT COUNT(*) n FROM messages');
    const locations = one('SELECT COUNT(*) n FROM locations');
    return {
      messages,
      locations,
      duplicates: locations - messages,
      threads: one('SELECT COUNT(*) n FROM threads'),
      attachments: one('SELECT COUNT(*) n FROM attachments'),
      errors: one('SELECT COUNT(*) n FROM messages WHERE error_count > 0'),
      dateRange: { first: iso(range.a), last: iso(range.b) },
      topSenders: senders.map((s) => ({ address: s.address, name: JSON.parse(s.from_json)[0]?.name ?? '', count: s.count })),
      sources: new SourceRegistry(this.db).list(),
    };
  }

  private summaries(rows: any[]): MessageSummary[] {
    const tags = this.tagsFor(rows.map((r) => r.id));
    const versions = this.versionCounts(rows.map((r) => r.message_id).filter(Boolean));
    return rows.map((r) => ({
      id: r.id,
      sha256: r.sha256,
      messageId: r.message_id,
      date: iso(r.date_ms),
      from: JSON.parse(r.from_json),
      subject: r.subject,
      threadId: r.thread_id,
      size: r.size,
      hasAttachments: r.attachment_count > 0,
      tags: tags.get(r.id) ?? [],
      hasErrors: r.error_count > 0,
      versionCount: r.message_id ? (versions.get(r.message_id) ?? 1) - 1 : 0,
      ...(r.date_source ? { dateSource: r.date_source } : {}),
    }));
  }

  /** Messages per Message-ID, for the ids given (one indexed query per page). */
  private versionCounts(messageIds: string[]): Map<string, number> {
    if (messageIds.length === 0) return new Map();
    const rows = this.db
      .prepare('SELECT message_id, COUNT(*) n FROM messages WHERE message_id IN (SELECT value FROM json_each(?)) GROUP BY message_id')
      .all(JSON.stringify(messageIds)) as { message_id: string; n: number }[];
    return new Map(rows.map((r) => [r.message_id, r.n]));
  }

  private tagsFor(ids: number[]): Map<number, string[]> {
    const out = new Map<number, string[]>();
    if (ids.length === 0) return out;
    const rows = this.db
      .prepare('SELECT mt.message_id, t.name FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.message_id IN (SELECT value FROM json_each(?)) ORDER BY t.name')
      .all(JSON.stringify(ids)) as any[];
    for (const r of rows) out.set(r.message_id, [...(out.get(r.message_id) ?? []), r.name]);
    return out;
  }
}

function iso(ms: number | null): string | null {
  return ms == null ? null : new Date(ms).toISOString();
}

/** How the bytes of a location in a source of this kind relate to the evidence (nothing for byte ranges). */
function derivationOf(kind: string, offset: number): { derivation?: string } {
  if (kind === 'pst') return { derivation: `Outlook PST/OST item ${offset}, re-encoded as .eml by Casefile (the PST holds no MIME original; these bytes are re-created from it and checked against this SHA-256)` };
  if (kind === 'msg') return { derivation: 'Outlook .msg file, re-encoded as .eml by Casefile (the .msg file itself is the evidence, unchanged; its SHA-256 is in the sources)' };
  return {};
}

/** A location with what re-reading it needs: mboxrd quoting, the original envelope line, the source's kind. */
export type SourceLocation = Location & { quotedFrom: boolean; envelope: string | null; kind: SourceKind };

const withDocument = (document: DocumentJson | null) => (document ? { document } : {});
