import type Database from 'better-sqlite3';
import type { ParsedRecord } from '../parse/parsed-record';

export interface SpanLocation {
  sourceId: number;
  offset: number;
  length: number;
  envelope: string | null;
  quotedFrom: boolean;
}

export type StoreResult = { row: number; kind: 'new' | 'duplicate' | 'already' };

/**
 * Writes parsed messages and their locations. The same message seen twice (identical bytes, or the same
 * Message-ID with the same body and attachments) becomes one message with several locations.
 * Callers wrap calls in a transaction (batched by the ingest loop).
 */
export class MessageWriter {
  private readonly st;

  constructor(db: Database.Database) {
    this.st = {
      locationAt: db.prepare('SELECT message_id FROM locations WHERE source_id = ? AND offset = ?'),
      bySha: db.prepare('SELECT message_id FROM locations WHERE sha256 = ? LIMIT 1'),
      byContent: db.prepare('SELECT id FROM messages WHERE message_id = ? AND body_key = ? LIMIT 1'),
      insertLocation: db.prepare(
        'INSERT INTO locations (message_id, source_id, offset, length, sha256, envelope, mbox_quoted) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      insertMessage: db.prepare(`INSERT INTO messages (sha256, message_id, date_ms, date_header, tz_offset_min, from_json, from_addr,
        to_json, cc_json, bcc_json, reply_to_json, subject, in_reply_to, references_json, size, attachment_count, has_html,
        preview, body_key, errors_json, error_count) VALUES (@sha256, @messageId, @dateMs, @dateHeader, @tz, @fromJson, @fromAddr,
        @toJson, @ccJson, @bccJson, @replyToJson, @subject, @inReplyTo, @referencesJson, @size, @attachmentCount, @hasHtml,
        @preview, @bodyKey, @errorsJson, @errorCount)`),
      insertText: db.prepare('INSERT INTO message_text (id, body) VALUES (?, ?)'),
      insertAttachment: db.prepare(`INSERT INTO attachments (message_id, idx, filename, content_type, sniffed_type, type_mismatch,
        size, sha256, disposition, content_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    };
  }

  store(loc: SpanLocation, rec: ParsedRecord): StoreResult {
    const already = this.st.locationAt.get(loc.sourceId, loc.offset) as { message_id: number } | undefined;
    if (already) return { row: already.message_id, kind: 'already' };
    const same =
      (this.st.bySha.get(rec.sha256) as { message_id: number } | undefined)?.message_id ??
      (rec.messageId && rec.errors.length === 0
        ? (this.st.byContent.get(rec.messageId, rec.bodyKey) as { id: number } | undefined)?.id
        : undefined);
    if (same !== undefined) {
      this.addLocation(same, loc, rec.sha256);
      return { row: same, kind: 'duplicate' };
    }
    const info = this.st.insertMessage.run({
      sha256: rec.sha256,
      messageId: rec.messageId,
      dateMs: rec.dateMs,
      dateHeader: rec.dateHeader,
      tz: rec.tzOffsetMinutes,
      fromJson: JSON.stringify(rec.from),
      fromAddr: rec.from[0]?.address ?? null,
      toJson: JSON.stringify(rec.to),
      ccJson: JSON.stringify(rec.cc),
      bccJson: JSON.stringify(rec.bcc),
      replyToJson: JSON.stringify(rec.replyTo),
      subject: rec.subject,
      inReplyTo: rec.inReplyTo,
      referencesJson: JSON.stringify(rec.references),
      size: rec.length,
      attachmentCount: rec.attachments.length,
      hasHtml: rec.hasHtml ? 1 : 0,
      preview: rec.preview,
      bodyKey: rec.bodyKey,
      errorsJson: JSON.stringify(rec.errors),
      errorCount: rec.errors.length,
    });
    const row = Number(info.lastInsertRowid);
    const t = rec.textDeflated;
    this.st.insertText.run(row, Buffer.from(t.buffer, t.byteOffset, t.byteLength));
    rec.attachments.forEach((a, i) =>
      this.st.insertAttachment.run(row, i, a.filename, a.contentType, a.sniffedType, a.typeMismatch ? 1 : 0, a.size, a.sha256, a.disposition, a.contentId),
    );
    this.addLocation(row, loc, rec.sha256);
    return { row, kind: 'new' };
  }

  private addLocation(row: number, loc: SpanLocation, sha256: string): void {
    this.st.insertLocation.run(row, loc.sourceId, loc.offset, loc.length, sha256, loc.envelope, loc.quotedFrom ? 1 : 0);
  }
}
