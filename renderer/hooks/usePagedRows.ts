import { useCallback, useEffect, useRef, useState } from 'react';

export interface Page<T> {
  total: number;
  items: T[];
  /** Other state that belongs with this page (a search's notices), applied only if the page is still wanted. */
  apply?: () => void;
}

export interface PagedRows<T> {
  rows: (T | undefined)[];
  total: number;
  /** The first page of the current set has answered (or failed). */
  loaded: boolean;
  /** The virtualized list shows rows start..end: fetch the pages holding them, once each. */
  onNeedRange: (start: number, end: number) => void;
  /** Fetch again the pages already fetched (rows changed in place, e.g. tags). */
  refreshLoaded: () => void;
}

/**
 * The rows of a virtualized list, fetched a page at a time as they scroll into view (MessageList through
 * useResults, DocumentsView). A new `load` (new query, sort, filters…) starts a new set: answers for the
 * previous one are dropped, however late they come.
 */
export function usePagedRows<T>(load: (page: number, pageSize: number) => Promise<Page<T>>, pageSize: number, onError?: (e: unknown) => void): PagedRows<T> {
  const [rows, setRows] = useState<(T | undefined)[]>([]);
  const [total, setTotal] = useState(0);
  const [loaded, setLoaded] = useState(false);
  const fetched = useRef(new Set<number>());
  const generation = useRef(0);

  const fetchPage = useCallback(
    async (page: number) => {
      if (fetched.current.has(page)) return;
      fetched.current.add(page);
      const gen = generation.current;
      try {
        const r = await load(page, pageSize);
        if (gen !== generation.current) return;
        r.apply?.();
        setTotal(r.total);
        setRows((old) => {
          const next = old.slice();
          r.items.forEach((item, i) => (next[page * pageSize + i] = item));
          return next;
        });
      } catch (e) {
        if (gen === generation.current) onError?.(e);
      } finally {
        if (gen === generation.current) setLoaded(true);
      }
    },
    [load, pageSize], // eslint-disable-line react-hooks/exhaustive-deps
  );

  useEffect(() => {
    generation.current++;
    fetched.current.clear();
    setRows([]);
    setLoaded(false);
    void fetchPage(0);
  }, [fetchPage]);

  const onNeedRange = useCallback(
    (start: number, end: number) => {
      for (let p = Math.floor(start / pageSize); p <= Math.floor(end / pageSize); p++) void fetchPage(p);
    },
    [fetchPage, pageSize],
  );
  const refreshLoaded = useCallback(() => {
    const pages = [...fetched.current];
    fetched.current.clear();
    for (const p of pages) void fetchPage(p);
  }, [fetchPage]);

  return { rows, total, loaded, onNeedRange, refreshLoaded };
}
