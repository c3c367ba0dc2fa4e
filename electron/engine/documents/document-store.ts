import type Database from 'better-sqlite3';
import { dateMs } from './dates';
import type { WireDocument } from './wire';

/**
 * Documents by SHA-256: equal bytes are one row, whatever message or path carries them. Callers wrap
 * writes in their transaction (the ingest batch).
 */
export class DocumentWriter {
  private readonly insert;
  private readonly exists;
  private readonly looseAt;
  private readonly insertLoose;

  constructor(db: Database.Database) {
    this.insert = db.prepare(`INSERT OR IGNORE INTO documents (sha256, parent_sha256, name, type, size, meta_json, exif_json, errors_json,
      pages, text_chars, author, last_modified_by, application, modified, modified_ms, extracted_at)
      VALUES (@sha256, @parent, @name, @type, @size, @meta, @exif, @errors, @pages, @textChars, @author, @lastModifiedBy, @application,
      @modified, @modifiedMs, @at)`);
    this.exists = db.prepare('SELECT 1 FROM documents WHERE sha256 = ?');
    this.looseAt = db.prepare('SELECT sha256, size, mtime_ms FROM loose_files WHERE path = ?');
    this.insertLoose = db.prepare(
      'INSERT OR REPLACE INTO loose_files (path, size, mtime_ms, sha256, sniffed_type, ingested_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
  }

  has(sha256: string): boolean {
    return this.exists.get(sha256) !== undefined;
  }

  store(d: WireDocument): void {
    const m = d.meta;
    this.insert.run({
      sha256: d.sha256,
      parent: d.parentSha256 ?? null,
      name: d.name,
      type: d.type,
      size: d.size,
      meta: JSON.stringify(m),
      exif: d.exif ? JSON.stringify(d.exif) : null,
      errors: JSON.stringify(d.errors),
      pages: Buffer.from(d.pagesDeflated.buffer, d.pagesDeflated.byteOffset, d.pagesDeflated.byteLength),
      textChars: d.textChars,
      author: m.author ?? null,
      lastModifiedBy: m.lastModifiedBy ?? null,
      application: m.application ?? m.creatorTool ?? m.producer ?? null,
      modified: m.modified ?? null,
      modifiedMs: dateMs(m.modified),
      at: new Date().toISOString(),
    });
  }

  /** A loose file already recorded unchanged (same size and mtime) needs no new pass. */
  looseUnchanged(path: string, size: number, mtimeMs: number): boolean {
    const row = this.looseAt.get(path) as { size: number; mtime_ms: number } | undefined;
    return row !== undefined && row.size === size && row.mtime_ms === Math.round(mtimeMs);
  }

  storeLoose(path: string, size: number, mtimeMs: number, sha256: string, sniffed: string | null): void {
    this.insertLoose.run(path, size, Math.round(mtimeMs), sha256, sniffed, new Date().toISOString());
  }
}
