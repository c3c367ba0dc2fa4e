import type Database from 'better-sqlite3';
import type { AuthReport } from '../../../shared/types';
import { authTerms } from './auth-terms';

/** Messages verified during ingest (parse workers) not yet in an 'auth-verified' audit entry. */
const AT_INGEST_KEY = 'auth_verified_at_ingest';

/**
 * Writes authenticity reports and their search words (`dkim:`, `arc:`, `flag:`): one place for the pass after
 * ingest (auth-pass.ts) and for the reports parse workers computed during ingest (unsigned-report.ts).
 * Callers wrap calls in their transaction.
 */
export class AuthWriter {
  private readonly st;
  /** Reports stored by ingest in the current transaction (see countAtIngest). */
  private atIngest = 0;

  constructor(private readonly db: Database.Database) {
    this.st = {
      save: db.prepare(
        'INSERT INTO message_auth (message_id, keys_version, signed, result_json, verified_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(message_id) DO UPDATE SET keys_version = excluded.keys_version, signed = excluded.signed, result_json = excluded.result_json, verified_at = excluded.verified_at',
      ),
      clearTerms: db.prepare('DELETE FROM message_auth_terms WHERE message_id = ?'),
      addTerm: db.prepare('INSERT OR IGNORE INTO message_auth_terms (term, message_id) VALUES (?, ?)'),
      addAtIngest: db.prepare(`INSERT INTO meta (key, value) VALUES ('${AT_INGEST_KEY}', ?) ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + excluded.value`),
    };
  }

  save(id: number, keysVersion: number, signed: boolean, report: AuthReport, at: string, fresh = false): void {
    this.st.save.run(id, keysVersion, signed ? 1 : 0, JSON.stringify(report), at);
    // A message stored in this very transaction has no terms yet (messages are never deleted): no DELETE per message.
    if (!fresh) this.st.clearTerms.run(id);
    for (const t of authTerms(report)) this.st.addTerm.run(t, id);
  }

  /** A report a parse worker computed for a new message (unsigned, dated: no key involved). */
  saveAtIngest(id: number, keysVersion: number, report: AuthReport, at: string): void {
    this.save(id, keysVersion, false, report, at, true);
    this.atIngest++;
  }

  /** At the end of an ingest transaction: counts its reports for the pass's audit entry (same transaction). */
  countAtIngest(): void {
    if (this.atIngest > 0) this.st.addAtIngest.run(this.atIngest);
    this.atIngest = 0;
  }
}

/** Reports stored at ingest and not yet audited; `clear` (inside the audit's transaction) resets the count. */
export function verifiedAtIngest(db: Database.Database): { count: number; clear: () => void } {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(AT_INGEST_KEY) as { value: string } | undefined;
  return { count: Number(row?.value ?? 0), clear: () => void db.prepare('DELETE FROM meta WHERE key = ?').run(AT_INGEST_KEY) };
}
