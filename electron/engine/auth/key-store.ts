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
export type OfflineResolver = ((name: string, type: string) => Promise<string[][]>) & {
  used: Map<string, KeyUse>;
  /** Every key the store holds for a name, most recently imported first. */
  keysFor(name: string): KeyUse[];
  /** The same resolver, answering `name` with the key whose record has this SHA-256. */
  pinned(name: string, recordSha256: string): OfflineResolver;
};

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

/** DKIM/ARC public keys imported by the user, with where each came from. */
export class KeyStore {
  constructor(
    private readonly db: Database.Database,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Import a key file, audited. Every distinct record is kept, also several for one name (key rotations):
   * `added` counts new records; `replaced` counts records already present whose history the file changes.
   * A file without history leaves the history already known untouched.
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
      const get = this.db.prepare(`SELECT record, ${HISTORY_COLUMNS} FROM dkim_keys WHERE name = ? AND record_sha256 = ?`);
      const put = this.db.prepare(
        `INSERT INTO dkim_keys (name, record, record_sha256, source, source_sha256, imported_at, first_seen, last_seen, retired, private_key_published, origin)
         VALUES (@name, @record, @recordSha, @source, @sourceSha, @now, @firstSeen, @lastSeen, @retired, @privateKeyPublished, @origin)
         ON CONFLICT(name, record_sha256) DO UPDATE SET source = excluded.source, source_sha256 = excluded.source_sha256, imported_at = excluded.imported_at,
           first_seen = excluded.first_seen, last_seen = excluded.last_seen, retired = excluded.retired, private_key_published = excluded.private_key_published, origin = excluded.origin`,
      );
      const now = new Date().toISOString();
      for (const r of parsed.records) {
        const old = get.get(r.name, sha256(r.record)) as ({ record: string } & KeyHistory) | undefined;
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

  /**
   * The resolver handed to mailauth. Unknown names answer ENOTFOUND, as DNS would for a missing key. A name
   * with several keys answers with the most recently imported one, unless a pin chooses another (the
   * verifier tries each key of a rotated selector through `pinned`).
   */
  resolver(extra: Map<string, string> = new Map()): OfflineResolver {
    const all = this.db.prepare(`SELECT name, record, record_sha256 recordSha256, source, ${HISTORY_COLUMNS} FROM dkim_keys WHERE name = ? ORDER BY imported_at DESC, rowid DESC`);
    const keysFor = (name: string): KeyUse[] => {
      const key = name.trim().toLowerCase().replace(/\.$/, '');
      const fromExtra = extra.get(key);
      if (fromExtra !== undefined) return [{ name: key, record: fromExtra, recordSha256: sha256(fromExtra), source: 'given for this run', ...NO_HISTORY }];
      return (all.all(key) as KeyUse[]).map((row) => ({ name: row.name, record: row.record, recordSha256: row.recordSha256, source: row.source, ...historyOf(row) }));
    };
    const used = new Map<string, KeyUse>();
    const make = (pins: Map<string, string>): OfflineResolver => {
      const resolver = (async (name: string, type: string) => {
        const key = name.trim().toLowerCase().replace(/\.$/, '');
        const keys = type === 'TXT' ? keysFor(key) : [];
        const chosen = keys.find((k) => k.recordSha256 === pins.get(key)) ?? keys[0];
        if (!chosen) {
          const err = new Error(`no key for ${key} in the case key store (offline: DNS is never asked)`) as NodeJS.ErrnoException;
          err.code = 'ENOTFOUND';
          throw err;
        }
        used.set(key, chosen);
        return [chunk(chosen.record)];
      }) as OfflineResolver;
      return Object.assign(resolver, { used, keysFor, pinned: (name: string, recordSha256: string) => make(new Map([...pins, [name, recordSha256]])) });
    };
    return make(new Map());
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
