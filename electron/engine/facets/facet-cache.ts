import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type Database from 'better-sqlite3';

/**
 * The facet columns of an open case, kept between runs in `<case>/facets.cache` (derived data, like the
 * index; deleting it only costs one slow first overview). Reading every message's columns from SQLite,
 * with language detection, takes seconds at 100,000 messages; this file loads in milliseconds.
 * Stored messages never change, so the file stays valid for the ids it covers; it is refused when the
 * case no longer holds exactly those messages (another case copied in, a restored database), and the
 * dates the authenticity pass fills in later (from the first Received hop) are re-read.
 *
 * Layout: 4-byte header length, JSON header (version, key, dictionaries, column lengths), then the
 * columns as little-endian Float64 (dates) and Int32 arrays.
 */
export const FACET_CACHE = 'facets.cache';
/** Bump when a derived column changes meaning (language detection, attachment kinds, custodian rules). */
const VERSION = 1;

interface Header {
  version: number;
  count: number;
  lastId: number;
  lastSha: string;
  /** Messages whose date came later from the authenticity pass, when the file was written. */
  dated: number;
  dicts: { addresses: string[]; domains: string[]; kinds: string[]; languages: string[] };
  /** Int32 columns in this order, each with its length. */
  ints: { name: IntColumn; length: number }[];
}

/** What is saved of a FacetIndex (kept structural: facet-index.ts imports this file). */
export interface FacetColumns {
  ids: number[];
  pos: Map<number, number>;
  date: number[];
  source: number[];
  sender: number[];
  domain: number[];
  language: number[];
  recipients: number[][];
  attachments: number[][];
  addresses: { values: string[] };
  domains: { values: string[] };
  kinds: { values: string[] };
  languages: { values: string[] };
  restore(c: Omit<FacetColumns, 'pos' | 'restore' | 'addresses' | 'domains' | 'kinds' | 'languages'> & { dicts: Header['dicts'] }): void;
}

type IntColumn = 'ids' | 'source' | 'sender' | 'domain' | 'language' | 'recipientEnds' | 'recipientCodes' | 'attachmentEnds' | 'attachmentCodes';

const datedCount = (db: Database.Database) => (db.prepare('SELECT COUNT(*) n FROM messages WHERE date_source IS NOT NULL').get() as { n: number }).n;

export function saveFacetCache(file: string, db: Database.Database, ix: FacetColumns): void {
  const n = ix.ids.length;
  if (n === 0) return;
  const lastId = ix.ids[n - 1]!;
  const lastSha = (db.prepare('SELECT sha256 FROM messages WHERE id = ?').get(lastId) as { sha256: string } | undefined)?.sha256 ?? '';
  const flat = (lists: number[][]) => ({ ends: lists.reduce<number[]>((a, l) => (a.push((a.at(-1) ?? 0) + l.length), a), []), codes: lists.flat() });
  const rcpt = flat(ix.recipients);
  const att = flat(ix.attachments);
  const cols: Record<IntColumn, number[]> = { ids: ix.ids, source: ix.source, sender: ix.sender, domain: ix.domain, language: ix.language, recipientEnds: rcpt.ends, recipientCodes: rcpt.codes, attachmentEnds: att.ends, attachmentCodes: att.codes };
  const header: Header = {
    version: VERSION,
    count: n,
    lastId,
    lastSha,
    dated: datedCount(db),
    dicts: { addresses: ix.addresses.values, domains: ix.domains.values, kinds: ix.kinds.values, languages: ix.languages.values },
    ints: (Object.keys(cols) as IntColumn[]).map((name) => ({ name, length: cols[name].length })),
  };
  const json = Buffer.from(JSON.stringify(header));
  const parts = [Buffer.alloc(4), json, Buffer.from(Float64Array.from(ix.date).buffer), ...header.ints.map((c) => Buffer.from(Int32Array.from(cols[c.name]).buffer))];
  parts[0]!.writeUInt32LE(json.length);
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, Buffer.concat(parts));
  renameSync(tmp, file);
}

/** Fills an empty index from the file; false (and the index left empty) when there is none or it does not fit this case. */
export function loadFacetCache(file: string, db: Database.Database, ix: FacetColumns): boolean {
  if (!existsSync(file) || ix.ids.length > 0) return false;
  try {
    const buf = readFileSync(file);
    const headerLength = buf.readUInt32LE(0);
    const h = JSON.parse(buf.subarray(4, 4 + headerLength).toString('utf8')) as Header;
    if (h.version !== VERSION) return false;
    const inCase = (db.prepare('SELECT COUNT(*) n, (SELECT sha256 FROM messages WHERE id = ?) sha FROM messages WHERE id <= ?').get(h.lastId, h.lastId) as { n: number; sha: string | null });
    if (inCase.n !== h.count || inCase.sha !== h.lastSha) return false;
    let at = 4 + headerLength;
    // Copied out of the file buffer: typed views need aligned offsets.
    const f64 = (len: number) => Array.from(new Float64Array(buf.buffer.slice(buf.byteOffset + at, buf.byteOffset + (at += len * 8))));
    const i32 = (len: number) => Array.from(new Int32Array(buf.buffer.slice(buf.byteOffset + at, buf.byteOffset + (at += len * 4))));
    const date = f64(h.count);
    const cols = Object.fromEntries(h.ints.map((c) => [c.name, i32(c.length)])) as Record<IntColumn, number[]>;
    const unflat = (ends: number[], codes: number[]) => ends.map((e, i) => codes.slice(i ? ends[i - 1] : 0, e));
    ix.restore({
      ids: cols.ids,
      date,
      source: cols.source,
      sender: cols.sender,
      domain: cols.domain,
      language: cols.language,
      recipients: unflat(cols.recipientEnds, cols.recipientCodes),
      attachments: unflat(cols.attachmentEnds, cols.attachmentCodes),
      dicts: h.dicts,
    });
    // Dates filled in by the authenticity pass since the file was written.
    if (datedCount(db) !== h.dated) {
      for (const [id, ms] of db.prepare('SELECT id, date_ms FROM messages WHERE date_source IS NOT NULL AND id <= ?').raw().iterate(h.lastId) as Iterable<[number, number | null]>) {
        const p = ix.pos.get(id);
        if (p !== undefined) ix.date[p] = ms ?? NaN;
      }
    }
    return true;
  } catch {
    return false; // a damaged or foreign file: read the case instead (and write a new one)
  }
}
