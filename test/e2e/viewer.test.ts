import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createHandlers } from '../../electron/engine/api/handlers';
import { generateMbox } from '../fixtures/archive-generator';
import { startHarness, type Harness } from '../../electron/engine/harness/server';
import { ingest } from '../../electron/engine/ingest/ingest';
import { CaseStore } from '../../electron/engine/store/case-store';
// @ts-expect-error plain ESM build script without types
import { buildRenderer } from '../../scripts/build-renderer.mjs';
import { corpus, HAVE_CORPORA, REPO } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

const CHROMIUM = process.env.CASEFILE_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = path.join(REPO, 'test/output/screenshots');
const skip = existsSync(CHROMIUM) ? {} : { skip: `Chromium not found at ${CHROMIUM} (apt-get install chromium); browser tests skipped` };

describe('viewer in real Chromium through the browser harness', skip, () => {
  const caseDir = path.join(tempDir('casefile-e2e-'), 'case');
  const rendererDir = path.join(tempDir('casefile-e2e-ui-'), 'renderer');
  let store: CaseStore;
  let harness: Harness;
  let browser: Browser;
  /** Every request the page made, and every console message (from any frame). */
  const requests: string[] = [];
  const consoleLines: string[] = [];

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await buildRenderer(rendererDir);
    const generated = path.join(tempDir('casefile-e2e-ev-'), 'generated.mbox');
    await generateMbox(generated, 600 * 1024, 11);
    const inputs = [path.join(REPO, 'test/fixtures/hostile'), generated];
    if (HAVE_CORPORA) inputs.push(corpus('ponymail-asf-mbox/corpus/maven-dev-2017-12-mboxvm.mbox'), corpus('notmuch-corpora/test/corpora/default'));
    await ingest({ caseDir, inputs });
    store = CaseStore.open(caseDir);
    harness = await startHarness({ handlers: createHandlers(store), rendererDir });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    });
  });

  after(async () => {
    await browser?.close();
    await harness?.close();
    store?.close();
  });

  async function open(hash = ''): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => consoleLines.push(m.text()));
    await page.goto(harness.url + hash);
    return page;
  }

  const idOf = (messageId: string) => (store.db.prepare('SELECT id FROM messages WHERE message_id = ?').get(messageId) as { id: number }).id;

  test('open, list, search, read, raw source, thread', async () => {
    const page = await open();
    await page.getByTestId('message-list').locator('[role=option][data-id]').first().waitFor();
    const rows = await page.getByTestId('message-list').locator('[role=option][data-id]').count();
    assert.ok(rows > 5, `list shows rows (${rows})`);
    await page.screenshot({ path: path.join(SHOTS, '01-list.png') });

    await page.getByTestId('search-input').fill(HAVE_CORPORA ? 'vote release' : 'rapport');
    await page.getByTestId('search-input').press('Enter');
    await page.getByTestId('result-info').filter({ hasText: /result/ }).waitFor();
    assert.match(page.url(), /#\/search\//);
    await page.getByTestId('message-list').locator('[role=option][data-id]').first().click();
    await page.getByTestId('reading-pane').waitFor();
    await page.screenshot({ path: path.join(SHOTS, '02-search-read.png') });

    await page.getByTestId('tab-raw').click();
    // The raw bytes arrive asynchronously: wait for them rather than reading "Loading…".
    await page.getByTestId('raw-source').filter({ hasText: /Message-ID:/i }).waitFor();
    const raw = await page.getByTestId('raw-source').textContent();
    assert.match(raw ?? '', /^[\s\S]*Message-ID:/i);

    await page.getByTestId('search-input').fill('frob:1');
    await page.getByTestId('search-input').press('Enter');
    await page.getByTestId('query-error').waitFor();
    assert.match((await page.getByTestId('query-error').textContent()) ?? '', /frob/);
    await page.close();
  });

  test('hash routes open views directly; a thread view lists its messages', { skip: !HAVE_CORPORA && 'corpora absent' }, async () => {
    const store2 = store.db.prepare('SELECT id FROM messages WHERE thread_id IN (SELECT id FROM threads WHERE message_count >= 3) LIMIT 1').get() as { id: number };
    const page = await open(`#/thread/${store2.id}`);
    await page.getByTestId('thread-view').waitFor();
    const items = await page.getByTestId('thread-view').locator('li').count();
    assert.ok(items >= 3);
    await page.screenshot({ path: path.join(SHOTS, '03-thread.png') });
    await page.close();
  });

  test('hostile mail: no script runs, no request leaves the app, remote content blocked and counted', async () => {
    requests.length = 0;
    consoleLines.length = 0;
    const page = await open(`#/message/${idOf('hostile-1@evil.example')}`);
    await page.getByTestId('html-frame').waitFor();
    await page.waitForTimeout(1500); // give anything hostile time to try
    await page.screenshot({ path: path.join(SHOTS, '04-hostile.png') });
    const notice = await page.getByTestId('blocked-notice').textContent();
    assert.match(notice ?? '', /\d+ remote resources? blocked/);
    const foreign = requests.filter((u) => !u.startsWith(`http://127.0.0.1:${harness.port}/`) && !u.startsWith('data:') && u !== 'about:srcdoc');
    assert.deepEqual(foreign, [], 'no request leaves the app');
    assert.deepEqual(consoleLines.filter((l) => l.includes('PWNED')), [], 'no script executed');
    // The inline cid: image is shown from the message itself.
    const frame = page.frameLocator('[data-testid=html-frame]');
    assert.match((await frame.locator('img[alt="inline logo"]').getAttribute('src')) ?? '', /^data:image\/png;base64,/);
    assert.equal(await frame.locator('script, iframe, object, embed, form, link, base, meta:not([http-equiv="Content-Security-Policy"])').count(), 0);
    // The only meta left is our own frame CSP (the sender's meta refresh is gone).
    assert.equal(await frame.locator('meta').count(), 1);
    await page.close();
  });

  test('attachments show declared vs detected type, with the mismatch flagged', async () => {
    const page = await open(`#/message/${idOf('disguised-1@example.org')}`);
    await page.locator('.attachments tr.mismatch').waitFor();
    const row = await page.locator('.attachments tr.mismatch').textContent();
    assert.match(row ?? '', /rapport\.pdf.*application\/pdf.*mismatch/);
    await page.screenshot({ path: path.join(SHOTS, '05-attachment-mismatch.png') });
    await page.close();
  });
});
