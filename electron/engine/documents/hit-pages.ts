import type Database from 'better-sqlite3';
import type { DocumentHit } from '../../../shared/types';
import type { EvalNotes } from '../search/query-eval';
import { stemsOf, tokenize } from '../search/text-analysis';
import { pagesOf } from './wire';

/**
 * For a message found by search: which of its attachments (and which PDF page) hold the query's words.
 * Only computed for the page of hits shown, so the cost is bounded by the page size.
 */
export function documentHits(db: Database.Database, messageId: number, highlight: EvalNotes['highlight']): DocumentHit[] {
  if (highlight.stems.size === 0 && highlight.prefixes.length === 0) return [];
  const rows = db
    .prepare('SELECT a.idx, a.filename, d.name, d.type, d.pages FROM attachments a JOIN documents d ON d.sha256 = a.sha256 WHERE a.message_id = ? ORDER BY a.idx')
    .all(messageId) as { idx: number; filename: string | null; name: string; type: string; pages: Buffer | null }[];
  const out: DocumentHit[] = [];
  for (const r of rows) {
    const pages = pagesOf(r.pages);
    const found = pages.findIndex((p) => tokenize(p).some((w) => stemsOf(w).some((s) => highlight.stems.has(s)) || highlight.prefixes.some((x) => w.startsWith(x))));
    if (found < 0) continue;
    const hit: DocumentHit = { attachmentIndex: r.idx, name: r.filename ?? r.name };
    if (r.type === 'pdf') hit.page = found + 1;
    out.push(hit);
  }
  return out;
}
