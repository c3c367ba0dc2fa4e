import { useEffect, useState } from 'react';

export type Route = { view: 'list' } | { view: 'message'; id: number } | { view: 'thread'; id: number } | { view: 'search'; query: string };

/** Every view has a hash route so it can be opened directly: #/message/<id>, #/search/<q>, #/thread/<id>. */
export function parseRoute(hash: string): Route {
  const m = /^#\/(message|thread|search)\/(.*)$/.exec(hash);
  if (!m) return { view: 'list' };
  if (m[1] === 'search') return { view: 'search', query: decodeURIComponent(m[2]!) };
  const id = Number(m[2]);
  return Number.isInteger(id) && id > 0 ? { view: m[1] as 'message' | 'thread', id } : { view: 'list' };
}

export function routeHash(r: Route): string {
  if (r.view === 'list') return '#/';
  if (r.view === 'search') return `#/search/${encodeURIComponent(r.query)}`;
  return `#/${r.view}/${r.id}`;
}

export function useRoute(): [Route, (r: Route) => void] {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return [route, (r) => (location.hash = routeHash(r))];
}
