import type Database from 'better-sqlite3';
import type { FacetFilters, Selection } from '../../../shared/types';
import { FacetIndex } from '../facets/facet-index';
import { filteredIds } from '../facets/facet-query';
import type { Searcher } from '../search/searcher';
import { TagError } from './tag-store';

/** Facet filters → the ids passing them (null: no filter). */
export type Restriction = (filters: FacetFilters) => Set<number> | null;

/** Without an open overview (CLI, export job): read the facet columns once for this selection. */
const freshRestriction =
  (db: Database.Database): Restriction =>
  (filters) =>
    filteredIds(new FacetIndex(db).refresh(), filters);

/**
 * The message ids a selection names, oldest first: explicit ids, every message of a message's thread,
 * every hit of a query narrowed by its facet filters — the very set the list shows, through the
 * searcher's one result-set definition (QueryError propagates) — or every message with a tag.
 */
export function resolveSelection(db: Database.Database, searcher: () => Searcher, sel: Selection, restriction: Restriction = freshRestriction(db)): number[] {
  if ('ids' in sel) return sel.ids;
  let ids: number[];
  if ('threadOf' in sel) {
    const t = db.prepare('SELECT thread_id FROM messages WHERE id = ?').get(sel.threadOf) as { thread_id: number | null } | undefined;
    if (!t) throw new TagError(`no message ${sel.threadOf} in this case`);
    ids = t.thread_id === null ? [sel.threadOf] : (db.prepare('SELECT id FROM messages WHERE thread_id = ?').raw().all(t.thread_id) as [number][]).map((r) => r[0]);
  } else if ('query' in sel) {
    ids = searcher().matchingIds(sel.query, 'date', sel.filters ? restriction(sel.filters) : null);
  } else {
    ids = (
      db
        .prepare('SELECT mt.message_id FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.name = ? COLLATE NOCASE')
        .raw()
        .all(sel.tag) as [number][]
    ).map((r) => r[0]);
  }
  return chronological(db, ids);
}

/** Ids in date order (undated last, then by id): the order of exports and of the audit record. */
export function chronological(db: Database.Database, ids: number[]): number[] {
  const rows = db
    .prepare('SELECT id FROM messages WHERE id IN (SELECT value FROM json_each(?)) ORDER BY date_ms IS NULL, date_ms, id')
    .raw()
    .all(JSON.stringify(ids)) as [number][];
  return rows.map((r) => r[0]);
}
