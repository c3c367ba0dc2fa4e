import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ApiEventBus } from '../../electron/engine/api/event-bus';
import { createHandlers } from '../../electron/engine/api/handlers';
import { generateMbox } from '../fixtures/archive-generator';
import { writeLongThread } from '../fixtures/long-thread';
import { verifyExport } from '../../electron/engine/export/verify-export';
import { runAuthPass } from '../../electron/engine/auth/auth-pass';
import { KeyStore } from '../../electron/engine/auth/key-store';
import { startHarness, type Harness } from '../../electron/engine/harness/server';
import { ingest } from '../../electron/engine/ingest/ingest';
import { CaseStore } from '../../electron/engine/store/case-store';
import { corpus, HAVE_CORPORA, REPO } from '../helpers/corpora';
import { launchChromium, needsChromium, rendererBuild, SHOTS } from '../helpers/e2e';
import { tempDir } from '../helpers/temp';

const skip = needsChromium;

describe('viewer in real Chromium through the browser harness', skip, () => {
  const caseDir = path.join(tempDir('casefile-e2e-'), 'case');
  // Temp folders are made here, not in a hook: one made in before() is removed when that hook ends.
  const evidenceDir = tempDir('casefile-e2e-ev-');
  const exportDir = tempDir('casefile-e2e-export-');
  let store: CaseStore;
  let harness: Harness;
  let browser: Browser;
  /** Every request the page made, and every console message (from any frame). */
  const requests: string[] = [];
  const consoleLines: string[] = [];

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const rendererDir = await rendererBuild();
    const generated = path.join(evidenceDir, 'generated.mbox');
    await generateMbox(generated, 600 * 1024, 11);
    const longThread = path.join(path.dirname(generated), 'long-thread.mbox');
    writeLongThread(longThread, 1000);
    const inputs = [path.join(REPO, 'test/fixtures/hostile'), generated, longThread];
    if (HAVE_CORPORA) inputs.push(corpus('ponymail-asf-mbox/corpus/maven-dev-2017-12-mboxvm.mbox'), corpus('notmuch-corpora/test/corpora/default'), corpus('mimekit-testdata/UnitTests/TestData/dkim/gmail.msg'));
    await ingest({ caseDir, inputs });
    store = CaseStore.open(caseDir);
    if (HAVE_CORPORA) new KeyStore(store.db, store.audit).import(corpus('mimekit-testdata/UnitTests/TestData/dkim/gmail.pub'), '20120113._domainkey.gmail.com');
    await runAuthPass(store.db, store.audit);
    const events = new ApiEventBus();
    harness = await startHarness({ handlers: createHandlers(store, events), events, rendererDir });
    browser = await launchChromium();
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
    await page.getByTestId('thread-row').first().waitFor();
    const items = await page.getByTestId('thread-row').count();
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
    // The blocked URLs are listed (never fetched): as many as counted.
    await page.getByTestId('blocked-notice').locator('summary').click();
    const blocked = Number(/(\d+) remote/.exec(notice ?? '')![1]);
    assert.equal(await page.getByTestId('blocked-list').locator('li').count(), blocked);
    await page.screenshot({ path: path.join(SHOTS, '04b-blocked-urls-listed.png') });
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

  test('a 1,000-message thread: virtualized rows, lazy bodies, quoted text collapsed', async () => {
    const page = await open(`#/thread/${idOf('long-0@thread.example')}`);
    await page.getByTestId('thread-row').first().waitFor();
    assert.match((await page.getByTestId('thread-view').textContent()) ?? '', /1000 messages/);
    const inDom = await page.getByTestId('thread-row').count();
    assert.ok(inDom < 80, `only visible rows are in the DOM (${inDom} of 1000)`);
    // Scroll to the end: the last message is reachable and rendered.
    await page.getByTestId('thread-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
    // Expanding a reply fetches its body, with the quote collapsed behind a toggle.
    const row = page.locator('[data-testid=thread-row][data-index="999"]');
    await row.waitFor();
    await page.waitForTimeout(300); // let the virtualizer settle its measured row heights
    await row.locator('button.linklike').click();
    await row.getByTestId('thread-body').filter({ hasText: /Reply number \d+ with its own point about/ }).waitFor();
    const toggle = row.getByTestId('quote-toggle');
    assert.match((await toggle.textContent()) ?? '', /4 quoted lines/);
    await toggle.click();
    await row.locator('pre.quoted').waitFor();
    await page.screenshot({ path: path.join(SHOTS, '06-long-thread.png') });
    await page.close();
  });

  test('tagging with t, tag sidebar and chips, notes, bulk tag of every hit, export with manifest hash', async () => {
    const target = idOf('disguised-1@example.org');
    const page = await open(`#/message/${target}`);
    await page.getByTestId('reading-pane').waitFor();
    await page.keyboard.press('t');
    await page.getByTestId('tag-input').fill('suspect');
    await page.getByTestId('tag-input').press('Enter');
    await page.getByTestId('tag-editor').locator('.chip', { hasText: 'suspect' }).waitFor();
    await page.getByTestId('tag-sidebar').filter({ hasText: 'suspect' }).waitFor();
    assert.deepEqual(store.db.prepare("SELECT mt.message_id id FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.name = 'suspect'").all(), [{ id: target }]);

    await page.getByTestId('note-input').fill('Declared PDF is an executable.');
    await page.getByTestId('note-input').press('Control+Enter');
    await page.getByTestId('note-state').filter({ hasText: 'saved' }).waitFor();
    assert.equal((store.db.prepare('SELECT text FROM notes WHERE message_id = ?').get(target) as { text: string }).text, 'Declared PDF is an executable.');

    await page.getByTestId('search-input').fill('rapport');
    await page.getByTestId('search-input').press('Enter');
    await page.getByTestId('result-info').filter({ hasText: /result/ }).waitFor();
    const total = Number(/(\d+) result/.exec((await page.getByTestId('result-info').textContent()) ?? '')![1]);
    await page.getByTestId('bulk-tag-open').click();
    await page.getByTestId('bulk-tag-input').fill('rapport-hits');
    await page.getByTestId('bulk-tag-apply').click();
    await page.getByTestId('result-info').filter({ hasText: /Tagged "rapport-hits"/ }).waitFor();
    const tagged = (store.db.prepare("SELECT COUNT(*) n FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.name = 'rapport-hits'").get() as { n: number }).n;
    assert.equal(tagged, total);
    await page.getByTestId('message-list').locator('.chip', { hasText: 'rapport-hits' }).first().waitFor();
    await page.screenshot({ path: path.join(SHOTS, '07-tags.png') });

    const out = path.join(exportDir, 'rapport-set');
    await page.getByTestId('export-open').click();
    await page.getByTestId('export-format').selectOption('eml');
    await page.getByTestId('export-out').fill(out);
    await page.getByTestId('export-start').click();
    await page.locator('[data-testid=export-result], [data-testid=export-error]').first().waitFor({ timeout: 60_000 });
    assert.equal(await page.getByTestId('export-error').count(), 0, await page.getByTestId('export-dialog').innerText());
    const hash = (await page.getByTestId('export-manifest-hash').textContent())?.trim();
    await page.screenshot({ path: path.join(SHOTS, '08-export.png') });
    const report = await verifyExport(out);
    assert.ok(report.ok, JSON.stringify(report));
    assert.equal(report.checked, total);
    const audit = store.db.prepare("SELECT details_json FROM audit WHERE action = 'export-written' ORDER BY id DESC LIMIT 1").get() as { details_json: string };
    assert.equal(JSON.parse(audit.details_json).manifestSha256, hash);
    await page.close();
  });

  test('authenticity badge: verdict with its explanation, signatures and Received hops on demand', async () => {
    if (HAVE_CORPORA) {
      const gmail = (store.db.prepare("SELECT l.message_id id FROM locations l JOIN sources s ON s.id = l.source_id WHERE s.path LIKE '%gmail.msg'").get() as { id: number }).id;
      const page = await open(`#/message/${gmail}`);
      await page.getByTestId('auth-badge').filter({ hasText: 'DKIM: pass (gmail.com)' }).waitFor();
      await page.getByTestId('auth-badge').click();
      const detail = (await page.getByTestId('auth-detail').textContent()) ?? '';
      assert.match(detail, /gmail\.com.*rsa-sha256.*body-ok.*pass/s);
      assert.match(detail, /gmail\.pub/);
      await page.getByTestId('received-hops').waitFor();
      await page.screenshot({ path: path.join(SHOTS, '09-auth.png') });
      await page.close();
    }
    const page = await open(`#/message/${idOf('disguised-1@example.org')}`);
    await page.getByTestId('auth-badge').filter({ hasText: 'Not signed' }).waitFor();
    await page.close();
  });

  test('attachments preview inside the app (PDF via pdf.js, image, text) and "Save as…" gives the exact bytes', async () => {
    requests.length = 0;
    consoleLines.length = 0;
    const id = idOf('attachments-preview@campagne.example');
    const page = await open(`#/message/${id}`);
    const context = page.context();
    await page.getByTestId('reading-pane').waitFor();
    await page.getByTestId('attachment-open').filter({ hasText: 'rapport.pdf' }).click();
    await page.getByTestId('pdf-page').first().waitFor();
    // The page really rendered (asynchronously, in pdf.js's worker): wait until the canvas has ink.
    const inked = await page.waitForFunction(() => {
      const c = document.querySelector('[data-testid=pdf-page]') as HTMLCanvasElement | null;
      if (!c || !c.width) return 0;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let dark = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i]! < 128 && d[i + 3]! > 0) dark++;
      return dark > 100 ? dark : 0;
    }, undefined, { timeout: 30_000 });
    assert.ok((await inked.jsonValue()) > 100);
    await page.screenshot({ path: path.join(SHOTS, '10-pdf-preview.png') });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('attachment-save').click()]);
    const saved = await download.path();
    const meta = store.db.prepare("SELECT sha256, size FROM attachments WHERE message_id = ? AND filename = 'rapport.pdf'").get(id) as { sha256: string; size: number };
    const bytes = readFileSync(saved!);
    assert.equal(bytes.length, meta.size);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), meta.sha256);
    assert.equal(download.suggestedFilename(), 'rapport.pdf');
    await page.getByRole('button', { name: 'Close' }).click();

    await page.getByTestId('attachment-open').filter({ hasText: 'photo.png' }).click();
    await page.getByTestId('image-preview').waitFor();
    assert.equal(await page.getByTestId('image-preview').evaluate((i: HTMLImageElement) => i.naturalWidth), 40);
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByTestId('attachment-open').filter({ hasText: 'donateurs.txt' }).click();
    await page.getByTestId('text-preview').filter({ hasText: 'Marie Curie;1200' }).waitFor();
    await page.waitForTimeout(500);
    const foreign = requests.filter((u) => !u.startsWith(`http://127.0.0.1:${harness.port}/`) && !u.startsWith('data:') && !u.startsWith('blob:'));
    assert.deepEqual(foreign, [], 'the PDF\'s JavaScript never ran: no request left the app');
    assert.deepEqual(consoleLines.filter((l) => l.includes('PWNED')), []);
    await context.close().catch(() => {});
  });

  test('open an archive from an empty case: ingest with progress, cancel, resume, then the three panes', async () => {
    const emptyCase = path.join(tempDir('casefile-e2e-new-'), 'case');
    const big = path.join(evidenceDir, 'to-import.mbox');
    // Deterministic and short: 1,500 messages, twice the ≈800 an ingest holds in flight (4 batches on 2
    // cores) before the splitter waits for commits, and the first run is cancelled at once (not after a
    // progress figure, which a fast machine may not show in time): whatever the machine's speed, at least
    // 700 messages are left for the resume. It used to wait up to 120 s on a 64 MiB file.
    await generateMbox(big, 256 * 1024 * 1024, 3, 1500);
    const store2 = CaseStore.open(emptyCase, { create: true });
    const events2 = new ApiEventBus();
    const progress: number[] = [];
    events2.subscribe((name, data) => {
      if (name === 'ingestProgress') progress.push((data as { progress: { messages: number } | null }).progress?.messages ?? 0);
    });
    const h2 = await startHarness({ handlers: createHandlers(store2, events2), events: events2, rendererDir: await rendererBuild() });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
      await page.goto(h2.url);
      await page.getByTestId('welcome').waitFor();
      await page.screenshot({ path: path.join(SHOTS, '11-empty-case.png') });
      await page.getByTestId('import-open').click();
      await page.getByTestId('import-paths').fill(big);
      await page.getByTestId('import-start').click();
      await page.getByTestId('import-cancel').click();
      await page.getByTestId('import-result').filter({ hasText: 'Cancelled' }).waitFor({ timeout: 60_000 });
      await page.screenshot({ path: path.join(SHOTS, '12-ingest-cancelled.png') });
      const partial = (store2.db.prepare('SELECT COUNT(*) n FROM messages').get() as { n: number }).n;
      await page.getByRole('button', { name: 'Close' }).click();
      // The same evidence again resumes where the cancelled run stopped.
      await page.getByTestId('import-open').click();
      await page.getByTestId('import-paths').fill(big);
      await page.getByTestId('import-start').click();
      await page.getByTestId('import-result').filter({ hasText: /Ingested \d+ new messages/ }).waitFor({ timeout: 60_000 });
      const total = (store2.db.prepare('SELECT COUNT(*) n FROM messages').get() as { n: number }).n;
      assert.ok(total > partial, `resumed: ${partial} → ${total}`);
      assert.ok(Math.max(...progress) > 0, 'the engine reported progress in messages');
      assert.equal((store2.db.prepare("SELECT status FROM sources").get() as { status: string }).status, 'done');
      await page.getByRole('button', { name: 'Close' }).click();
      await page.getByTestId('message-list').locator('[role=option][data-id]').first().waitFor();
      assert.match((await page.getByTestId('result-info').textContent()) ?? '', new RegExp(`${total} messages`));
      await page.close();
    } finally {
      await h2.close();
      store2.close();
    }
  });

  test('a selection of messages (Ctrl-click, Shift-click) is tagged in one action', async () => {
    const page = await open();
    const rows = page.getByTestId('message-list').locator('[role=option][data-id]');
    await rows.nth(5).waitFor();
    const idAt = async (i: number) => Number(await rows.nth(i).getAttribute('data-id'));
    const picked = [await idAt(1), await idAt(3), await idAt(4), await idAt(5)];
    await rows.nth(1).click({ modifiers: ['Control'] });
    await rows.nth(3).click({ modifiers: ['Control'] });
    await rows.nth(5).click({ modifiers: ['Shift'] });
    await page.getByTestId('bulk-tag-open').filter({ hasText: 'Tag 4 marked' }).click();
    assert.equal(await page.locator('.row.marked').count(), 4);
    await page.getByTestId('bulk-tag-input').fill('selection');
    await page.getByTestId('bulk-tag-apply').click();
    await page.getByTestId('result-info').filter({ hasText: /Tagged "selection" on 4 of 4/ }).waitFor();
    const tagged = (store.db.prepare("SELECT mt.message_id id FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.name = 'selection' ORDER BY 1").all() as { id: number }[]).map((r) => r.id);
    assert.deepEqual(tagged, picked.sort((a, b) => a - b));
    assert.equal(await page.locator('.row.marked').count(), 0, 'marks are cleared after the action');
    await page.close();
  });

  test('the message list stays virtualized at 1,000,000 rows (synthetic page source)', async () => {
    // The real handler table, with the list and stats answering for a million messages: this exercises
    // the renderer's virtualization and paging, not the engine (whose 1M behaviour is in the benchmarks).
    const real = createHandlers(store);
    const TOTAL = 1_000_000;
    const pages: number[] = [];
    const handlers = {
      ...real,
      async stats(args: unknown) {
        return { ...(await real.stats(args)), messages: TOTAL };
      },
      async listMessages(args: unknown) {
        const { limit, offset } = args as { limit: number; offset: number };
        pages.push(offset);
        const messages = Array.from({ length: Math.min(limit, TOTAL - offset) }, (_, i) => ({
          id: offset + i + 1,
          sha256: '0'.repeat(64),
          messageId: null,
          date: new Date(Date.UTC(2017, 0, 1) + (offset + i) * 1000).toISOString(),
          from: [{ name: `Sender ${(offset + i) % 97}`, address: 's@example.org' }],
          subject: `Synthetic message ${offset + i + 1}`,
          threadId: null,
          size: 1000,
          hasAttachments: false,
          tags: [],
          hasErrors: false,
        }));
        return { total: TOTAL, messages };
      },
    } as typeof real;
    const h = await startHarness({ handlers, rendererDir: await rendererBuild() });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
      await page.goto(h.url);
      await page.getByTestId('result-info').filter({ hasText: '1000000 messages' }).waitFor();
      const list = page.getByTestId('message-list');
      await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
      await list.locator('[role=option]', { hasText: 'Synthetic message 1000000' }).waitFor();
      const inDom = await list.locator('[role=option]').count();
      assert.ok(inDom < 80, `${inDom} rows in the DOM for 1,000,000`);
      assert.ok(pages.length <= 4, `only the visible pages were fetched: ${pages.join(', ')}`);
      await page.screenshot({ path: path.join(SHOTS, '13-million-rows.png') });
      await page.close();
    } finally {
      await h.close();
    }
  });

  test('the list sorts by date, oldest or newest first', async () => {
    const page = await open();
    const first = () => page.getByTestId('message-list').locator('[role=option][data-id]').first().getAttribute('data-id');
    await page.getByTestId('message-list').locator('[role=option][data-id]').first().waitFor();
    const oldest = store.db.prepare('SELECT id FROM messages ORDER BY date_ms IS NULL, date_ms, id LIMIT 1').get() as { id: number };
    const newest = store.db.prepare('SELECT id FROM messages ORDER BY date_ms IS NULL, date_ms DESC, id DESC LIMIT 1').get() as { id: number };
    assert.equal(Number(await first()), oldest.id);
    await page.getByTestId('sort-select').selectOption('newest');
    await page.waitForFunction((id) => document.querySelector('[data-testid=message-list] [role=option][data-id]')?.getAttribute('data-id') === String(id), newest.id);
    // The choice is remembered: a reload keeps newest first (and is put back for the other tests).
    await page.reload();
    await page.waitForFunction((id) => document.querySelector('[data-testid=message-list] [role=option][data-id]')?.getAttribute('data-id') === String(id), newest.id);
    assert.equal(await page.getByTestId('sort-select').inputValue(), 'newest');
    await page.getByTestId('sort-select').selectOption('oldest');
    await page.close();
  });
});
