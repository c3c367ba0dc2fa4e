import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { AuditLog } from '../store/audit-log';
import { parseKeyFile } from './key-formats';
import { type KeyHistory, NO_HISTORY } from './key-history';

export interface KeyUse extends KeyHistory {
  name: string;
  recordSha256: string;
  source: string;
  record: string;
}

/** A DNS resolver for mailauth that answers only from the imported key store: never the network. */
export type OfflineResolver = ((name: string, type: string) => Promise<string[][]>) & { used: Map<string, KeyUse> };

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

/** DKIM/ARC public keys imported by the user, with where each came from. */
export class KeyStore {
  constructor(
    private readonly db: Database.Database,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Import a key file; records already present with a different value (or different history) are
   * replaced, and audited. A file without history leaves the history already known untouched.
   */
  import(file: string, pemName?: string): { format: string; added: number; replaced: number; unchanged: number; ignored: number; version: number } {
    const bytes = readFileSync(file);
    const parsed = parseKeyFile(bytes.toString('utf8'), pemName);
    const source = path.resolve(file);
    const sourceSha = sha256(bytes);
    return this.db.transaction(() => {
      let added = 0;
      let replaced = 0;
      let unchanged = 0;
      const get = this.db.prepare(`SELECT record, ${HISTORY_COLUMNS} FROM dkim_keys WHERE name = ?`);
      const put = this.db.prepare(
        `INSERT INTO dkim_keys (name, record, record_sha256, source, source_sha256, imported_at, first_seen, last_seen, retired, private_key_published, origin)
         VALUES (@name, @record, @recordSha, @source, @sourceSha, @now, @firstSeen, @lastSeen, @retired, @privateKeyPublished, @origin)
         ON CONFLICT(name) DO UPDATE SET record = excluded.record, record_sha256 = excluded.record_sha256, source = excluded.source, source_sha256 = excluded.source_sha256, imported_at = excluded.imported_at,
           first_seen = excluded.first_seen, last_seen = excluded.last_seen, retired = excluded.retired, private_key_published = excluded.private_key_published, origin = excluded.origin`,
      );
      const now = new Date().toISOString();
      for (const r of parsed.records) {
        const old = get.get(r.name) as ({ record: string } & KeyHistory) | undefined;
        const history = r.history ?? (old ? historyOf(old) : NO_HISTORY);
        if (old?.record === r.record && JSON.stringify(historyOf(old)) === JSON.stringify(history)) {
          unchanged++;
          continue;
        }
        if (old) replaced++;
        else added++;
        put.run({ name: r.name, record: r.record, recordSha: sha256(r.record), source, sourceSha, now, ...history });
      }
      const version = this.bumpVersion();
      this.audit.append('keys-imported', {
        file: source,
        sha256: sourceSha,
        format: parsed.format,
        added,
        replaced,
        unchanged,
        ignored: parsed.ignored,
        keys: parsed.records.map((r) => ({ name: r.name, recordSha256: sha256(r.record), ...(r.history ?? {}) })),
      });
      return { format: parsed.format, added, replaced, unchanged, ignored: parsed.ignored, version };
    })();
  }

  /** Incremented by every import: verdicts computed with an older key set are redone. */
  version(): number {
    return Number((this.db.prepare("SELECT value FROM meta WHERE key = 'keys_version'").get() as { value: string } | undefined)?.value ?? 0);
  }

  private bumpVersion(): number {
    const v = this.version() + 1;
    this.db.prepare("INSERT INTO meta (key, value) VALUES ('keys_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(String(v));
    return v;
  }

  /** The resolver handed to mailauth. Unknown names answer ENOTFOUND, as DNS would for a missing key. */
  resolver(extra: Map<string, string> = new Map()): OfflineResolver {
    const get = this.db.prepare(`SELECT record, record_sha256, source, ${HISTORY_COLUMNS} FROM dkim_keys WHERE name = ?`);
    const used = new Map<string, KeyUse>();
    const resolver = (async (name: string, type: string) => {
      const key = name.trim().toLowerCase().replace(/\.$/, '');
      const fromExtra = extra.get(key);
      const row = fromExtra !== undefined ? { record: fromExtra, record_sha256: sha256(fromExtra), source: 'given for this run', ...NO_HISTORY } : (get.get(key) as ({ record: string; record_sha256: string; source: string } & KeyHistory) | undefined);
      if (type !== 'TXT' || !row) {
        const err = new Error(`no key for ${key} in the case key store (offline: DNS is never asked)`) as NodeJS.ErrnoException;
        err.code = 'ENOTFOUND';
        throw err;
      }
      used.set(key, { name: key, recordSha256: row.record_sha256, source: row.source, record: row.record, ...historyOf(row) });
      return [chunk(row.record)];
    }) as OfflineResolver;
    resolver.used = used;
    return resolver;
  }
}

/** TXT strings are at most 255 bytes each; mailauth joins the chunks like a DNS answer. */
function chunk(record: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < record.length; i += 255) out.push(record.slice(i, i + 255));
  return out.length ? out : [''];
}

const HISTORY_COLUMNS = 'first_seen firstSeen, last_seen lastSeen, retired, private_key_published privateKeyPublished, origin';

function historyOf(row: KeyHistory): KeyHistory {
  return { firstSeen: row.firstSeen, lastSeen: row.lastSeen, retired: row.retired, privateKeyPublished: row.privateKeyPublished, origin: row.origin };
}
