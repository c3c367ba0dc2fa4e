import type Database from 'better-sqlite3';
import type { DocumentField } from '../search/query-parser';
import { fold } from '../search/text-analysis';
import type { DocMeta } from './types';

export interface DocRow {
  sha256: string;
  parent_sha256: string | null;
  type: string;
  name: string;
  meta_json: string;
  exif_json: string | null;
}

const TYPE_ALIASES: Record<string, string> = { doc: 'word', docx: 'word', odt: 'word', rtf: 'word', xls: 'excel', xlsx: 'excel', ods: 'excel', ppt: 'powerpoint', pptx: 'powerpoint', odp: 'powerpoint', jpg: 'image', jpeg: 'image', png: 'image', eml: 'email', zip: 'archive', txt: 'text' };

/** Does this document's metadata match `author:`, `modifiedby:`, `app:`, `type:` or `doc:` (accent- and case-insensitive substring)? */
export function docFieldMatches(row: DocRow, field: DocumentField, value: string): boolean {
  const v = fold(value);
  if (field === 'type') return row.type === (TYPE_ALIASES[v] ?? v);
  const meta = JSON.parse(row.meta_json) as DocMeta;
  const values: unknown[] =
    field === 'author'
      ? [meta.author, ...(meta.commentAuthors ?? []), ...(meta.revisionAuthors ?? [])]
      : field === 'modifiedby'
        ? [meta.lastModifiedBy]
        : field === 'app'
          ? [meta.application, meta.producer, meta.creatorTool]
          : [...Object.values(meta).flat(), ...Object.entries(meta.custom ?? {}).flat(), ...Object.values(row.exif_json ? JSON.parse(row.exif_json) : {}).flat()];
  return values.some((x) => (typeof x === 'string' || typeof x === 'number') && fold(String(x)).includes(v));
}

/** SHA-256s of documents matching, with the documents that contain them (an embedded match counts for its container). */
export function matchingShas(db: Database.Database, field: DocumentField, value: string): Set<string> {
  const out = new Set<string>();
  const parents = new Map<string, string | null>();
  for (const row of db.prepare('SELECT sha256, parent_sha256, type, name, meta_json, exif_json FROM documents').iterate() as Iterable<DocRow>) {
    parents.set(row.sha256, row.parent_sha256);
    if (docFieldMatches(row, field, value)) out.add(row.sha256);
  }
  for (const sha of [...out]) {
    let p = parents.get(sha);
    for (let depth = 0; p && depth < 10; depth++, p = parents.get(p)) out.add(p);
  }
  return out;
}

/** Messages with an attachment among these SHA-256s. */
export function messagesWithDocuments(db: Database.Database, shas: Iterable<string>): Map<number, number> {
  const q = db.prepare('SELECT message_id FROM attachments WHERE sha256 = ?');
  const out = new Map<number, number>();
  for (const sha of shas) for (const r of q.all(sha) as { message_id: number }[]) out.set(r.message_id, 0);
  return out;
}

/** Messages carrying a document with this flag (`flag:` in message search). */
export function messagesWithDocumentFlag(db: Database.Database, name: string): Map<number, number> {
  const shas = (db.prepare('SELECT sha256 FROM document_flags WHERE name = ?').all(name) as { sha256: string }[]).map((r) => r.sha256);
  const parents = db.prepare('SELECT parent_sha256 p FROM documents WHERE sha256 = ?');
  const all = new Set(shas);
  for (const sha of shas) {
    let p = (parents.get(sha) as { p: string | null } | undefined)?.p;
    for (let d = 0; p && d < 10; d++, p = (parents.get(p) as { p: string | null } | undefined)?.p) all.add(p);
  }
  return messagesWithDocuments(db, all);
}
