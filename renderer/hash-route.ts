import { useEffect, useRef, useState } from 'react';
import type { FacetFilters } from '../shared/types';

/**
 * Where the investigator is: a result set (query, facet filters, sort) and, inside it, an open message or
 * thread. Opening a message keeps the result set, so Esc / Back return to exactly the same results.
 */
export interface Route {
  view: 'list' | 'message' | 'thread';
  /** The open message (message and thread views). */
  id?: number;
  query: string;
  filters: FacetFilters;
}

export const EMPTY_ROUTE: Route = { view: 'list', query: '', filters: {} };

/**
 * Hash routes, so that every place can be opened directly and Back works:
 * #/search/<q>/message/<id>, #/thread/<id>, #/message/<id>?f=<filters json>, #/search/<q>.
 */
export function parseRoute(hash: string): Route {
  const [path = '', params = ''] = hash.replace(/^#/, '').split('?', 2);
  const parts = path.split('/').filter(Boolean);
  const r: Route = { view: 'list', query: '', filters: {} };
  for (let i = 0; i < parts.length; i += 2) {
    const key = parts[i];
    const value = parts[i + 1] ?? '';
    if (key === 'search') r.query = safeDecode(value);
    else if (key === 'message' || key === 'thread') {
      const id = Number(value);
      if (Number.isInteger(id) && id > 0) Object.assign(r, { view: key, id });
    }
  }
  const f = new URLSearchParams(params).get('f');
  if (f) {
    try {
      const parsed = JSON.parse(f) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) r.filters = parsed as FacetFilters;
    } catch {
      /* a hand-edited, broken filter parameter is ignored */
    }
  }
  return r;
}

export function routeHash(r: Route): string {
  let h = '#/';
  if (r.query) h += `search/${encodeURIComponent(r.query)}/`;
  if (r.view !== 'list' && r.id) h += `${r.view}/${r.id}`;
  if (Object.keys(r.filters).length) h += `?f=${encodeURIComponent(JSON.stringify(r.filters))}`;
  return h;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * The route to render, `go`, and `now()`: the route as of the last `go`, before React re-rendered (a
 * second key pressed quickly must act on the view the first one opened, not on the one still shown).
 */
export function useRoute(): [Route, (r: Route) => void, () => Route] {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  const latest = useRef(route);
  useEffect(() => {
    const on = () => setRoute((latest.current = parseRoute(location.hash)));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  const go = (r: Route) => {
    latest.current = r;
    location.hash = routeHash(r);
  };
  return [route, go, () => latest.current];
}
