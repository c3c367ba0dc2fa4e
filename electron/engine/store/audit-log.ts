import { existsSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { sha256Hex } from '../util/sha256';
import { anchorPath, appendAnchor, checkAnchor, readAnchor, type AnchorCheck } from './audit-anchor';

export interface AuditEntry {
  id: number;
  at: string;
  action: string;
  details: unknown;
  prevHash: string;
  hash: string;
}

const GENESIS = '0'.repeat(64);

type AppendFn = (action: string, details: unknown) => AuditEntry;

export interface AuditVerdict {
  ok: boolean;
  entries: number;
  firstBad: { id: number; reason: string } | null;
  /** The head kept outside the table (audit-anchor.ts): truncation and re-chaining show here. */
  anchor: AnchorCheck;
}

/**
 * Append-only, hash-chained log of what was done to a case. Each entry's hash covers its content and
 * the previous entry's hash, so editing, deleting or reordering any row breaks the chain from there on.
 */
export class AuditLog {
  private anchored = '';
  /** An anchor write is already queued for after the caller's transaction (one per transaction, not per entry). */
  private anchorQueued = false;
  /** Prepared on first use (a case opened only to read never appends); ingest appends one entry per source. */
  private appendFns: { inside: AppendFn; alone: AppendFn } | null = null;

  constructor(
    private readonly db: Database.Database,
    private readonly caseDir: string,
  ) {}

  private prepareAppend(): { inside: AppendFn; alone: AppendFn } {
    const last = this.db.prepare('SELECT hash FROM audit ORDER BY id DESC LIMIT 1');
    const insert = this.db.prepare('INSERT INTO audit (at, action, details_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?)');
    const inside = (action: string, details: unknown): AuditEntry => {
      const prevHash = (last.get() as { hash: string } | undefined)?.hash ?? GENESIS;
      const at = new Date().toISOString();
      const detailsJson = JSON.stringify(details);
      const hash = entryHash(prevHash, at, action, detailsJson);
      const info = insert.run(at, action, detailsJson, prevHash, hash);
      return { id: Number(info.lastInsertRowid), at, action, details, prevHash, hash };
    };
    // Inside the caller's transaction the entry needs no savepoint of its own (ingest appends one per file).
    return { inside, alone: this.db.transaction(inside) };
  }

  append(action: string, details: unknown): AuditEntry {
    const outer = this.db.inTransaction;
    this.appendFns ??= this.prepareAppend();
    const entry = outer ? this.appendFns.inside(action, details) : this.appendFns.alone(action, details);
    // The anchor is written once the entry is committed: now, or right after the caller's transaction.
    if (!outer) this.anchorHead();
    else if (!this.anchorQueued) {
      this.anchorQueued = true;
      setImmediate(() => {
        this.anchorQueued = false;
        this.anchorHead();
      });
    }
    return entry;
  }

  /** Start the anchor file of a new case (or, explicitly, of a case made before anchoring existed). */
  startAnchor(): void {
    if (existsSync(anchorPath(this.caseDir))) throw new Error(`${anchorPath(this.caseDir)} exists already`);
    const { entries, hash } = this.headCount();
    appendAnchor(this.caseDir, entries, hash);
    this.anchored = `${entries}:${hash}`;
  }

  /** Append the committed head to the anchor file if it moved (never creates the file: see startAnchor). */
  anchorHead(): void {
    if (!this.db.open || this.db.inTransaction || !existsSync(anchorPath(this.caseDir))) return;
    const { entries, hash } = this.headCount();
    if (this.anchored === `${entries}:${hash}`) return;
    appendAnchor(this.caseDir, entries, hash);
    this.anchored = `${entries}:${hash}`;
  }

  /** Number of entries and the newest hash: the head an export manifest records. */
  headCount(): { entries: number; hash: string } {
    const entries = (this.db.prepare('SELECT COUNT(*) n FROM audit').get() as { n: number }).n;
    return { entries, hash: this.head() };
  }

  /** Is `hash` (optionally as entry number `entries`) part of this chain? For a head recorded elsewhere (a manifest). */
  containsHead(hash: string, entries?: number): boolean {
    const rows = this.db.prepare('SELECT hash FROM audit ORDER BY id').all() as { hash: string }[];
    if (entries !== undefined) return entries === 0 ? hash === GENESIS : rows[entries - 1]?.hash === hash;
    return hash === GENESIS || rows.some((r) => r.hash === hash);
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
  verify(): AuditVerdict {
    const rows = this.db.prepare('SELECT id, at, action, details_json, prev_hash, hash FROM audit ORDER BY id').all() as any[];
    let lines;
    try {
      lines = readAnchor(this.caseDir);
    } catch (err) {
      lines = err as Error;
    }
    const anchor = checkAnchor(rows.map((r) => r.hash), lines);
    const broken = (id: number, reason: string): AuditVerdict => ({ ok: false, entries: rows.length, firstBad: { id, reason }, anchor });
    let prev = GENESIS;
    for (const r of rows) {
      if (r.prev_hash !== prev) return broken(r.id, 'previous-hash link broken (row deleted, inserted or reordered before it)');
      if (entryHash(r.prev_hash, r.at, r.action, r.details_json) !== r.hash) return broken(r.id, 'content does not match its hash (row edited)');
      prev = r.hash;
    }
    if (!anchor.ok) return broken(rows.at(-1)?.id ?? 0, anchor.reason!);
    return { ok: true, entries: rows.length, firstBad: null, anchor };
  }
}

function entryHash(prevHash: string, at: string, action: string, detailsJson: string): string {
  return sha256Hex(JSON.stringify([prevHash, at, action, detailsJson])); // one-shot: ingest appends one per file
}
