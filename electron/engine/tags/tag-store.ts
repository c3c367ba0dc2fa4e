import type Database from 'better-sqlite3';
import type { NoteInfo, TagChange, TagInfo } from '../../../shared/types';
import type { AuditLog } from '../store/audit-log';

const TAG_NAME = /^[\p{L}\p{N}][\p{L}\p{N}_.:/+-]{0,63}$/u;
const COLOR = /^#[0-9a-f]{6}$/i;
/** Distinct, readable on light and dark backgrounds; a new tag takes the next one. */
const PALETTE = ['#d9480f', '#1971c2', '#2f9e44', '#ae3ec9', '#f08c00', '#0c8599', '#e03131', '#5f3dc4', '#66a80f', '#c2255c'];

export class TagError extends Error {
  override name = 'TagError';
}

/** Throws TagError unless `name` is usable as a tag (and in a `tag:` query without quoting). */
export function checkTagName(name: string): string {
  const n = name.normalize('NFC');
  if (!TAG_NAME.test(n)) {
    throw new TagError(`bad tag name "${name.slice(0, 80)}": 1–64 letters, digits or _ . : / + - (no spaces), starting with a letter or digit`);
  }
  return n;
}

/**
 * Tags and notes of a case. Every change is one SQLite transaction that also appends its audit entry, so
 * a change is either fully recorded (tag rows + audit) or absent, whenever the process dies.
 */
export class TagStore {
  constructor(
    private readonly db: Database.Database,
    private readonly audit: AuditLog,
  ) {}

  list(): TagInfo[] {
    const rows = this.db
      .prepare('SELECT t.name, t.color, COUNT(mt.message_id) count FROM tags t LEFT JOIN message_tags mt ON mt.tag_id = t.id GROUP BY t.id ORDER BY t.name COLLATE NOCASE')
      .all() as TagInfo[];
    return rows;
  }

  /** Create a tag (or change its colour). Returns it. */
  define(name: string, color?: string): TagInfo {
    const tag = checkTagName(name);
    if (color !== undefined && !COLOR.test(color)) throw new TagError(`bad colour "${color}": expected #rrggbb`);
    return this.db.transaction(() => {
      const existing = this.db.prepare('SELECT id, color FROM tags WHERE name = ? COLLATE NOCASE').get(tag) as { id: number; color: string } | undefined;
      if (!existing) {
        const n = (this.db.prepare('SELECT COUNT(*) n FROM tags').get() as { n: number }).n;
        const c = color ?? PALETTE[n % PALETTE.length]!;
        this.db.prepare('INSERT INTO tags (name, color, created_at) VALUES (?, ?, ?)').run(tag, c, new Date().toISOString());
        this.audit.append('tag-created', { tag, color: c });
      } else if (color !== undefined && color.toLowerCase() !== existing.color.toLowerCase()) {
        this.db.prepare('UPDATE tags SET color = ? WHERE id = ?').run(color, existing.id);
        this.audit.append('tag-colour-changed', { tag, color });
      }
      return this.list().find((t) => t.name.toLowerCase() === tag.toLowerCase())!;
    })();
  }

  /** Add `tag` to every message in `ids` (one transaction; unknown ids are an error, nothing changes). */
  add(tag: string, ids: number[], how: string): TagChange {
    return this.change(tag, ids, 'add', how);
  }

  remove(tag: string, ids: number[], how: string): TagChange {
    return this.change(tag, ids, 'remove', how);
  }

  private change(name: string, ids: number[], op: 'add' | 'remove', how: string): TagChange {
    const tag = checkTagName(name);
    const unique = [...new Set(ids)].sort((a, b) => a - b);
    return this.db.transaction(() => {
      const known = (this.db.prepare('SELECT COUNT(*) n FROM messages WHERE id IN (SELECT value FROM json_each(?))').get(JSON.stringify(unique)) as { n: number }).n;
      if (known !== unique.length) throw new TagError(`${unique.length - known} of the ${unique.length} message ids are not in this case; nothing was tagged`);
      let tagId = this.tagId(tag);
      if (tagId === undefined) {
        if (op === 'remove') return { tag, changed: 0, matched: unique.length };
        this.define(tag);
        tagId = this.tagId(tag)!;
      }
      const sql =
        op === 'add'
          ? 'INSERT OR IGNORE INTO message_tags (message_id, tag_id) SELECT value, ? FROM json_each(?)'
          : 'DELETE FROM message_tags WHERE tag_id = ? AND message_id IN (SELECT value FROM json_each(?))';
      const changed = this.db.prepare(sql).run(tagId, JSON.stringify(unique)).changes;
      if (changed > 0) this.audit.append(op === 'add' ? 'tag-added' : 'tag-removed', { tag, how, changed, ids: unique });
      return { tag, changed, matched: unique.length };
    })();
  }

  private tagId(name: string): number | undefined {
    return (this.db.prepare('SELECT id FROM tags WHERE name = ? COLLATE NOCASE').get(name) as { id: number } | undefined)?.id;
  }

  /** Set the free-text note of a message; empty text deletes it. */
  setNote(id: number, text: string): NoteInfo | null {
    if (text.length > 100_000) throw new TagError('a note is limited to 100,000 characters');
    return this.db.transaction(() => {
      const msg = this.db.prepare('SELECT sha256 FROM messages WHERE id = ?').get(id) as { sha256: string } | undefined;
      if (!msg) throw new TagError(`no message ${id} in this case`);
      const at = new Date().toISOString();
      if (text.trim() === '') {
        const gone = this.db.prepare('DELETE FROM notes WHERE message_id = ?').run(id).changes;
        if (gone) this.audit.append('note-deleted', { id, sha256: msg.sha256 });
        return null;
      }
      this.db.prepare('INSERT INTO notes (message_id, text, updated_at) VALUES (?, ?, ?) ON CONFLICT(message_id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at').run(id, text, at);
      this.audit.append('note-set', { id, sha256: msg.sha256, text });
      return { id, text, updatedAt: at };
    })();
  }

  note(id: number): NoteInfo | null {
    const r = this.db.prepare('SELECT message_id id, text, updated_at updatedAt FROM notes WHERE message_id = ?').get(id) as NoteInfo | undefined;
    return r ?? null;
  }
}
