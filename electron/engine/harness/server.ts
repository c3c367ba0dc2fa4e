import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { ApiEventBus } from '../api/event-bus';
import { dispatch, type HandlerTable } from '../api/handlers';
import { ApiFailure } from '../api/validate';
import { SECURITY_HEADERS } from './security-headers';

export interface HarnessOptions {
  handlers: HandlerTable;
  /** Folder of the built renderer (index.html + assets); a placeholder page is served when missing. */
  rendererDir: string;
  port?: number;
  /** The bus the handler table publishes progress on; streamed to the page at /events (SSE). */
  events?: ApiEventBus;
}

export interface Harness {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/**
 * The browser harness: the renderer and the same handler table as the Electron app, on 127.0.0.1 only.
 * Every request needs the per-run token (query parameter, `X-Casefile-Token` header, or the cookie set
 * by the first page load) and a Host header naming this server (DNS-rebinding defence).
 */
export async function startHarness(opts: HarnessOptions): Promise<Harness> {
  const token = randomBytes(24).toString('base64url');
  let port = 0;
  const streams = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) send(res, 500, { error: { code: 'internal', message: String((err as Error)?.message ?? err) } });
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return send(res, 421, { error: { code: 'bad-request', message: 'foreign Host header' } });
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const given = url.searchParams.get('token') ?? (req.headers['x-casefile-token'] as string | undefined) ?? cookieToken(req.headers.cookie);
    if (!given || !sameToken(given, token)) return send(res, 403, { error: { code: 'bad-request', message: 'missing or wrong token' } });

    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return send(res, 405, { error: { code: 'bad-request', message: 'use POST' } });
      const body = await readBody(req);
      let args: unknown;
      try {
        args = body.length ? JSON.parse(body) : {};
      } catch {
        return send(res, 400, { error: { code: 'bad-request', message: 'body is not JSON' } });
      }
      try {
        return send(res, 200, { result: await dispatch(opts.handlers, url.pathname.slice(5), args) });
      } catch (err) {
        if (err instanceof ApiFailure) return send(res, err.error.code === 'not-found' ? 404 : 400, { error: err.error });
        throw err;
      }
    }
    if (req.method !== 'GET') return send(res, 405, { error: { code: 'bad-request', message: 'use GET' } });
    if (url.pathname === '/events') return streamEvents(req, res);
    serveStatic(url.pathname, res, url.searchParams.has('token') ? token : null);
  }

  /** Server-Sent Events: one `event: <name>` / `data: <json>` record per engine event. */
  function streamEvents(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (!opts.events) return send(res, 404, { error: { code: 'not-found', message: 'no event stream' } });
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    res.write(': casefile events\n\n');
    const unsubscribe = opts.events.subscribe((name, data) => res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`));
    streams.add(res);
    req.on('close', () => {
      unsubscribe();
      streams.delete(res);
    });
  }

  function serveStatic(pathname: string, res: http.ServerResponse, setCookieToken: string | null): void {
    const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const file = path.resolve(opts.rendererDir, rel);
    // Only files inside the renderer folder: no traversal.
    if (!file.startsWith(path.resolve(opts.rendererDir) + path.sep)) return send(res, 404, { error: { code: 'not-found', message: 'not found' } });
    const headers: Record<string, string> = { ...SECURITY_HEADERS };
    if (setCookieToken) headers['Set-Cookie'] = `casefile_token=${setCookieToken}; HttpOnly; SameSite=Strict; Path=/`;
    if (!existsSync(file) || !statSync(file).isFile()) {
      if (rel === 'index.html') {
        res.writeHead(200, { ...headers, 'Content-Type': TYPES['.html']! });
        return void res.end('<!doctype html><title>Casefile</title><p>The renderer is not built. Run <code>npm run build</code>.</p>');
      }
      return send(res, 404, { error: { code: 'not-found', message: 'not found' } });
    }
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    token,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of streams) r.end(); // open event streams would keep the server from closing
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function cookieToken(cookie: string | undefined): string | undefined {
  return /(?:^|;\s*)casefile_token=([A-Za-z0-9_-]+)/.exec(cookie ?? '')?.[1];
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new ApiFailure({ code: 'bad-request', message: 'request body too large' }));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
