import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { ApiEventBus } from '../../electron/engine/api/event-bus';
import { createHandlers, type HandlerTable } from '../../electron/engine/api/handlers';
import { startHarness, type Harness } from '../../electron/engine/harness/server';
import { ingest } from '../../electron/engine/ingest/ingest';
import { CaseStore } from '../../electron/engine/store/case-store';
import { launchChromium, needsChromium, rendererBuild, SHOTS } from '../helpers/e2e';
import { tempDir } from '../helpers/temp';

const skip = needsChromium;

/** Records which handler methods ran (any transport), to prove the hostile page reached none. */
function recording(table: HandlerTable, calls: string[]): HandlerTable {
  return Object.fromEntries(Object.entries(table).map(([name, fn]) => [name, (args: unknown) => (calls.push(name), (fn as (a: unknown) => Promise<unknown>)(args))])) as HandlerTable;
}

/**
 * The page another local server would serve (any port on 127.0.0.1: cookies ignore ports, so it is
 * "same-site" with the harness). No user interaction; it tries everything it can without the token.
 */
function hostilePage(target: string, secretFile: string, exportDir: string): string {
  const form = (method: string, body: Record<string, unknown>) => {
    // enctype=text/plain sends `name=value`: the name carries the JSON, the value closes it.
    const json = JSON.stringify({ ...body, pad: '' }).slice(0, -2);
    return `<form method="POST" action="${target}/api/${method}" enctype="text/plain" target="sink-${method}"><input name='${json.replace(/'/g, '&#39;')}' value='"}'></form><iframe name="sink-${method}"></iframe>`;
  };
  const attempts = {
    setNote: { id: 1, text: 'written by another origin' },
    tagMessages: { tag: 'csrf', selection: { ids: [1] } },
    startIngest: { inputs: [secretFile] },
    startExport: { selection: { query: 'budget' }, format: 'eml', out: path.join(exportDir, 'stolen') },
  };
  return `<!doctype html><meta charset="utf-8"><title>other local app</title>
${Object.entries(attempts).map(([m, b]) => form(m, b)).join('\n')}
<script>
const target = ${JSON.stringify(target)};
const attempts = ${JSON.stringify(attempts)};
const results = {};
const note = (k, v) => (results[k] = String(v));
async function run() {
  // Each form posts into its own sink frame; its load event says the harness has answered that post.
  const posted = Promise.all([...document.querySelectorAll('iframe[name^=sink-]')].map((f) => new Promise((r) => f.addEventListener('load', r, { once: true }))));
  document.querySelectorAll('form').forEach((f) => f.submit());
  for (const [m, body] of Object.entries(attempts)) {
    // A "simple" request: no preflight, the ambient cookie goes along.
    await fetch(target + '/api/' + m, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify(body) })
      .then((r) => note('no-cors ' + m, r.type), (e) => note('no-cors ' + m, e));
    // A JSON request with and without credentials: needs a CORS preflight the harness never grants.
    for (const credentials of ['include', 'omit']) {
      await fetch(target + '/api/' + m, { method: 'POST', credentials, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
        .then(async (r) => note(credentials + ' ' + m, r.status + ' ' + (await r.text())), (e) => note(credentials + ' ' + m, 'blocked: ' + e));
    }
  }
  // Reading the token or the case: the page, the raw source of a message, the event stream.
  await fetch(target + '/', { credentials: 'include' }).then(async (r) => note('read page', await r.text()), (e) => note('read page', 'blocked: ' + e));
  await fetch(target + '/api/getRaw', { method: 'POST', credentials: 'include', headers: { 'Content-Type': 'text/plain' }, body: '{"id":1}' })
    .then(async (r) => note('read raw', await r.text()), (e) => note('read raw', 'blocked: ' + e));
  note('cookie', document.cookie);
  // Until the opened window has navigated it is about:blank (same origin as this page): wait for the
  // navigation, then try to read it (a fixed wait could read about:blank on a slow machine).
  const w = window.open(target + '/', 'harness');
  for (let waited = 0; ; waited += 50) {
    try {
      const href = w.location.href;
      if (href === 'about:blank' && waited < 20000) { await new Promise((r) => setTimeout(r, 50)); continue; }
      note('window', w.document.body.innerHTML + ' ' + href);
    } catch (e) { note('window', 'blocked: ' + e.name); }
    break;
  }
  await new Promise((r) => {
    const es = new EventSource(target + '/events', { withCredentials: true });
    es.onmessage = (e) => note('events', 'read ' + e.data);
    es.onerror = () => { note('events', 'blocked'); es.close(); r(); };
    setTimeout(r, 1500);
  });
  await posted;
  window.done = true;
}
window.results = results;
run();
</script>`;
}

describe('harness against a page from a second local origin (real Chromium)', skip, () => {
  const evidence = tempDir('casefile-csrf-ev-');
  const caseDir = path.join(tempDir('casefile-csrf-case-'), 'case');
  const caseDir2 = path.join(tempDir('casefile-csrf-case2-'), 'case');
  let rendererDir = '';
  const exportDir = tempDir('casefile-csrf-out-');
  const secretFile = path.join(tempDir('casefile-csrf-secret-'), 'id_ed25519');
  const calls: string[] = [];
  let store: CaseStore;
  let store2: CaseStore;
  let harness: Harness;
  let harness2: Harness;
  let evil: http.Server;
  let evilPort = 0;
  let browser: Browser;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    rendererDir = await rendererBuild();
    writeFileSync(path.join(evidence, 'a.eml'), 'From: Alice <a@example.org>\nSubject: budget de campagne\nMessage-ID: <c1@x>\nDate: Mon, 1 May 2017 10:00:00 +0200\n\nLe budget.\n');
    writeFileSync(path.join(evidence, 'b.eml'), 'From: Bob <b@example.org>\nSubject: second case\nMessage-ID: <c2@x>\nDate: Tue, 2 May 2017 10:00:00 +0200\n\nAutre dossier.\n');
    writeFileSync(secretFile, '-----BEGIN OPENSSH PRIVATE KEY-----\nsecret\n');
    chmodSync(secretFile, 0o600);
    await ingest({ caseDir, inputs: [path.join(evidence, 'a.eml')] });
    await ingest({ caseDir: caseDir2, inputs: [path.join(evidence, 'b.eml')] });
    store = CaseStore.open(caseDir);
    store2 = CaseStore.open(caseDir2);
    const events = new ApiEventBus();
    harness = await startHarness({ handlers: recording(createHandlers(store, events), calls), events, rendererDir });
    harness2 = await startHarness({ handlers: createHandlers(store2), rendererDir });
    const page = hostilePage(`http://127.0.0.1:${harness.port}`, secretFile, exportDir);
    evil = http.createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page));
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
    evilPort = (evil.address() as { port: number }).port;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await harness?.close();
    await harness2?.close();
    await new Promise((r) => evil?.close(r));
    store?.close();
    store2?.close();
  });

  const count = (sql: string) => (store.db.prepare(sql).get() as { n: number }).n;

  test('the app works, drops the token from the address bar, and survives a reload', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(harness.url + '#/search/budget');
    await page.getByTestId('message-list').locator('[role=option][data-id]').first().waitFor();
    assert.doesNotMatch(page.url(), /token/, 'token removed from the address bar');
    assert.match(page.url(), /#\/search\/budget$/, 'the route is kept');
    await page.reload();
    await page.getByTestId('message-list').locator('[role=option][data-id]').first().waitFor();
    assert.doesNotMatch(page.url(), /token/);
    await context.close();
  });

  test('a page on another 127.0.0.1 port cannot read or change the case (forms, fetch, token, raw bytes, events)', { timeout: 60_000 }, async () => {
    const context = await browser.newContext();
    // The investigator has the app open: the page cookie is in the browser, as in the reported attack.
    const app = await context.newPage();
    await app.goto(harness.url);
    await app.getByTestId('message-list').locator('[role=option][data-id]').first().waitFor();
    const before = { notes: count('SELECT COUNT(*) n FROM notes'), tags: count('SELECT COUNT(*) n FROM message_tags'), sources: count('SELECT COUNT(*) n FROM sources'), audit: count('SELECT COUNT(*) n FROM audit') };
    calls.length = 0;

    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${evilPort}/`);
    await page.waitForFunction(() => (window as unknown as { done?: boolean }).done === true, undefined, { timeout: 30_000 });
    const results = (await page.evaluate(() => (window as unknown as { results: Record<string, string> }).results)) as Record<string, string>;
    await page.screenshot({ path: path.join(SHOTS, 'csrf-hostile-page.png') });

    assert.deepEqual(calls, [], `no handler ran for the other origin (results: ${JSON.stringify(results)})`);
    assert.deepEqual({ notes: count('SELECT COUNT(*) n FROM notes'), tags: count('SELECT COUNT(*) n FROM message_tags'), sources: count('SELECT COUNT(*) n FROM sources'), audit: count('SELECT COUNT(*) n FROM audit') }, before);
    assert.deepEqual(readdirSync(exportDir), [], 'no export written');
    for (const [k, v] of Object.entries(results)) {
      assert.doesNotMatch(v, new RegExp(harness.token), `${k} leaked the token`);
      assert.doesNotMatch(v, /budget|BEGIN OPENSSH|"result"/, `${k} read case data: ${v}`);
    }
    assert.equal(results.cookie, '', 'the page cookie is HttpOnly');
    assert.match(results.window!, /^blocked/);
    await context.close();
  });

  test('two harnesses in one browser work side by side', async () => {
    const context = await browser.newContext();
    const one = await context.newPage();
    await one.goto(harness.url);
    await one.getByTestId('message-list').locator('[role=option]', { hasText: 'budget de campagne' }).waitFor();
    const two = await context.newPage();
    await two.goto(harness2.url);
    await two.getByTestId('message-list').locator('[role=option]', { hasText: 'second case' }).waitFor();
    // Back to the first: its own token still works, for the API and after a reload.
    const search = async (q: string) => {
      await one.getByTestId('search-input').fill(q);
      await one.getByTestId('search-input').press('Enter');
      await one.getByTestId('result-info').filter({ hasText: /1 result/ }).waitFor({ timeout: 10_000 });
    };
    await search('budget');
    await one.reload();
    await search('campagne');
    await two.reload();
    await two.getByTestId('message-list').locator('[role=option]', { hasText: 'second case' }).waitFor();
    await one.screenshot({ path: path.join(SHOTS, 'csrf-two-harnesses.png') });
    await context.close();
  });
});
