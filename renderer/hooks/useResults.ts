import { useCallback, useEffect, useRef, useState } from 'react';
import type { FacetFilters, MessageSummary, SearchResult } from '../../shared/types';
import { call, CallError } from '../api-client';
import type { SortPref } from '../prefs';

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
  const [rows, setRows] = useState<(MessageSummary | undefined)[]>([]);
  const [total, setTotal] = useState(0);
  const [snippets, setSnippets] = useState(new Map<number, string>());
  const [last, setLast] = useState<SearchResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [version, setVersion] = useState(0);
  const loading = useRef(new Set<number>());
  const filterKey = JSON.stringify(filters);
  const generation = useRef(0);

  const loadPage = useCallback(
    async (page: number) => {
      if (loading.current.has(page)) return;
      loading.current.add(page);
      const gen = generation.current;
      const filtersNow = JSON.parse(filterKey) as FacetFilters;
      const plain = !query && Object.keys(filtersNow).length === 0;
      try {
        if (plain) {
          const r = await call('listMessages', { limit: PAGE, offset: page * PAGE, order: sort === 'newest' ? 'desc' : 'asc' });
          if (gen !== generation.current) return;
          setLast(null);
          setTotal(r.total);
          setRows((old) => place(old, page, r.messages));
        } else {
          const r = await call('search', { query, filters: filtersNow, limit: PAGE, offset: page * PAGE, sort: sort === 'oldest' ? 'date-asc' : sort === 'newest' ? 'date' : 'relevance' });
          if (gen !== generation.current) return;
          setLast(r);
          setTotal(r.total);
          setRows((old) => place(old, page, r.hits.map((h) => ({ ...h, sha256: '', messageId: null, threadId: null, size: 0, hasErrors: false }))));
          setSnippets((old) => new Map([...old, ...r.hits.map((h) => [h.id, h.snippet] as const)]));
        }
        setError(null);
      } catch (e) {
        if (gen !== generation.current) return;
        setError(e instanceof CallError ? e.message : String(e));
        setTotal(0);
      } finally {
        if (gen === generation.current) setLoaded(true);
      }
    },
    [query, filterKey, sort],
  );

  useEffect(() => {
    generation.current++;
    loading.current.clear();
    setRows([]);
    setSnippets(new Map());
    setLoaded(false);
    void loadPage(0);
  }, [loadPage, version]);

  const onNeedRange = useCallback(
    (start: number, end: number) => {
      for (let p = Math.floor(start / PAGE); p <= Math.floor(end / PAGE); p++) void loadPage(p);
    },
    [loadPage],
  );
  const refreshLoaded = useCallback(() => {
    const pages = [...loading.current];
    loading.current.clear();
    for (const p of pages) void loadPage(p);
  }, [loadPage]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  return { rows, total, snippets, last, error, loaded, pending: !loaded, onNeedRange, refreshLoaded, reload };
}

function place<T>(old: (T | undefined)[], page: number, items: T[]): (T | undefined)[] {
  const next = old.slice();
  items.forEach((m, i) => (next[page * PAGE + i] = m));
  return next;
}
