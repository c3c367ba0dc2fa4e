import type Database from 'better-sqlite3';
import type { ContainerEntryInfo, SourceKind } from '../../../shared/types';
import type { SourceRow } from './source-registry';

/** How a chain of entry names is shown where one path is expected: `dump.zip!/inner.tar!/a.mbox`. */
export function entryDisplayPath(containerPath: string, chain: string[]): string {
  return [containerPath, ...chain].join('!/');
}

/**
 * The entries of archive sources (what each was taken for) and the mail files inside them, which are
 * sources of their own whose offsets are inside the entry.
 */
export class ContainerEntries {
  private readonly upsert;

  constructor(private readonly db: Database.Database) {
    this.upsert = db.prepare(`
      INSERT INTO container_entries (container_id, entry_path, role, detected, size, sha256, mail_source_id, detail)
      VALUES (@containerId, @entryPath, @role, @detected, @size, @sha256, @mailSourceId, @detail)
      ON CONFLICT (container_id, entry_path) DO UPDATE SET role = excluded.role, detected = excluded.detected,
        size = excluded.size, sha256 = excluded.sha256, mail_source_id = excluded.mail_source_id, detail = excluded.detail`);
  }

  record(containerId: number, e: ContainerEntryInfo, mailSourceId: number | null = null): void {
    this.upsert.run({
      containerId,
      entryPath: JSON.stringify(e.entry),
      role: e.role,
      detected: e.detected,
      size: e.size,
      sha256: e.sha256,
      mailSourceId,
      detail: e.detail,
    });
  }

  /** Chains already handled for good (problems are tried again on the next run). */
  finished(containerId: number): Set<string> {
    const rows = this.db.prepare(`SELECT entry_path FROM container_entries WHERE container_id = ? AND role IN ('mail', 'document', 'other', 'skipped')`).all(containerId) as {
      entry_path: string;
    }[];
    return new Set(rows.map((r) => r.entry_path));
  }

  list(containerId: number): ContainerEntryInfo[] {
    const rows = this.db.prepare('SELECT * FROM container_entries WHERE container_id = ? ORDER BY id').all(containerId) as any[];
    return rows.map((r) => ({ entry: JSON.parse(r.entry_path), role: r.role, detected: r.detected, size: r.size, sha256: r.sha256, detail: r.detail }));
  }

  /** Register a mail file inside an archive as a source (or find it again, with its resume offset). */
  registerMailEntry(container: SourceRow, mtimeMs: number, chain: string[], kind: SourceKind, size: number): { row: SourceRow; skip: string | null } {
    const displayPath = entryDisplayPath(container.path, chain);
    const existing = this.db.prepare('SELECT * FROM sources WHERE path = ?').get(displayPath) as any;
    if (existing) {
      const row: SourceRow = { id: existing.id, path: displayPath, kind: existing.kind, size: existing.size, ingestedOffset: existing.ingested_offset, status: existing.status, mtimeMs, sha256: existing.sha256 };
      return { row, skip: row.status === 'done' ? 'already ingested' : null };
    }
    const info = this.db
      .prepare('INSERT INTO sources (path, kind, size, mtime_ms, status, added_at, parent_id, entry_path) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(displayPath, kind, size, mtimeMs, 'pending', new Date().toISOString(), container.id, JSON.stringify(chain));
    return { row: { id: Number(info.lastInsertRowid), path: displayPath, kind, size, ingestedOffset: 0, status: 'pending', mtimeMs, sha256: null }, skip: null };
  }
}
