import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';

export interface AuditEntry {
  id: number;
  at: string;
  action: string;
  details: unknown;
  prevHash: string;
  hash: string;
}

const GENESIS = '0'.repeat(64);

/**
 * Append-only, hash-chained log of what was done to a case. Each entry's hash covers its content and
 * the previous entry's hash, so editing, deleting or reordering any row breaks the chain from there on.
 */
export class AuditLog {
  constructor(private readonly db: Database.Database) {}

  append(action: string, details: unknown): AuditEntry {
    return this.db.transaction(() => {
      const last = this.db.prepare('SELECT hash FROM audit ORDER BY id DESC LIMIT 1').get() as { hash: string } | undefined;
      const prevHash = last?.hash ?? GENESIS;
      const at = new Date().toISOString();
      const detailsJson = JSON.stringify(details);
      const hash = entryHash(prevHash, at, action, detailsJson);
      const info = this.db.prepare('INSERT INTO audit (at, action, details_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?)').run(at, action, detailsJson, prevHash, hash);
      return { id: Number(info.lastInsertRowid), at, action, details, prevHash, hash };
    })();
  }

  /** Hash of the newest entry: it fixes the whole history before it. */
  head(): string {
    return (this.db.prepare('SELECT hash FROM audit ORDER BY id DESC LIMIT 1').get() as { hash: string } | undefined)?.hash ?? GENESIS;
  }

  entries(): AuditEntry[] {
    const rows = this.db.prepare('SELECT id, at, action, details_json, prev_hash, hash FROM audit ORDER BY id').all() as any[];
    return rows.map((r) => ({ id: r.id, at: r.at, action: r.action, details: JSON.parse(r.details_json), prevHash: r.prev_hash, hash: r.hash }));
  }

  /** Recompute the chain; report the first entry whose stored hashes disagree with its content. */
  verify(): { ok: boolean; entries: number; firstBad: { id: number; reason: string } | null } {
    const rows = this.db.prepare('SELECT id, at, action, details_json, prev_hash, hash FROM audit ORDER BY id').all() as any[];
    let prev = GENESIS;
    for (const r of rows) {
      if (r.prev_hash !== prev) return { ok: false, entries: rows.length, firstBad: { id: r.id, reason: 'previous-hash link broken (row deleted, inserted or reordered before it)' } };
      if (entryHash(r.prev_hash, r.at, r.action, r.details_json) !== r.hash) return { ok: false, entries: rows.length, firstBad: { id: r.id, reason: 'content does not match its hash (row edited)' } };
      prev = r.hash;
    }
    return { ok: true, entries: rows.length, firstBad: null };
  }
}

function entryHash(prevHash: string, at: string, action: string, detailsJson: string): string {
  return createHash('sha256').update(JSON.stringify([prevHash, at, action, detailsJson])).digest('hex');
}
