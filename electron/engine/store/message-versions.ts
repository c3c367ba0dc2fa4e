import type Database from 'better-sqlite3';
import type { Address, AuthReport, MessageVersion, VersionSide } from '../../../shared/types';
import { inflateText } from '../util/raw-deflate';

/**
 * Versions of a message: other messages with the same Message-ID. Identical copies are merged at ingest
 * (whitespace-only body differences included), so every row here differs in content; a planted variant
 * of a genuine mail typically reuses its Message-ID. The comparison is on what a reader sees: sender,
 * recipients, date, subject, text and attachment hashes; "headers" when only other header bytes differ.
 */
export function versionSides(db: Database.Database, id: number): VersionSide[] {
  const row = db.prepare('SELECT message_id FROM messages WHERE id = ?').get(id) as { message_id: string | null } | undefined;
  if (!row) return [];
  const ids = row.message_id ? (db.prepare('SELECT id FROM messages WHERE message_id = ? ORDER BY id = ? DESC, date_ms, id').all(row.message_id, id) as { id: number }[]).map((r) => r.id) : [id];
  const sides = ids.map((i) => side(db, i));
  for (const s of sides) s.differences = differences(sides[0]!, s);
  return sides;
}

/** For MessageJson.versions: the other versions with their differences (no text is returned). */
export function messageVersions(db: Database.Database, id: number): MessageVersion[] {
  const sides = versionSides(db, id);
  return sides.slice(1).map((s) => ({ id: s.id, sha256: s.sha256, differences: s.differences }));
}

function side(db: Database.Database, id: number): VersionSide {
  const m = db.prepare('SELECT * FROM messages WHERE id = ?').get(id) as any;
  const text = db.prepare('SELECT body FROM message_text WHERE id = ?').get(id) as { body: Buffer } | undefined;
  const loc = db.prepare('SELECT s.path, l.offset, l.length, l.sha256 FROM locations l JOIN sources s ON s.id = l.source_id WHERE l.message_id = ? ORDER BY l.id LIMIT 1').get(id) as any;
  const auth = db.prepare('SELECT result_json FROM message_auth WHERE message_id = ?').get(id) as { result_json: string } | undefined;
  return {
    id,
    sha256: m.sha256,
    differences: [],
    messageId: m.message_id,
    date: m.date_ms === null ? null : new Date(m.date_ms).toISOString(),
    dateHeader: m.date_header,
    from: JSON.parse(m.from_json),
    to: JSON.parse(m.to_json),
    cc: JSON.parse(m.cc_json),
    subject: m.subject,
    text: text ? inflateText(text.body) : '',
    attachments: (db.prepare('SELECT filename, size, sha256 FROM attachments WHERE message_id = ? ORDER BY idx').all(id) as any[]).map((a) => ({ filename: a.filename, size: a.size, sha256: a.sha256 })),
    dkim: auth ? (JSON.parse(auth.result_json) as AuthReport).dkim : null,
    source: { path: loc.path, offset: loc.offset, length: loc.length, sha256: loc.sha256 },
  };
}

const addrs = (a: Address[]) => a.map((x) => `${x.name} <${x.address.toLowerCase()}>`).join(', ');

function differences(a: VersionSide, b: VersionSide): string[] {
  if (a.id === b.id) return [];
  const out: string[] = [];
  if (addrs(a.from) !== addrs(b.from)) out.push('from');
  if (addrs(a.to) !== addrs(b.to)) out.push('to');
  if (addrs(a.cc) !== addrs(b.cc)) out.push('cc');
  if (a.date !== b.date || a.dateHeader !== b.dateHeader) out.push('date');
  if ((a.subject ?? '') !== (b.subject ?? '')) out.push('subject');
  if (a.text.replace(/\s+/g, ' ').trim() !== b.text.replace(/\s+/g, ' ').trim()) out.push('body');
  if (a.attachments.map((x) => x.sha256).join() !== b.attachments.map((x) => x.sha256).join()) out.push('attachments');
  if (out.length === 0) out.push('headers');
  return out;
}
