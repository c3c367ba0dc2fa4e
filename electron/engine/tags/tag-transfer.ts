import type Database from 'better-sqlite3';
import type { TagStore } from './tag-store';
import { TagError } from './tag-store';

/**
 * Tags and notes as a small JSON file, to merge two analysts' work on the same evidence. Messages are
 * named by the SHA-256 of their original bytes (case ids differ between cases; the bytes do not).
 */
export interface TagFile {
  format: 'casefile-tags';
  version: 1;
  tags: { name: string; color: string; messages: string[] }[];
  notes: { sha256: string; text: string }[];
}

export function exportTags(db: Database.Database): TagFile {
  const tags = db.prepare('SELECT id, name, color FROM tags ORDER BY name COLLATE NOCASE').all() as { id: number; name: string; color: string }[];
  const shasOf = db.prepare('SELECT DISTINCT m.sha256 FROM message_tags mt JOIN messages m ON m.id = mt.message_id WHERE mt.tag_id = ? ORDER BY m.sha256').raw();
  const notes = db.prepare('SELECT m.sha256, n.text FROM notes n JOIN messages m ON m.id = n.message_id ORDER BY m.sha256').all() as { sha256: string; text: string }[];
  return {
    format: 'casefile-tags',
    version: 1,
    tags: tags.map((t) => ({ name: t.name, color: t.color, messages: (shasOf.all(t.id) as [string][]).map((r) => r[0]) })),
    notes,
  };
}

export interface ImportReport {
  tags: { name: string; matched: number; changed: number; unknown: number }[];
  notes: { set: number; kept: number; unknown: number };
}

/**
 * Merge a tag file: tags are added (never removed); a note is set where this case has none and kept
 * (reported) where both analysts wrote one that differs. Messages not in this case are counted.
 */
export function importTags(db: Database.Database, store: TagStore, file: unknown): ImportReport {
  const f = checkTagFile(file);
  const idsOf = db.prepare('SELECT id FROM messages WHERE sha256 = ?').raw();
  const resolve = (sha: string) => (idsOf.all(sha) as [number][]).map((r) => r[0]);
  return db.transaction(() => {
    const report: ImportReport = { tags: [], notes: { set: 0, kept: 0, unknown: 0 } };
    for (const t of f.tags) {
      store.define(t.name, t.color);
      const ids = t.messages.flatMap(resolve);
      const change = ids.length ? store.add(t.name, ids, 'import') : { changed: 0 };
      report.tags.push({ name: t.name, matched: ids.length, changed: change.changed, unknown: t.messages.filter((s) => resolve(s).length === 0).length });
    }
    for (const n of f.notes) {
      const ids = resolve(n.sha256);
      if (ids.length === 0) report.notes.unknown++;
      for (const id of ids) {
        const mine = store.note(id);
        if (mine && mine.text !== n.text) report.notes.kept++;
        else if (!mine) {
          store.setNote(id, n.text);
          report.notes.set++;
        }
      }
    }
    return report;
  })();
}

function checkTagFile(file: unknown): TagFile {
  const f = file as TagFile;
  const sha = /^[0-9a-f]{64}$/;
  const ok =
    f && f.format === 'casefile-tags' && f.version === 1 && Array.isArray(f.tags) && Array.isArray(f.notes) &&
    f.tags.every((t) => typeof t?.name === 'string' && typeof t.color === 'string' && Array.isArray(t.messages) && t.messages.every((m) => typeof m === 'string' && sha.test(m))) &&
    f.notes.every((n) => typeof n?.sha256 === 'string' && sha.test(n.sha256) && typeof n.text === 'string');
  if (!ok) throw new TagError('not a Casefile tag file (expected {"format":"casefile-tags","version":1,"tags":[…],"notes":[…]})');
  return f;
}
