import { useEffect, useState } from 'react';
import type { FacetFilters, FacetName, FacetsResult, TimelineUnit } from '../../shared/types';
import { call } from '../api-client';

/** The overview (facets, timeline, matrix) of the current query and filters; refetched when they change. */
export function useFacets(query: string, filters: FacetFilters, stackBy: FacetName | '', unit: TimelineUnit | '', version: number): FacetsResult | null {
  const [result, setResult] = useState<FacetsResult | null>(null);
  const key = JSON.stringify([query, filters, stackBy, unit, version]);
  useEffect(() => {
    let live = true;
    call('facets', { query, filters, ...(stackBy ? { stackBy } : {}), ...(unit ? { unit } : {}) })
      .then((r) => live && setResult(r))
      .catch(() => live && setResult(null)); // a bad query is reported by the list; the overview just empties
    return () => {
      live = false;
    };
  }, [key]); // eslint-disable-line react-hooks/exhaustive-deps
  return result;
}
