import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { generateMbox } from '../fixtures/archive-generator';
import { corpus, HAVE_CORPORA } from '../helpers/corpora';
import { needsChromium, shot, viewerCase } from '../helpers/e2e';
import { tempDir } from '../helpers/temp';

/** An HTML message whose text holds the word many times, one of them next to markup written as text. */
function htmlMessage(): string {
  const filler = Array.from({ length: 80 }, (_, i) => `<p>Paragraphe ${i} sans le mot cherché.</p>`).join('\n');
  const html = `<html><body><h1>Point sur la campagne</h1>${filler}
<p>Texte piégé : &lt;img src=x onerror="alert(1)"&gt; campagne &lt;/b&gt;</p>${filler}
<p>Fin de la <i>campagne</i>, les campagnes suivantes.</p></body></html>`;
  return ['From: Alice <alice@en-marche.fr>', 'To: Bob <bob@example.org>', 'Subject: Bilan', 'Date: Tue, 02 May 2017 10:00:00 +0200', 'Message-ID: <html-hits@example.org>', 'MIME-Version: 1.0', 'Content-Type: text/html; charset=utf-8', '', html, ''].join('\r\n');
}

/** Issue 14, review items: hits marked and stepped through; tag-all and export take the filtered list; no stale count. */
describe('search hits in the message and thread; the filtered set is what tag-all and export take', needsChromium, () => {
  const outDir = tempDir('casefile-hits-out-');
  const vc = viewerCase('casefile-hits', async (evidence) => {
    mkdirSync(path.join(evidence, 'alice'));
    mkdirSync(path.join(evidence, 'bob'));
    await generateMbox(path.join(evidence, 'alice', 'inbox.mbox'), 200 * 1024, 33);
    writeFileSync(path.join(evidence, 'bob', 'html-hits.eml'), htmlMessage());
    const inputs = [evidence];
    if (HAVE_CORPORA) inputs.push(corpus('ponymail-asf-mbox/corpus/maven-dev-2017-12-mboxvm.mbox'));
    return inputs;
  });

  const idOf = (messageId: string) => (vc.viewer.store.db.prepare('SELECT id FROM messages WHERE message_id = ?').get(messageId) as { id: number }).id;
  const hitCount = (page: Page) => page.getByTestId('hit-count').textContent();
  /** The test's own count of the word's forms in a text (the generated vocabulary has campagne only). */
  const occurrences = (text: string) => (text.match(/campagnes?/giu) ?? []).length;

  test('text view: every occurrence marked, h / Shift-H and the buttons step through them', async () => {
    // A plain-text message of the generated mailbox with the word at least twice.
    const candidates = vc.viewer.store.db.prepare("SELECT id FROM messages ORDER BY id").all() as { id: number }[];
    let id = 0;
    let text = '';
    for (const c of candidates) {
      const b = await vc.viewer.handlers.getBody({ id: c.id });
      if (!b.html && occurrences(b.text) >= 2) {
        id = c.id;
        text = b.text;
        break;
      }
    }
    assert.ok(id > 0, 'a text message with the word twice');
    const n = occurrences(text);
    const page = await vc.viewer.open(`#/search/campagne/message/${id}`);
    await page.getByTestId('hit-count').filter({ hasText: `1 / ${n}` }).waitFor();
    const marks = page.getByTestId('text-body').locator('mark.cf-hit');
    assert.equal(await marks.count(), n);
    for (const m of await marks.allTextContents()) assert.match(m, /^campagnes?$/i);
    await page.locator('body').press('h');
    await page.getByTestId('hit-count').filter({ hasText: `2 / ${n}` }).waitFor();
    assert.equal(await marks.nth(1).getAttribute('class'), 'cf-hit current');
    await page.screenshot({ path: shot('hits-01-text-view.png') });
    await page.locator('body').press('Shift+H');
    await page.getByTestId('hit-count').filter({ hasText: `1 / ${n}` }).waitFor();
    await page.getByTestId('hit-prev').click();
    assert.equal(await hitCount(page), `${n} / ${n}`, 'previous from the first wraps to the last');
    await page.close();
  });

  test('HTML view: hits marked in the sandboxed frame\'s text only, markup written as text stays text, steps scroll the frame', async () => {
    const id = idOf('html-hits@example.org');
    const page = await vc.viewer.open(`#/search/campagne/message/${id}`);
    await page.getByTestId('hit-count').filter({ hasText: '1 / 4' }).waitFor();
    const frameEl = page.getByTestId('html-frame');
    assert.equal(await frameEl.getAttribute('sandbox'), '', 'still no scripts, no same-origin');
    // The frame of that very element (looking it up among page.frames() raced its attachment once).
    const frame = (await (await frameEl.elementHandle())!.contentFrame())!;
    const marks = await frame.locator('mark.cf-hit').allTextContents();
    assert.deepEqual(marks, ['campagne', 'campagne', 'campagne', 'campagnes']);
    assert.equal(await frame.locator('img').count(), 0, 'the escaped <img onerror> stayed text');
    assert.match((await frame.locator('body').textContent()) ?? '', /<img src=x onerror="alert\(1\)"> campagne <\/b>/);
    await page.locator('body').press('h');
    await page.locator('body').press('h');
    await page.getByTestId('hit-count').filter({ hasText: '3 / 4' }).waitFor();
    await frame.waitForFunction(() => location.hash === '#cf-hit-3' && scrollY > 500);
    // The current hit is on screen: inside the frame's viewport, and the frame inside the page's.
    const hit = await frame.locator('#cf-hit-3').evaluate((e) => ({ top: e.getBoundingClientRect().top, bottom: e.getBoundingClientRect().bottom, height: innerHeight }));
    assert.ok(hit.top >= 0 && hit.bottom <= hit.height, `hit 3 inside the frame's viewport (${JSON.stringify(hit)})`);
    const box = (await frameEl.boundingBox())!;
    assert.ok(box.y + hit.bottom <= 860, 'and the frame inside the window');
    await page.screenshot({ path: shot('hits-02-html-view.png') });
    await page.close();
  });

  test('thread view: hits of the open messages counted and stepped through', async () => {
    const row = vc.viewer.store.db.prepare("SELECT m.id, m.thread_id FROM messages m WHERE m.thread_id IN (SELECT thread_id FROM messages GROUP BY thread_id HAVING COUNT(*) > 1) ORDER BY m.id").all() as { id: number; thread_id: number }[];
    let id = 0;
    let n = 0;
    for (const r of row) {
      const b = await vc.viewer.handlers.getBody({ id: r.id });
      if (occurrences(b.text) >= 2) {
        id = r.id;
        n = occurrences(b.text);
        break;
      }
    }
    assert.ok(id > 0, 'a threaded message with the word');
    const page = await vc.viewer.open(`#/search/campagne/thread/${id}`);
    await page.getByTestId('thread-body').first().waitFor();
    await page.getByTestId('hit-count').waitFor();
    const count = Number(/\/ (\d+)/.exec((await hitCount(page)) ?? '')![1]);
    // The open message's hits, including those inside collapsed quotes (their toggle says how many).
    const visible = await page.getByTestId('thread-view').locator('mark.cf-hit').count();
    assert.equal(count, visible);
    const quotedHits = await page.getByTestId('quote-toggle').allTextContents();
    const inQuotes = quotedHits.reduce((s, t) => s + Number(/\((\d+) hits?\)/.exec(t)?.[1] ?? 0), 0);
    assert.equal(visible + inQuotes, n);
    await page.locator('body').press('h');
    await page.screenshot({ path: shot('hits-03-thread-view.png') });
    await page.close();
  });

  test('a facet filter: "Tag all" and Export take exactly the listed messages', async () => {
    const page = await vc.viewer.open('#/search/campagne', { waitForRows: true });
    const box = page.getByTestId('facet-mailbox').locator('[data-value="bob"]');
    await box.click();
    await page.waitForFunction(() => /^1 result/.test(document.querySelector('[data-testid=result-info]')?.textContent ?? ''));
    await page.getByTestId('bulk-tag-open').click();
    await page.getByTestId('bulk-tag-input').fill('bob-campagne');
    await page.getByTestId('bulk-tag-apply').click();
    await page.getByTestId('result-info').filter({ hasText: /Tagged "bob-campagne" on 1 of 1/ }).waitFor();
    const tagged = vc.viewer.store.db.prepare("SELECT m.message_id FROM message_tags mt JOIN tags t ON t.id = mt.tag_id JOIN messages m ON m.id = mt.message_id WHERE t.name = 'bob-campagne'").all() as { message_id: string }[];
    assert.deepEqual(tagged.map((r) => r.message_id), ['html-hits@example.org']);

    // Now the alice mailbox (many hits), exported as JSON from the dialog.
    await box.click();
    await page.getByTestId('facet-mailbox').locator('[data-value="alice"]').click();
    await page.waitForFunction(() => /^\d+ result/.test(document.querySelector('[data-testid=result-info]')?.textContent ?? '') && /mailbox/.test(location.hash + decodeURIComponent(location.hash)));
    const listed = Number(/^(\d+) result/.exec((await page.getByTestId('result-info').textContent()) ?? '')![1]);
    const all = (await vc.viewer.handlers.search({ query: 'campagne', limit: 5000, offset: 0 })).total;
    assert.ok(listed > 0 && listed < all, `the filter narrows (${listed} of ${all})`);
    await page.getByTestId('export-open').click();
    await page.getByTestId('export-filters').filter({ hasText: `(mailbox: alice): the ${listed} listed messages` }).waitFor();
    await page.getByTestId('export-format').selectOption('json');
    const out = path.join(outDir, 'alice-campagne');
    await page.getByTestId('export-out').fill(out);
    await page.screenshot({ path: shot('hits-04-export-filtered.png') });
    await page.getByTestId('export-start').click();
    await page.getByTestId('export-result').waitFor({ timeout: 60_000 });
    const records = JSON.parse(readFileSync(path.join(out, 'messages.json'), 'utf8')) as unknown[];
    assert.equal(records.length, listed);
    await page.close();
  });

  test('while a search runs the count is not the previous one', async () => {
    const page = await vc.viewer.open('#/search/campagne', { waitForRows: true });
    await page.getByTestId('result-info').filter({ hasText: /result.* ms/ }).waitFor();
    // Hold the next search's answer back, as a slow query on a big case would.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/api/search', async (route) => {
      await held;
      await route.continue();
    });
    await page.getByTestId('search-input').fill('budget');
    await page.getByTestId('search-input').press('Enter');
    await page.getByTestId('result-info').filter({ hasText: 'searching…' }).waitFor();
    assert.equal(await page.getByTestId('bulk-tag-open').count(), 0, 'no "Tag all N" for a count not known yet');
    await page.screenshot({ path: shot('hits-05-search-pending.png') });
    release();
    await page.getByTestId('result-info').filter({ hasText: /result.* ms/ }).waitFor();
    const want = (await vc.viewer.handlers.search({ query: 'budget', limit: 1, offset: 0 })).total;
    assert.match((await page.getByTestId('result-info').textContent()) ?? '', new RegExp(`^${want} result`));
    await page.close();
  });
});
