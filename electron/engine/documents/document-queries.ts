import type Database from 'better-sqlite3';
import type { DocumentAppearance, DocumentDetail, DocumentJson, DocumentLocation, DocumentPage, DocumentSort } from '../../../shared/types';
import { parseQuery } from '../search/query-parser';
import { DocumentMatcher } from './doc-search';
import { pagesOf } from './wire';

interface Row {
  id: number;
  sha256: string;
  parent_sha256: string | null;
  name: string;
  type: string;
  size: number;
  meta_json: string;
  exif_json: string | null;
  errors_json: string;
  pages: Buffer | null;
  modified_ms: number | null;
  ocr_state?: 'done' | 'empty' | 'failed' | null;
  ocr_error?: string | null;
  ocr_pages?: Buffer | null;
  ocr_chars?: number | null;
  ocr_at?: string | null;
}

/** Sort keys: fixed column names, never user text in SQL. */
const SORT_COLUMNS: Record<DocumentSort, string> = {
  modified: 'modified_ms',
  name: 'name COLLATE NOCASE',
  type: 'type',
  author: 'author COLLATE NOCASE',
  lastModifiedBy: 'last_modified_by COLLATE NOCASE',
  application: 'application COLLATE NOCASE',
  size: 'size',
};

/** Read side of documents: the public JSON of issue 11 item 7, lists, detail with text and "appears in". */
export class DocumentQueries {
  constructor(private readonly db: Database.Database) {}

  bySha(sha256: string): DocumentJson | null {
    const row = this.db.prepare('SELECT * FROM documents WHERE sha256 = ?').get(sha256) as Row | undefined;
    return row ? this.json(row) : null;
  }

  detail(id: number): DocumentDetail | null {
    const row = this.db.prepare('SELECT * FROM documents WHERE id = ?').get(id) as Row | undefined;
    if (!row) return null;
    const out: DocumentDetail = { ...this.json(row), pages: pagesOf(row.pages), appearsIn: this.appearsIn(row.sha256) };
    if (row.ocr_pages) out.ocrPages = pagesOf(row.ocr_pages);
    return out;
  }

  /** Documents matching a query (same language as message search), ordered by last-modified time. */
  list({ query = '', limit = 100, offset = 0, sort = 'modified', desc = false }: { query?: string; limit?: number; offset?: number; sort?: DocumentSort; desc?: boolean }): DocumentPage {
    const node = parseQuery(query);
    const matcher = query.trim() ? new DocumentMatcher(this.db, node) : null;
    const column = SORT_COLUMNS[sort] ?? 'modified_ms';
    const dir = desc ? 'DESC' : 'ASC';
    const ids: number[] = [];
    const rows = this.db.prepare(`SELECT ${matcher ? '*' : 'id'} FROM documents ORDER BY ${column} IS NULL, ${column} ${dir}, id ${dir}`).iterate() as Iterable<Row>;
    for (const row of rows) if (!matcher || matcher.matches(row)) ids.push(row.id);
    const page = ids.slice(offset, offset + limit);
    const get = this.db.prepare('SELECT * FROM documents WHERE id = ?');
    return { total: ids.length, documents: page.map((id) => this.json(get.get(id) as Row)) };
  }

  json(row: Row): DocumentJson {
    const locations = this.locations(row);
    const loose = locations.some((l) => l.messageId === undefined && !l.parentSha256);
    const attached = locations.some((l) => l.messageId !== undefined);
    const doc: DocumentJson = {
      id: row.id,
      name: row.name,
      kind: attached ? 'attachment' : loose ? 'loose' : row.parent_sha256 ? 'embedded' : 'attachment',
      type: row.type,
      size: row.size,
      sha256: row.sha256,
      locations,
      meta: JSON.parse(row.meta_json),
      flags: this.db.prepare('SELECT name, reason FROM document_flags WHERE sha256 = ? ORDER BY name').all(row.sha256) as { name: string; reason: string }[],
      errors: JSON.parse(row.errors_json),
    };
    if (row.exif_json) doc.exif = JSON.parse(row.exif_json);
    if (row.ocr_state) {
      doc.ocr = { state: row.ocr_state, chars: row.ocr_chars ?? 0, at: row.ocr_at ?? '' };
      if (row.ocr_pages) doc.ocr.pages = pagesOf(row.ocr_pages).length;
      if (row.ocr_error) doc.ocr.error = row.ocr_error;
    }
    return doc;
  }

  private locations(row: Row): DocumentLocation[] {
    const out: DocumentLocation[] = [];
    const atts = this.db
      .prepare(
        `SELECT a.message_id, a.idx, (SELECT s.path FROM locations l JOIN sources s ON s.id = l.source_id WHERE l.message_id = a.message_id ORDER BY l.id LIMIT 1) path
         FROM attachments a WHERE a.sha256 = ? ORDER BY a.message_id, a.idx`,
      )
      .all(row.sha256) as { message_id: number; idx: number; path: string | null }[];
    for (const a of atts) out.push({ path: a.path ?? '', messageId: a.message_id, attachmentIndex: a.idx });
    for (const l of this.db.prepare('SELECT path FROM loose_files WHERE sha256 = ? ORDER BY path').all(row.sha256) as { path: string }[]) out.push({ path: l.path });
    if (row.parent_sha256) {
      const parent = this.db.prepare('SELECT name FROM documents WHERE sha256 = ?').get(row.parent_sha256) as { name: string } | undefined;
      out.push({ path: `${parent?.name ?? ''}/${row.name}`, parentSha256: row.parent_sha256 });
    }
    return out;
  }

  /** Every message (sender, date, DKIM verdict) and loose path holding these bytes. */
  appearsIn(sha256: string): DocumentAppearance[] {
    const rows = this.db
      .prepare(
        `SELECT a.message_id, a.idx, m.from_addr, m.date_ms, m.subject, ma.result_json
         FROM attachments a JOIN messages m ON m.id = a.message_id LEFT JOIN message_auth ma ON ma.message_id = m.id
         WHERE a.sha256 = ? ORDER BY m.date_ms, m.id`,
      )
      .all(sha256) as { message_id: number; idx: number; from_addr: string | null; date_ms: number | null; subject: string | null; result_json: string | null }[];
    const out: DocumentAppearance[] = rows.map((r) => ({
      messageId: r.message_id,
      attachmentIndex: r.idx,
      from: r.from_addr ?? undefined,
      date: r.date_ms === null ? null : new Date(r.date_ms).toISOString(),
      subject: r.subject,
      dkim: dkimSummary(r.result_json),
    }));
    for (const l of this.db.prepare('SELECT path FROM loose_files WHERE sha256 = ? ORDER BY path').all(sha256) as { path: string }[]) out.push({ path: l.path });
    return out;
  }
}

function dkimSummary(json: string | null): string | null {
  if (!json) return null;
  try {
    const r = JSON.parse(json);
    const sigs = (r.dkim ?? []) as { result?: string; domain?: string }[];
    if (sigs.length === 0) return 'none';
    const pass = sigs.find((s) => s.result === 'pass');
    return pass ? `pass (${pass.domain})` : (sigs[0]!.result ?? 'unknown');
  } catch {
    return null;
  }
}
