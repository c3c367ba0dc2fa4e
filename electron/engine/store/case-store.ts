import { mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { anchorPath } from './audit-anchor';
import { AuditLog } from './audit-log';
import { migrate } from './migrations';

export const DB_FILE = 'case.sqlite';

/**
 * A read-only connection to an existing case's database, for a worker thread beside the case's writer
 * (WAL: it reads the last commit while the writer goes on). It waits for a lock like CaseStore does.
 */
export function openCaseReadOnly(dir: string): Database.Database {
  const db = new Database(path.join(dir, DB_FILE), { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

/**
 * A case: a directory holding the SQLite database (and later the search index). It holds metadata and
 * positions only; message bytes stay in the evidence and are read back at their offsets when shown.
 */
export class CaseStore {
  readonly db: Database.Database;
  readonly audit: AuditLog;

  private constructor(readonly dir: string) {
    this.db = new Database(path.join(dir, DB_FILE));
    this.db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a committed transaction survives a process kill (only an OS crash may lose
    // the last commits, never corrupt the database).
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
    this.audit = new AuditLog(this.db, dir);
  }

  /** Open an existing case, or create it when `create` is set. */
  static open(dir: string, { create = false } = {}): CaseStore {
    const abs = path.resolve(dir);
    const exists = existsSync(path.join(abs, DB_FILE));
    if (!exists && !create) throw new CaseError(`no case at ${abs} (expected ${DB_FILE}; create one with "casefile ingest")`);
    if (!exists) mkdirSync(abs, { recursive: true });
    const store = new CaseStore(abs);
    if (!exists) {
      // A leftover anchor (the database was deleted) is kept: verify then reports the replaced history.
      if (!existsSync(anchorPath(abs))) store.audit.startAnchor();
      store.audit.append('case-created', { dir: abs });
    }
    return store;
  }

  close(): void {
    this.audit.anchorHead();
    this.db.close();
  }
}

export class CaseError extends Error {
  override name = 'CaseError';
}
