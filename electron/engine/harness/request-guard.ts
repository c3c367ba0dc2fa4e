import { randomBytes, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';

/** The header that carries the API token. Only the app's own page knows the token (sessionStorage). */
export const TOKEN_HEADER = 'x-casefile-token';

export type Verdict = { ok: true } | { ok: false; status: number; message: string };

/**
 * Who may talk to one harness, and how. Two secrets, both per launch:
 * - the **token** (printed in the URL): required as the `X-Casefile-Token` header on every API call and on
 *   the event stream. A custom header cannot be sent cross-origin without a CORS preflight, which this
 *   server never grants, and no other origin can read the token (it lives in the page's sessionStorage,
 *   which is per origin, i.e. per port);
 * - the **page cookie**: set when the page is opened with `?token=`, it only lets the page load its own
 *   static files (scripts, styles). Cookies ignore ports, so any page on 127.0.0.1 may send it: it is
 *   useless for the API, and its name carries the port so several harnesses do not overwrite each other.
 */
export class RequestGuard {
  readonly token = randomBytes(24).toString('base64url');
  private readonly pageSecret = randomBytes(24).toString('base64url');

  constructor(private readonly port: () => number) {}

  get cookieName(): string {
    return `casefile_page_${this.port()}`;
  }

  /** Set-Cookie value for a page opened with the right token. */
  pageCookie(): string {
    return `${this.cookieName}=${this.pageSecret}; HttpOnly; SameSite=Strict; Path=/`;
  }

  /** Host names this server (DNS rebinding); Origin, when a browser sends one, is this server. */
  checkOrigin(req: http.IncomingMessage): Verdict {
    const own = [`127.0.0.1:${this.port()}`, `localhost:${this.port()}`];
    if (!own.includes(req.headers.host ?? '')) return { ok: false, status: 421, message: 'foreign Host header' };
    const origin = req.headers.origin;
    if (origin !== undefined && !own.some((h) => origin === `http://${h}`)) return { ok: false, status: 403, message: 'foreign Origin' };
    // Fetch metadata: a request that another site (another port is "same-site") caused is refused.
    const site = req.headers['sec-fetch-site'];
    if (site === 'cross-site' || site === 'same-site') return { ok: false, status: 403, message: 'request from another site: paste the URL printed by casefile serve into the address bar' };
    return { ok: true };
  }

  /** API calls and the event stream: the token header, nothing else (no cookie, no query parameter). */
  checkToken(req: http.IncomingMessage): Verdict {
    const given = req.headers[TOKEN_HEADER];
    if (typeof given === 'string' && same(given, this.token)) return { ok: true };
    return { ok: false, status: 403, message: 'missing or wrong token: open the URL printed by casefile serve' };
  }

  /** Static files: the token (query or header) or the page cookie. */
  checkPage(req: http.IncomingMessage, queryToken: string | null): Verdict {
    if (queryToken !== null && same(queryToken, this.token)) return { ok: true };
    if (this.checkToken(req).ok) return { ok: true };
    const cookie = cookieValue(req.headers.cookie, this.cookieName);
    if (cookie !== undefined && same(cookie, this.pageSecret)) return { ok: true };
    return { ok: false, status: 403, message: 'missing or wrong token: open the URL printed by casefile serve' };
  }
}

/** The API takes JSON only: a form (text/plain, urlencoded, multipart) can be sent cross-site without script. */
export function isJsonRequest(req: http.IncomingMessage): boolean {
  return /^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '');
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
