import type Database from 'better-sqlite3';
import { pagesOf } from './wire';

/** Characters of attachment text indexed per message (as for bodies: Lunr's memory grows with it). */
export const MAX_INDEXED_ATTACHMENT_TEXT = 200_000;

/** The text of the documents with these SHA-256s and of the files embedded in them, for the index. */
export function attachmentText(db: Database.Database, shas: string[]): string {
  if (shas.length === 0) return '';
  const byShaOrParent = statementOf(db);
  let out = '';
  const seen = new Set<string>();
  for (const sha of shas) {
    if (seen.has(sha)) continue;
    seen.add(sha);
    for (const row of byShaOrParent.all(sha, sha) as { name: string; pages: Buffer | null; ocr_pages: Buffer | null }[]) {
      out += pagesOf(row.pages).join('\n') + '\n';
      if (row.ocr_pages) out += pagesOf(row.ocr_pages).join('\n') + '\n'; // text found by OCR (opt-in pass)
      if (out.length >= MAX_INDEXED_ATTACHMENT_TEXT) return out.slice(0, MAX_INDEXED_ATTACHMENT_TEXT);
    }
  }
  return out;
}

/** Prepared once per connection: ingest calls this for every new message with attachments. */
const statements = new WeakMap<Database.Database, Database.Statement>();
function statementOf(db: Database.Database): Database.Statement {
  let st = statements.get(db);
  if (!st) statements.set(db, (st = db.prepare('SELECT name, pages, ocr_pages FROM documents WHERE sha256 = ? OR parent_sha256 = ?')));
  return st;
}
