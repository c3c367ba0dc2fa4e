import type Database from 'better-sqlite3';
import type { QueryNode } from '../search/query-parser';
import { fold, normalizeWord, stemsOf, tokenize } from '../search/text-analysis';
import { docFieldMatches, type DocRow } from './doc-filter';
import { pagesOf } from './wire';

/** Characters of a document's text searched by the Documents view filter. */
const SEARCHED_CHARS = 400_000;

/**
 * Evaluates the message query language on documents (the Documents view and `casefile docs --query`):
 * words and phrases against the name, metadata and text; author:/modifiedby:/app:/type:/doc: and flag:
 * against the document; message-only filters (date:, tag:, dkim:, …) match no document. A linear scan,
 * one document at a time
 * (bounded memory); fine for tens of thousands of documents, not an index.
 */
export class DocumentMatcher {
  private readonly flagQuery;

  constructor(
    db: Database.Database,
    private readonly node: QueryNode,
  ) {
    this.flagQuery = db.prepare('SELECT 1 FROM document_flags WHERE sha256 = ? AND name = ?');
  }

  matches(row: DocRow & { pages: Buffer | null; ocr_pages?: Buffer | null }): boolean {
    let words: Set<string> | null = null;
    let folded: string | null = null;
    const text = () => {
      if (folded === null) {
        const raw = `${row.name}\n${row.meta_json}\n${[...pagesOf(row.pages), ...pagesOf(row.ocr_pages ?? null)].join('\n').slice(0, SEARCHED_CHARS)}`;
        folded = fold(raw);
        words = new Set(tokenize(raw).flatMap((w) => stemsOf(normalizeWord(w)))); // same normalisation as the query
      }
      return { folded, words: words! };
    };
    const test = (n: QueryNode): boolean => {
      switch (n.type) {
        case 'all':
          return true;
        case 'and':
          return n.items.every(test);
        case 'or':
          return n.items.some(test);
        case 'not':
          return !test(n.item);
        case 'phrase':
          return text().folded.includes(fold(n.text));
        case 'term': {
          if (n.wildcard) {
            const re = new RegExp(`(^|[^a-z0-9])${fold(n.text).replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[a-z0-9]*')}`);
            return re.test(text().folded);
          }
          const stems = stemsOf(normalizeWord(n.text));
          if (stems.length === 0) return true;
          const w = text().words;
          return stems.some((s) => w.has(s));
        }
        case 'filter': {
          const f = n.filter;
          if (f.kind === 'document') return docFieldMatches(row, f.field, f.value);
          if (f.kind === 'auth' && f.term.startsWith('flag:')) return this.flagQuery.get(row.sha256, f.term.slice(5)) !== undefined;
          return false;
        }
      }
    };
    return test(this.node);
  }
}
