import { existsSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { ApiEventBus } from '../api/event-bus';
import { dispatch, type HandlerTable } from '../api/handlers';
import { ApiFailure } from '../api/validate';
import { isJsonRequest, RequestGuard } from './request-guard';
import { SECURITY_HEADERS } from './security-headers';

export interface HarnessOptions {
  handlers: HandlerTable;
  /** Folder of the built renderer (index.html + assets); a placeholder page is served when missing. */
  rendererDir: string;
  port?: number;
  /** The bus the handler table publishes progress on; streamed to the page at /events (SSE). */
  events?: ApiEventBus;
  /** Open connections at most (beyond, new ones are closed at once). */
  maxConnections?: number;
  /** A connection must send its request headers within this time (idle sockets are closed). */
  headersTimeoutMs?: number;
}

export interface Harness {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
/** A browser needs a handful of connections per page (Chromium: 6 per host); a few tabs fit easily. */
const MAX_CONNECTIONS = 64;
const HEADERS_TIMEOUT_MS = 10_000;
/** SSE comment sent this often so that a dead peer is noticed and proxies keep the stream. */
const HEARTBEAT_MS = 15_000;
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
 * Who may call what is decided by RequestGuard (token header for the API and events, a per-port page
 * cookie for static files, Host/Origin/fetch-metadata checks); the API takes JSON bodies only.
 * Connections are bounded in number and must send their headers promptly.
 */
export async function startHarness(opts: HarnessOptions): Promise<Harness> {
  let port = 0;
  const guard = new RequestGuard(() => port);
  const streams = new Set<http.ServerResponse>();
  const firstRequest = new WeakMap<object, NodeJS.Timeout>();
  const headersTimeout = opts.headersTimeoutMs ?? HEADERS_TIMEOUT_MS;
  const server = http.createServer(
    { headersTimeout, requestTimeout: Math.max(headersTimeout, 30_000), keepAliveTimeout: 5_000, connectionsCheckingInterval: Math.min(1_000, headersTimeout) },
    (req, res) => {
      handle(req, res).catch((err) => {
        if (err instanceof ApiFailure && !res.headersSent) send(res, 413, { error: err.error });
        else if (!res.headersSent) send(res, 500, { error: { code: 'internal', message: String((err as Error)?.message ?? err) } });
        else res.destroy();
      });
    },
  );
  server.maxConnections = opts.maxConnections ?? MAX_CONNECTIONS;
  // Node's headersTimeout starts with the first byte: a connection that never sends one is closed here.
  server.on('connection', (socket) => {
    const timer = setTimeout(() => socket.destroy(), headersTimeout);
    socket.once('close', () => clearTimeout(timer));
    firstRequest.set(socket, timer);
  });
  server.on('request', (req) => clearTimeout(firstRequest.get(req.socket)));
  // Malformed request lines or headers: a plain 400, never a crash.
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const origin = guard.checkOrigin(req);
    if (!origin.ok) return refuse(res, origin);
    let url: URL;
    let pathname: string;
    try {
      url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return send(res, 400, { error: { code: 'bad-request', message: 'malformed URL' } });
    }

    if (pathname.startsWith('/api/')) {
      const auth = guard.checkToken(req);
      if (!auth.ok) return refuse(res, auth);
      if (req.method !== 'POST') return send(res, 405, { error: { code: 'bad-request', message: 'use POST' } });
      if (!isJsonRequest(req)) return send(res, 415, { error: { code: 'bad-request', message: 'Content-Type must be application/json' } });
      const body = await readBody(req);
      let args: unknown;
      try {
        args = body.length ? JSON.parse(body) : {};
      } catch {
        return send(res, 400, { error: { code: 'bad-request', message: 'body is not JSON' } });
      }
      try {
        return send(res, 200, { result: await dispatch(opts.handlers, pathname.slice(5), args) });
      } catch (err) {
        if (err instanceof ApiFailure) return send(res, err.error.code === 'not-found' ? 404 : 400, { error: err.error });
        throw err;
      }
    }
    if (req.method !== 'GET') return send(res, 405, { error: { code: 'bad-request', message: 'use GET' } });
    if (pathname === '/events') {
      const auth = guard.checkToken(req);
      return auth.ok ? streamEvents(req, res) : refuse(res, auth);
    }
    const queryToken = url.searchParams.get('token');
    const page = guard.checkPage(req, queryToken);
    if (!page.ok) return refuse(res, page);
    serveStatic(pathname, res, queryToken !== null);
  }

  /** Server-Sent Events: one `event: <name>` / `data: <json>` record per engine event. */
  function streamEvents(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (!opts.events) return send(res, 404, { error: { code: 'not-found', message: 'no event stream' } });
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    res.write(': casefile events\n\n');
    const unsubscribe = opts.events.subscribe((name, data) => res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`));
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    streams.add(res);
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(res);
    });
  }

  function serveStatic(pathname: string, res: http.ServerResponse, setCookie: boolean): void {
    const rel = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
    const file = path.resolve(opts.rendererDir, rel);
    // Only files inside the renderer folder: no traversal.
    if (!file.startsWith(path.resolve(opts.rendererDir) + path.sep)) return send(res, 404, { error: { code: 'not-found', message: 'not found' } });
    const headers: Record<string, string> = { ...SECURITY_HEADERS };
    if (setCookie) headers['Set-Cookie'] = guard.pageCookie();
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
    url: `http://127.0.0.1:${port}/?token=${guard.token}`,
    token: guard.token,
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

function refuse(res: http.ServerResponse, v: { status: number; message: string }): void {
  send(res, v.status, { error: { code: 'bad-request', message: v.message } });
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
