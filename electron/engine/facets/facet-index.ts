import path from 'node:path';
import type Database from 'better-sqlite3';
import { attachmentKind } from './attachment-kind';
import { mailboxesOf } from './custodian';
import { detectLanguage } from './language';
import { FACET_CACHE, loadFacetCache, saveFacetCache } from './facet-cache';
import { Dict } from './dict';
import { readAuthColumns, type CodedColumn } from './auth-columns';

const EMPTY: CodedColumn = { values: [], starts: new Int32Array(1), codes: new Int32Array(0) };

/**
 * The facet columns of every message, held in memory (a few dozen bytes per message), so that counting a
 * result set of 100,000 messages is one pass over arrays instead of SQL joins. Loaded once, then extended
 * with the messages ingested since (new ids only: stored messages never change); tags and authenticity
 * terms, which do change, are re-read when their tables change.
 */
export class FacetIndex {
  readonly ids: number[] = [];
  readonly pos = new Map<number, number>();
  readonly date: number[] = [];
  readonly source: number[] = [];
  readonly sender: number[] = [];
  readonly domain: number[] = [];
  readonly recipients: number[][] = [];
  readonly attachments: number[][] = [];
  readonly language: number[] = [];
  readonly addresses = new Dict();
  readonly domains = new Dict();
  readonly kinds = new Dict();
  readonly languages = new Dict();
  /** Source id → mailbox label (recomputed when sources are added: the shared root may move). */
  mailboxOfSource = new Map<number, string>();
  private sourceCount = -1;
  private authKey = '';
  /** The authenticity terms (flag:…, dkim:…) as two facets by position (auth-columns.ts). */
  auth: { flag: CodedColumn; dkim: CodedColumn } = { flag: EMPTY, dkim: EMPTY };

  /** The database's write counters at the last refresh (see refresh). */
  private written = '';
  /** Messages in the cache file when it was last written or read. */
  private cached = 0;

  /** `cacheFile`: where the columns are kept between runs (facet-cache.ts); none, read the case each time. */
  constructor(
    private readonly db: Database.Database,
    private readonly cacheFile?: string,
  ) {}

  /** The facet columns of the case in `caseDir`, kept between runs in its facets.cache. */
  static forCase(db: Database.Database, caseDir: string): FacetIndex {
    return new FacetIndex(db, path.join(caseDir, FACET_CACHE));
  }

  /** Brings the columns up to date with the case (cheap when nothing changed). */
  refresh(): this {
    // Nothing written since the last refresh, by this connection (total_changes) or another (data_version):
    // the columns are current. Otherwise each part checks its own table; the authenticity key alone scans
    // message_auth (≈0.45 s at 1M messages), which every overview after a query used to pay.
    const written = `${this.db.prepare('SELECT total_changes()').pluck().get()}/${this.db.pragma('data_version', { simple: true })}`;
    if (written === this.written) return this;
    this.written = written;
    if (this.cacheFile && this.ids.length === 0 && loadFacetCache(this.cacheFile, this.db, this)) this.cached = this.ids.length;
    this.loadMessages();
    // Written again once a good share of the case is new (not on every message of a running ingest).
    if (this.cacheFile && this.ids.length - this.cached >= Math.max(1000, this.cached / 10)) {
      saveFacetCache(this.cacheFile, this.db, this);
      this.cached = this.ids.length;
    }
    this.loadSources();
    this.loadAuth();
    return this;
  }

  /** Message id → tag names, read fresh: tags change at any time and the table is small. */
  tags(): Map<number, string[]> {
    const out = new Map<number, string[]>();
    for (const [id, name] of this.db.prepare('SELECT mt.message_id, t.name FROM message_tags mt JOIN tags t ON t.id = mt.tag_id').raw().iterate() as Iterable<[number, string]>) {
      const list = out.get(id);
      if (list) list.push(name);
      else out.set(id, [name]);
    }
    return out;
  }

  /** The columns as saved (facet-cache.ts), into an empty index. */
  restore(c: { ids: number[]; date: number[]; source: number[]; sender: number[]; domain: number[]; language: number[]; recipients: number[][]; attachments: number[][]; dicts: Record<'addresses' | 'domains' | 'kinds' | 'languages', string[]> }): void {
    // One push per value, not push(...c.ids): a spread passes every id as an argument, and at ≈1M messages
    // that overflowed the stack, so the cache was never used and every first overview re-read the case (40–50 s).
    for (const [into, from] of [
      [this.ids, c.ids],
      [this.date, c.date],
      [this.source, c.source],
      [this.sender, c.sender],
      [this.domain, c.domain],
      [this.language, c.language],
    ] as const)
      for (const v of from) into.push(v);
    c.ids.forEach((id, p) => this.pos.set(id, p));
    for (const r of c.recipients) this.recipients.push(r);
    for (const a of c.attachments) this.attachments.push(a);
    this.addresses.load(c.dicts.addresses);
    this.domains.load(c.dicts.domains);
    this.kinds.load(c.dicts.kinds);
    this.languages.load(c.dicts.languages);
  }

  private loadMessages(): void {
    const last = this.ids.at(-1) ?? 0;
    const rows = this.db
      .prepare(
        `SELECT m.id, m.date_ms, m.from_addr, m.to_json, m.cc_json, m.subject, m.preview,
           (SELECT l.source_id FROM locations l WHERE l.message_id = m.id ORDER BY l.id LIMIT 1) src
         FROM messages m WHERE m.id > ? ORDER BY m.id`,
      )
      .raw()
      .iterate(last) as Iterable<[number, number | null, string | null, string, string, string | null, string, number | null]>;
    const none = this.addresses.code('');
    for (const [id, dateMs, from, to, cc, subject, preview, src] of rows) {
      this.pos.set(id, this.ids.length);
      this.ids.push(id);
      this.date.push(dateMs ?? NaN);
      this.source.push(src ?? 0);
      const addr = (from ?? '').toLowerCase();
      this.sender.push(addr ? this.addresses.code(addr) : none);
      this.domain.push(this.domains.code(addr.includes('@') ? addr.slice(addr.lastIndexOf('@') + 1) : ''));
      const rcpt = new Set<number>();
      for (const json of [to, cc]) for (const a of JSON.parse(json) as { address?: string }[]) if (a.address) rcpt.add(this.addresses.code(a.address.toLowerCase()));
      this.recipients.push([...rcpt]);
      this.attachments.push([]);
      this.language.push(this.languages.code(detectLanguage(`${subject ?? ''} ${preview}`)));
    }
    if (this.ids.length === 0 || this.ids.at(-1) === last) return;
    const att = this.db.prepare('SELECT message_id, content_type, sniffed_type, filename FROM attachments WHERE message_id > ?').raw().iterate(last) as Iterable<[number, string, string | null, string | null]>;
    for (const [id, declared, sniffed, name] of att) {
      const p = this.pos.get(id);
      if (p === undefined) continue;
      const code = this.kinds.code(attachmentKind(sniffed || declared, name));
      if (!this.attachments[p]!.includes(code)) this.attachments[p]!.push(code);
    }
  }

  private loadSources(): void {
    const n = (this.db.prepare('SELECT COUNT(*) n FROM sources').get() as { n: number }).n;
    if (n === this.sourceCount) return;
    const rows = this.db.prepare('SELECT id, path, kind FROM sources ORDER BY id').all() as { id: number; path: string; kind: string }[];
    const labels = mailboxesOf(rows);
    this.mailboxOfSource = new Map(rows.map((r, i) => [r.id, labels[i]!]));
    this.sourceCount = n;
  }

  private loadAuth(): void {
    const k = this.db.prepare('SELECT COUNT(*) n, MAX(verified_at) v FROM message_auth').get() as { n: number; v: string | null };
    const key = `${k.n}/${k.v}`;
    if (key === this.authKey) return;
    this.auth = readAuthColumns(this.db, this.ids);
    this.authKey = key;
  }
}
