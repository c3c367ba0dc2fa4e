import type Database from 'better-sqlite3';
import type { AuthReport } from '../../../shared/types';
import { parserInput } from '../parse/parser-input';
import { EvidenceFdCache } from '../source/evidence-fd-cache';
import type { AuditLog } from '../store/audit-log';
import { CaseQueries } from '../store/case-queries';
import { readRawHeaders } from '../parse/raw-headers';
import { fallbackDate } from './fallback-date';
import { KeyStore } from './key-store';
import { receivedChain } from './received-chain';
import { AuthWriter, verifiedAtIngest } from './auth-writer';

export interface AuthTotals {
  messages: number;
  signed: number;
  dkimPass: number;
  dkimFail: number;
  dkimNoKey: number;
  bodyOk: number;
  bodyAltered: number;
  arcPass: number;
  arcFail: number;
  flagged: number;
}

const BATCH = 200;

/**
 * Verify signatures and compute flags for every message not yet done, or done with an older key set
 * (signed messages only: unsigned ones do not change). Ingest leaves only signed and undated messages
 * to it (and any whose report the parse workers could not compute). Commits every BATCH messages, so an interrupted
 * pass resumes where it stopped. Reads the evidence read-only at the recorded offsets.
 */
export async function runAuthPass(db: Database.Database, audit: AuditLog, onProgress?: (done: number, total: number) => void): Promise<{ checked: number; totals: AuthTotals; dated: number }> {
  const keys = new KeyStore(db, audit);
  const version = keys.version();
  const resolver = keys.resolver();
  // Paged by id so a million-message case never holds its whole to-do list in memory.
  const pending = `FROM messages m LEFT JOIN message_auth a ON a.message_id = m.id WHERE (a.message_id IS NULL OR (a.signed = 1 AND a.keys_version < @version))`;
  const total = (db.prepare(`SELECT COUNT(*) n ${pending}`).get({ version }) as { n: number }).n;
  const page = db.prepare(`SELECT m.id, m.date_ms, m.from_addr ${pending} AND m.id > @after ORDER BY m.id LIMIT ${BATCH}`);
  const queries = new CaseQueries(db);
  const writer = new AuthWriter(db);
  const setDate = db.prepare('UPDATE messages SET date_ms = ?, date_source = ? WHERE id = ? AND date_ms IS NULL');
  const reader = new EvidenceFdCache();
  // Messages given a date here (from the Received chain or the From_ line): their threads must be rebuilt.
  let dated = 0;
  try {
    let done = 0;
    for (let after = 0; ; ) {
      const rows = page.all({ version, after }) as { id: number; date_ms: number | null; from_addr: string | null }[];
      if (rows.length === 0) break;
      // Loaded only when there is something to verify (mailauth, and the archive and Outlook readers for
      // re-reading): after an ingest whose workers verified every message, the pass loads none of them (issue 15).
      const { readOriginalBytes, authenticateMessage } = await verifiers();
      after = rows[rows.length - 1]!.id;
      const batch: { id: number; report: AuthReport; signed: boolean; dated?: ReturnType<typeof fallbackDate> }[] = [];
      for (const m of rows) {
        const l = queries.firstLocation(m.id)!;
        let raw: Buffer;
        try {
          // Outlook items are re-encoded and archive entries decompressed; plain files are a byte range.
          raw = l.container || l.kind === 'pst' || l.kind === 'msg' ? await readOriginalBytes(l) : reader.read(l.path, l.offset, l.length);
        } catch (err) {
          const report: AuthReport = { dkim: [], arc: { result: 'none', reason: null, instances: 0 }, received: [], flags: [{ name: 'evidence-unreadable', message: `The evidence could not be read: ${(err as Error).message}` }] };
          batch.push({ id: m.id, report, signed: false });
          continue;
        }
        const input = parserInput(raw, l.quotedFrom);
        // Undated mail gets its date from the first Received hop (else the mbox From_ line), and is judged at it.
        const dated = m.date_ms === null ? fallbackDate(receivedChain(readRawHeaders(input).values.get('received') ?? []), l.envelope) : null;
        const r = await authenticateMessage(input, resolver, { dateMs: dated?.ms ?? m.date_ms, fromAddress: m.from_addr });
        batch.push({ id: m.id, ...r, dated });
      }
      const now = new Date().toISOString();
      db.transaction(() => {
        for (const b of batch) {
          writer.save(b.id, version, b.signed, b.report, now);
          if (b.dated) dated += setDate.run(b.dated.ms, b.dated.source, b.id).changes;
        }
      })();
      done += rows.length;
      onProgress?.(done, total);
    }
  } finally {
    reader.closeAll();
  }
  const totals = authTotals(db);
  // Unsigned, dated messages were verified by the parse workers during ingest (unsigned-report.ts): audited
  // here with the rest, in one entry, as when the pass verified every message itself.
  const atIngest = verifiedAtIngest(db);
  const checked = total + atIngest.count;
  if (checked > 0) {
    const keysUsed = [...resolver.used.values()].map((k) => ({ name: k.name, recordSha256: k.recordSha256, source: k.source }));
    db.transaction(() => {
      audit.append('auth-verified', { checked, ...(atIngest.count > 0 ? { verifiedAtIngest: atIngest.count } : {}), keysVersion: version, totals, keysUsed });
      atIngest.clear();
    })();
  }
  return { checked, totals, dated };
}

/** Imported on the first page to verify (Node keeps modules once loaded: later pages cost a look-up). */
async function verifiers() {
  const [{ readOriginalBytes }, { authenticateMessage }] = await Promise.all([import('../store/original-bytes'), import('./message-auth')]);
  return { readOriginalBytes, authenticateMessage };
}

export function authTotals(db: Database.Database): AuthTotals {
  const count = (term: string) => (db.prepare('SELECT COUNT(*) n FROM message_auth_terms WHERE term = ?').get(term) as { n: number }).n;
  const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return {
    messages: one('SELECT COUNT(*) n FROM message_auth'),
    signed: one('SELECT COUNT(*) n FROM message_auth WHERE signed = 1'),
    dkimPass: count('dkim:pass'),
    dkimFail: count('dkim:fail'),
    dkimNoKey: count('dkim:no-key'),
    bodyOk: count('dkim:body-ok'),
    bodyAltered: count('dkim:body-altered'),
    arcPass: count('arc:pass'),
    arcFail: count('arc:fail'),
    flagged: one("SELECT COUNT(DISTINCT message_id) n FROM message_auth_terms WHERE term LIKE 'flag:%'"),
  };
}
