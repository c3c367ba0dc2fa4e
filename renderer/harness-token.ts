const KEY = 'casefile-token';

/**
 * The browser harness's per-launch token. The printed URL carries it once (`?token=…`); the page keeps it in
 * sessionStorage (per origin, so per port: two harnesses side by side keep their own) and removes it from
 * the address bar and history entry at once, so it is not left on screen, in bookmarks or in a shared
 * screenshot. Every API call and the event stream send it as a header, which another origin cannot do.
 */
export function harnessToken(): string | null {
  return sessionStorage.getItem(KEY);
}

/** Run once at start-up, before anything reads the URL (routes are in the hash, which is kept). */
export function adoptTokenFromUrl(): void {
  const url = new URL(location.href);
  const token = url.searchParams.get('token');
  if (token === null) return;
  sessionStorage.setItem(KEY, token);
  url.searchParams.delete('token');
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
}
