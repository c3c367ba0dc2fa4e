import type Database from 'better-sqlite3';
import type { SourceInfo, SourceKind } from '../../../shared/types';
import { CONTAINER_FORMATS } from '../source/containers/formats';
import type { FileStamp } from '../source/discover';

const CONTAINER_KINDS = new Set<string>(CONTAINER_FORMATS);

export interface SourceRow {
  id: number;
  path: string;
  kind: SourceKind;
  size: number;
  ingestedOffset: number;
  status: SourceInfo['status'];
  mtimeMs: number;
  sha256: string | null;
}

/** Sources of a case: registration, resume offsets, completion. */
export class SourceRegistry {
  private readonly advanceStmt;
  // Prepared once: a Maildir registers and finishes one source per message.
  private readonly byPath;
  private readonly insert;
  private readonly doneStmt;

  constructor(private readonly db: Database.Database) {
    this.advanceStmt = db.prepare(
      `UPDATE sources SET ingested_offset = MAX(ingested_offset, ?), messages = messages + ?, errors = errors + ?, status = 'partial' WHERE id = ?`,
    );
    this.byPath = db.prepare('SELECT * FROM sources WHERE path = ?');
    this.insert = db.prepare('INSERT INTO sources (path, kind, size, mtime_ms, status, added_at) VALUES (?, ?, ?, ?, ?, ?)');
    this.doneStmt = db.prepare(
      `UPDATE sources SET messages = messages + ?, errors = errors + ?, status = 'done', sha256 = ?, ingested_offset = size, finished_at = ? WHERE id = ?`,
    );
  }

  /**
   * Register a source, or find it again. Returns `skip` with the reason when it must not be read:
   * already fully ingested, or changed on disk since it was first registered.
   */
  register(path: string, kind: SourceKind, st: FileStamp): { row: SourceRow; skip: string | null; changed?: boolean } {
    const existing = this.byPath.get(path) as any;
    if (existing) {
      const row = toRow(existing);
      if (existing.size !== st.size || existing.mtime_ms !== Math.trunc(st.mtimeMs)) {
        return { row, skip: `changed on disk since it was registered (size ${existing.size} → ${st.size}); not re-read`, changed: true };
      }
      return { row, skip: row.status === 'done' ? 'already ingested' : null };
    }
    const info = this.insert.run(path, kind, st.size, Math.trunc(st.mtimeMs), 'pending', new Date().toISOString());
    const row: SourceRow = { id: Number(info.lastInsertRowid), path, kind, size: st.size, ingestedOffset: 0, status: 'pending', mtimeMs: Math.trunc(st.mtimeMs), sha256: null };
    return { row, skip: null };
  }

  advance(id: number, offset: number, newMessages: number, newErrors: number): void {
    this.advanceStmt.run(offset, newMessages, newErrors, id);
  }

  /**
   * Done. `counts`: a whole-file source's one message, counted here instead of by an advance() just before
   * in the same transaction (one UPDATE per Maildir file instead of two).
   */
  markDone(id: number, sha256: string, counts = { messages: 0, errors: 0 }): void {
    this.doneStmt.run(counts.messages, counts.errors, sha256, new Date().toISOString(), id);
  }

  private entryCounts(containerId: number): SourceInfo['entryCounts'] {
    const rows = this.db.prepare('SELECT role, COUNT(*) AS n FROM container_entries WHERE container_id = ? GROUP BY role').all(containerId) as { role: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.role, r.n]));
  }

  /** Reading failed because the file changed under us; the messages stored so far stay. */
  markFailed(id: number): void {
    this.db.prepare(`UPDATE sources SET status = 'failed', finished_at = ? WHERE id = ?`).run(new Date().toISOString(), id);
  }

  /** A finished source grew (its first bytes verified unchanged): read on from where it ended. */
  reopenGrown(row: SourceRow, st: FileStamp): SourceRow {
    const mtimeMs = Math.trunc(st.mtimeMs);
    this.db.prepare(`UPDATE sources SET size = ?, mtime_ms = ?, status = 'partial' WHERE id = ?`).run(st.size, mtimeMs, row.id);
    return { ...row, size: st.size, mtimeMs, status: 'partial', ingestedOffset: row.size };
  }

  /** Only the mtime moved (the bytes were verified identical): remember the new mtime. */
  touch(id: number, st: FileStamp): void {
    this.db.prepare('UPDATE sources SET mtime_ms = ? WHERE id = ?').run(Math.trunc(st.mtimeMs), id);
  }

  list(): SourceInfo[] {
    const rows = this.db.prepare('SELECT * FROM sources ORDER BY id').all() as any[];
    return rows.map((r) => ({
      id: r.id,
      path: r.path,
      kind: r.kind,
      bytes: r.size,
      sha256: r.sha256,
      status: r.status,
      ingestedBytes: r.ingested_offset,
      messages: r.messages,
      errors: r.errors,
      parentId: r.parent_id ?? null,
      entry: r.entry_path ? JSON.parse(r.entry_path) : null,
      ...(CONTAINER_KINDS.has(r.kind) ? { entryCounts: this.entryCounts(r.id) } : {}),
    }));
  }
}

function toRow(r: any): SourceRow {
  return { id: r.id, path: r.path, kind: r.kind, size: r.size, ingestedOffset: r.ingested_offset, status: r.status, mtimeMs: r.mtime_ms, sha256: r.sha256 };
}
