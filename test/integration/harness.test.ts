import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { REPO } from '../helpers/corpora';
import { ApiEventBus } from '../../electron/engine/api/event-bus';
import { createHandlers, dispatch } from '../../electron/engine/api/handlers';
import { ApiFailure } from '../../electron/engine/api/validate';
import { startHarness, type Harness } from '../../electron/engine/harness/server';
import { ingest } from '../../electron/engine/ingest/ingest';
import { CaseStore } from '../../electron/engine/store/case-store';
import { request } from '../helpers/http';
import { tempDir } from '../helpers/temp';

describe('handler table and browser harness', () => {
  const ev = tempDir('casefile-harness-ev-');
  const caseDir = path.join(tempDir('casefile-harness-case-'), 'case');
  const renderer = tempDir('casefile-harness-ui-');
  let store: CaseStore;
  let harness: Harness;
  const events = new ApiEventBus();

  before(async () => {
    const raw = 'From: A <a@example.org>\nSubject: bonjour\nMessage-ID: <h1@x>\nDate: Mon, 1 May 2017 10:00:00 +0200\n\nLe budget de campagne.\n';
    writeFileSync(path.join(ev, 'one.eml'), raw);
    writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Casefile</title>');
    await ingest({ caseDir, inputs: [path.join(ev, 'one.eml')] });
    store = CaseStore.open(caseDir);
    harness = await startHarness({ handlers: createHandlers(store, events), events, rendererDir: renderer });
  });
  after(async () => {
    await harness.close();
    store.close();
  });

  test('the handler table validates arguments and rejects unknown methods', async () => {
    const t = createHandlers(store);
    await assert.rejects(dispatch(t, 'constructor', {}), ApiFailure);
    await assert.rejects(dispatch(t, '__proto__', {}), ApiFailure);
    await assert.rejects(dispatch(t, 'getMessage', { id: '1 OR 1=1' }), ApiFailure);
    await assert.rejects(dispatch(t, 'listMessages', { limit: 1e9 }), ApiFailure);
    await assert.rejects(dispatch(t, 'search', { query: 'frob:1' }), (e: unknown) => e instanceof ApiFailure && e.error.code === 'bad-query' && e.error.part === 'frob:1');
    const page = (await dispatch(t, 'listMessages', { limit: 10, offset: 0 })) as any;
    assert.equal(page.total, 1);
    const raw = (await dispatch(t, 'getRaw', { id: page.messages[0].id })) as any;
    assert.match(Buffer.from(raw.base64, 'base64').toString(), /^From: A/);
  });

  test('the harness prints a loopback URL with a token and serves the API over it', async () => {
    assert.match(harness.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{20,}$/);
    const r = await request(harness.port, '/api/search', { method: 'POST', headers: { 'X-Casefile-Token': harness.token, 'Content-Type': 'application/json' }, body: JSON.stringify({ query: 'budget', limit: 5, offset: 0 }) });
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(r.body).result.total, 1);
    assert.match(String(r.headers['content-security-policy']), /default-src 'none'/);
  });

  test('requests without the token, with a wrong token, or with a foreign Host header are refused', async () => {
    assert.equal((await request(harness.port, '/')).status, 403);
    assert.equal((await request(harness.port, '/?token=wrong')).status, 403);
    assert.equal((await request(harness.port, '/api/stats', { method: 'POST', body: '{}' })).status, 403);
    assert.equal((await request(harness.port, `/?token=${harness.token}`, { host: 'evil.example:80' })).status, 421);
    assert.equal((await request(harness.port, `/?token=${harness.token}`, { host: `attacker.test:${harness.port}` })).status, 421);
    const ok = await request(harness.port, `/?token=${harness.token}`);
    assert.equal(ok.status, 200);
    assert.match(String(ok.headers['set-cookie']), new RegExp(`casefile_page_${harness.port}=.*HttpOnly; SameSite=Strict`));
  });

  test('static files cannot escape the renderer folder', async () => {
    const r = await request(harness.port, `/..%2f..%2f..%2fetc%2fpasswd?token=${harness.token}`);
    assert.equal(r.status, 404);
    assert.doesNotMatch(r.body, /root:/);
  });

  test('casefile serve prints one line with the URL and token, and serves it', { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, [path.join(REPO, 'bin/casefile.mjs'), 'serve', caseDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          if (out.includes('\n')) resolve(out.split('\n')[0]!);
        });
        child.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
      });
      const m = /^http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+)$/.exec(line);
      assert.ok(m, line);
      const page = await request(Number(m[1]), `/?token=${m[2]}`);
      assert.equal(page.status, 200);
      assert.match(page.body, /<script src="app.js">/);
    } finally {
      child.kill('SIGTERM');
    }
  });

  test('progress events stream over Server-Sent Events, token required; an ingest started over the API reports to the end', async () => {
    const noToken = await fetch(`http://127.0.0.1:${harness.port}/events`);
    assert.equal(noToken.status, 403);
    const res = await fetch(`http://127.0.0.1:${harness.port}/events`, { headers: { 'X-Casefile-Token': harness.token } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
    const second = path.join(ev, 'two.eml');
    writeFileSync(second, 'From: B <b@example.org>\nSubject: deux\nMessage-ID: <h2@x>\nDate: Tue, 2 May 2017 10:00:00 +0200\n\nSecond message.\n');
    const started = await fetch(`http://127.0.0.1:${harness.port}/api/startIngest`, {
      method: 'POST',
      headers: { 'X-Casefile-Token': harness.token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ inputs: [second] }),
    });
    assert.equal(started.status, 200);
    const reader = res.body!.getReader();
    let text = '';
    while (!/"state":"finished"/.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString('utf8');
    }
    const states = [...text.matchAll(/event: ingestProgress\ndata: (.*)\n/g)].map((m) => JSON.parse(m[1]!).state);
    assert.equal(states.at(-1), 'finished');
    assert.ok(states.length >= 2 && states[0] === 'running', states.join());
    await reader.cancel();
    const page = (await dispatch(createHandlers(store), 'listMessages', { limit: 10, offset: 0 })) as any;
    assert.equal(page.total, 2);
  });
});
