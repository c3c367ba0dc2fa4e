import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ApiEventBus } from '../../electron/engine/api/event-bus';
import { createHandlers } from '../../electron/engine/api/handlers';
import { startHarness, type Harness } from '../../electron/engine/harness/server';
import { ingest } from '../../electron/engine/ingest/ingest';
import { CaseStore } from '../../electron/engine/store/case-store';
import { request } from '../helpers/http';
import { tempDir } from '../helpers/temp';

/** A raw HTTP exchange (fetch would normalise away the malformed URLs and headers under test). */
function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.end(text));
    let out = '';
    s.on('data', (d) => (out += d));
    s.on('end', () => resolve(out));
    s.on('error', reject);
  });
}

async function until(done: () => boolean, ms: number): Promise<void> {
  for (const end = Date.now() + ms; !done() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
}

/** GET, or POST when a body is given. */
const call = (port: number, p: string, headers: Record<string, string>, body?: string) => request(port, p, { headers, body, method: body === undefined ? 'GET' : 'POST' });

describe('harness request guard: token header, JSON only, Origin, malformed URLs, connection bounds', () => {
  const ev = tempDir('casefile-guard-ev-');
  const caseDir = path.join(tempDir('casefile-guard-case-'), 'case');
  const renderer = tempDir('casefile-guard-ui-');
  let store: CaseStore;
  let harness: Harness;

  before(async () => {
    writeFileSync(path.join(ev, 'one.eml'), 'From: A <a@example.org>\nSubject: bonjour\nMessage-ID: <g1@x>\n\nLe budget.\n');
    writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Casefile</title>');
    writeFileSync(path.join(renderer, 'app.js'), '// app');
    await ingest({ caseDir, inputs: [path.join(ev, 'one.eml')] });
    store = CaseStore.open(caseDir);
    const events = new ApiEventBus();
    harness = await startHarness({ handlers: createHandlers(store, events), events, rendererDir: renderer });
  });
  after(async () => {
    await harness.close();
    store.close();
  });

  const json = (token: string) => ({ 'X-Casefile-Token': token, 'Content-Type': 'application/json' });
  const note = () => (store.db.prepare('SELECT COUNT(*) AS n FROM notes').get() as { n: number }).n;

  test('the API needs the token header: the page cookie or a token in the query string is not enough', async () => {
    const page = await call(harness.port, `/?token=${harness.token}`, {});
    assert.equal(page.status, 200);
    const cookie = String(page.headers['set-cookie']).split(';')[0]!;
    assert.match(cookie, new RegExp(`^casefile_page_${harness.port}=`));
    // The cookie loads the app's static files (a reload) …
    assert.equal((await call(harness.port, '/app.js', { Cookie: cookie })).status, 200);
    // … but opens neither the API nor the event stream.
    assert.equal((await call(harness.port, '/api/stats', { Cookie: cookie, 'Content-Type': 'application/json' }, '{}')).status, 403);
    assert.equal((await call(harness.port, `/api/stats?token=${harness.token}`, { 'Content-Type': 'application/json' }, '{}')).status, 403);
    assert.equal((await call(harness.port, '/events', { Cookie: cookie })).status, 403);
    assert.equal((await call(harness.port, '/api/stats', json(harness.token), '{}')).status, 200);
  });

  test('the API takes JSON bodies only: a text/plain or urlencoded form is refused and changes nothing', async () => {
    const before = note();
    const body = JSON.stringify({ id: 1, text: 'forged' });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp']) {
      const r = await call(harness.port, '/api/setNote', { 'X-Casefile-Token': harness.token, 'Content-Type': type }, body);
      assert.equal(r.status, 415, type);
    }
    assert.equal(note(), before);
  });

  test('a foreign Origin, or a request another site caused (fetch metadata), is refused even with the token', async () => {
    for (const origin of ['http://127.0.0.1:1', 'http://localhost:1', 'null', 'http://evil.example']) {
      assert.equal((await call(harness.port, '/api/stats', { ...json(harness.token), Origin: origin }, '{}')).status, 403, origin);
    }
    assert.equal((await call(harness.port, '/api/stats', { ...json(harness.token), 'Sec-Fetch-Site': 'same-site' }, '{}')).status, 403);
    assert.equal((await call(harness.port, `/?token=${harness.token}`, { 'Sec-Fetch-Site': 'cross-site' })).status, 403);
    assert.equal((await call(harness.port, '/api/stats', { ...json(harness.token), Origin: `http://127.0.0.1:${harness.port}`, 'Sec-Fetch-Site': 'same-origin' }, '{}')).status, 200);
  });

  test('malformed URLs and request lines get 400, and the server goes on', async () => {
    for (const p of ['/%', '/%zz', '/api/%E0%A4%A', `/%?token=${harness.token}`]) {
      const r = await raw(harness.port, `GET ${p} HTTP/1.1\r\nHost: 127.0.0.1:${harness.port}\r\nConnection: close\r\n\r\n`);
      assert.match(r, /^HTTP\/1\.1 400 /, p);
    }
    assert.match(await raw(harness.port, 'GARBAGE\r\n\r\n'), /^HTTP\/1\.1 400 /);
    assert.equal((await call(harness.port, '/api/stats', json(harness.token), '{}')).status, 200);
  });

  test('idle connections are bounded in number and closed when they send no headers', async () => {
    const h = await startHarness({ handlers: createHandlers(store), rendererDir: renderer, maxConnections: 20, headersTimeoutMs: 3000 });
    const sockets: net.Socket[] = [];
    try {
      await Promise.all(
        Array.from({ length: 300 }, () =>
          new Promise<void>((resolve) => {
            const s = net.connect(h.port, '127.0.0.1', () => resolve());
            s.on('error', () => resolve());
            sockets.push(s);
          }),
        ),
      );
      const open = () => sockets.filter((s) => !s.destroyed && !s.closed).length;
      // Beyond the bound, new connections are closed at once (well before the headers timeout) …
      await until(() => open() <= 20, 2500);
      assert.ok(open() <= 20, `${open()} idle connections open, bound 20`);
      // … and the rest once the headers timeout passes.
      await until(() => open() === 0, 8000);
      assert.equal(open(), 0, 'idle connections closed after the headers timeout');
      assert.equal((await call(h.port, '/api/stats', json(h.token), '{}')).status, 200, 'a real request is served afterwards');
    } finally {
      sockets.forEach((s) => s.destroy());
      await h.close();
    }
  });
});
