import { useCallback, useEffect, useState } from 'react';
import type { FacetFilters, MessageSummary, SearchResult } from '../../shared/types';
import { call, CallError } from '../api-client';
import type { SortPref } from '../prefs';
import { usePagedRows, type Page } from './usePagedRows';

const PAGE = 200;

export interface ResultsState {
  rows: (MessageSummary | undefined)[];
  total: number;
  snippets: Map<number, string>;
  /** The last search response (warnings, suggestions, index state), null for the plain list. */
  last: SearchResult | null;
  error: string | null;
  loaded: boolean;
  /**
   * A new result set was asked for (query, filters or sort changed) and has not answered yet: `total`,
   * `last` and `error` still describe the previous one and must not be shown as this one's.
   */
  pending: boolean;
  onNeedRange: (start: number, end: number) => void;
  /** Re-read the pages already shown (after tagging: chips change). */
  refreshLoaded: () => void;
  /** Start again from the first page (after an ingest). */
  reload: () => void;
}

/**
 * The result set the list shows, page by page: the plain list (no query, no filter) or a search. It depends
 * only on query, filters and sort, so opening a message or a thread and coming back keeps it as it was.
 */
export function useResults(query: string, filters: FacetFilters, sort: SortPref): ResultsState {
  const [snippets, setSnippets] = useState(new Map<number, string>());
  const [last, setLast] = useState<SearchResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const filterKey = JSON.stringify(filters);

  const load = useCallback(
    async (page: number, size: number): Promise<Page<MessageSummary>> => {
      const filtersNow = JSON.parse(filterKey) as FacetFilters;
      if (!query && Object.keys(filtersNow).length === 0) {
        const r = await call('listMessages', { limit: size, offset: page * size, order: sort === 'newest' ? 'desc' : 'asc' });
        return { total: r.total, items: r.messages, apply: () => (setLast(null), setError(null)) };
      }
      const r = await call('search', { query, filters: filtersNow, limit: size, offset: page * size, sort: sort === 'oldest' ? 'date-asc' : sort === 'newest' ? 'date' : 'relevance' });
      return {
        total: r.total,
        items: r.hits.map((h) => ({ ...h, sha256: '', messageId: null, threadId: null, size: 0, hasErrors: false })),
        apply: () => {
          setLast(r);
          setError(null);
          setSnippets((old) => new Map([...old, ...r.hits.map((h) => [h.id, h.snippet] as const)]));
        },
      };
    },
    [query, filterKey, sort, version], // eslint-disable-line react-hooks/exhaustive-deps
  );
  useEffect(() => setSnippets(new Map()), [load]);
  const paged = usePagedRows(load, PAGE, (e) => setError(e instanceof CallError ? e.message : String(e)));
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  return {
    rows: paged.rows,
    total: error ? 0 : paged.total,
    snippets,
    last,
    error,
    loaded: paged.loaded,
    pending: !paged.loaded,
    onNeedRange: paged.onNeedRange,
    refreshLoaded: paged.refreshLoaded,
    reload,
  };
}
