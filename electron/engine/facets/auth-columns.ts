import type Database from 'better-sqlite3';
import { Dict } from './dict';

/**
 * A facet whose messages carry any number of values, by position in the facet index: the codes of position
 * p are `codes[starts[p] .. starts[p + 1])` (positions past `starts` have none: messages loaded after it was read).
 */
export interface CodedColumn {
  values: string[];
  starts: Int32Array;
  codes: Int32Array;
}

/**
 * The authenticity terms as the flag and dkim facets (`flag:…`, `dkim:…` in message_auth_terms, prefix
 * dropped), read straight into flat columns by position. At 1M messages there are ≈ 1.7M such terms
 * (`dkim:none` on every unsigned message): a Map of string arrays per message, split per facet and coded
 * again on every overview, cost ≈ 3 s on the first overview and ≈ 2 s on each one after. Here each
 * distinct term (a handful) is found by a seek on the table's key, its messages read as bare integers in
 * id order and matched to positions by walking `ids` (the index's ids, ascending) alongside.
 * Each message's values are in term order, as the table's key has them.
 */
export function readAuthColumns(db: Database.Database, ids: readonly number[]): { flag: CodedColumn; dkim: CodedColumn } {
  return { flag: readPrefix(db, 'flag:', ids), dkim: readPrefix(db, 'dkim:', ids) };
}

function readPrefix(db: Database.Database, prefix: string, ids: readonly number[]): CodedColumn {
  const count = ids.length;
  const dict = new Dict();
  const groups: { code: number; at: number[] }[] = []; // per value, the positions holding it
  const perPosition = new Int32Array(count);
  const messagesOf = db.prepare('SELECT message_id FROM message_auth_terms WHERE term = ? ORDER BY message_id').pluck();
  for (const term of termsWithPrefix(db, prefix)) {
    const group = { code: dict.code(term.slice(prefix.length)), at: [] as number[] };
    groups.push(group);
    let p = 0;
    // All at once (≈1M ids for `dkim:none` at 1M messages): a statement's iterator costs a step object per row.
    const holders = messagesOf.all(term) as number[];
    for (let i = 0; i < holders.length; i++) {
      const id = holders[i]!;
      while (p < count && ids[p]! < id) p++;
      if (p === count) break; // the rest came after the facet index was read
      if (ids[p] !== id) continue; // not in the facet index
      group.at.push(p);
      perPosition[p]!++;
    }
  }
  const starts = new Int32Array(count + 1);
  for (let p = 0; p < count; p++) starts[p + 1] = starts[p]! + perPosition[p]!;
  const codes = new Int32Array(starts[count]!);
  const fill = perPosition; // reused as each position's next free slot, from its start
  fill.set(starts.subarray(0, count));
  for (const { code, at } of groups) for (const p of at) codes[fill[p]!++] = code;
  return { values: dict.values, starts, codes };
}

/** The distinct terms starting with `prefix`, in order: one seek on the key each (a scan would read every row). */
function termsWithPrefix(db: Database.Database, prefix: string): string[] {
  const first = db.prepare('SELECT MIN(term) FROM message_auth_terms WHERE term >= ?').pluck();
  const next = db.prepare('SELECT MIN(term) FROM message_auth_terms WHERE term > ?').pluck();
  const out: string[] = [];
  for (let t = first.get(prefix) as string | null; t !== null && t.startsWith(prefix); t = next.get(t) as string | null) out.push(t);
  return out;
}
