import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createHandlers, dispatch } from '../../electron/engine/api/handlers';
import { startHarness, type Harness } from '../../electron/engine/harness/server';
import { ingest } from '../../electron/engine/ingest/ingest';
import { CaseStore } from '../../electron/engine/store/case-store';
import { deepMultipart, hugeText, longHeader, manyAttachments, writeMessage } from '../fixtures/unparseable';
import { REPO } from '../helpers/corpora';
import { launchChromium, needsChromium, rendererBuild, SHOTS } from '../helpers/e2e';
import { tempDir } from '../helpers/temp';

const skip = needsChromium;
/** Remote references planted in css-vectors.eml (numbered 1–28 in the fixture). */
const PLANTED_REMOTE = 28;

describe('display safety in real Chromium: sanitizer, invisible characters, disguised types, huge and unparseable messages', skip, () => {
  const evidence = tempDir('casefile-display-ev-');
  const caseDir = path.join(tempDir('casefile-display-case-'), 'case');
  let rendererDir = '';
  let store: CaseStore;
  let harness: Harness;
  let browser: Browser;
  const requests: string[] = [];
  // Low display limits so that a few MiB stand for the 560 MiB message of the report.
  const limits = { CASEFILE_DISPLAY_MAX_BYTES: String(1024 * 1024), CASEFILE_DISPLAY_MAX_CHARS: '200000', CASEFILE_DISPLAY_MAX_RAW_BYTES: String(256 * 1024), CASEFILE_DISPLAY_MAX_HEADER_LINES: '2000' };
  const saved = Object.fromEntries(Object.keys(limits).map((k) => [k, process.env[k]]));

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    Object.assign(process.env, limits);
    rendererDir = await rendererBuild();
    writeMessage(path.join(evidence, 'deep.eml'), deepMultipart(20_000));
    // Past mailsplit's 1,000-part limit: its ingest once hung until the parse pool's 60 s timeout.
    writeMessage(path.join(evidence, 'many.eml'), manyAttachments(20_000));
    writeMessage(path.join(evidence, 'longheader.eml'), longHeader(500_000));
    writeMessage(path.join(evidence, 'huge.eml'), hugeText(3 * 1024 * 1024));
    await ingest({ caseDir, inputs: [path.join(REPO, 'test/fixtures/hostile-display'), evidence] });
    store = CaseStore.open(caseDir);
    const handlers = createHandlers(store);
    await tagAndNote(handlers, 'deep');
    await tagAndNote(handlers, 'longheader');
    await tagAndNote(handlers, 'many');
    harness = await startHarness({ handlers, rendererDir });
    browser = await launchChromium();
  });

  after(async () => {
    for (const [k, v] of Object.entries(saved)) v === undefined ? delete process.env[k] : (process.env[k] = v);
    await browser?.close();
    await harness?.close();
    store?.close();
  });

  /** By Message-ID, or by file name for the messages whose headers ingest could not read. */
  function idOf(messageId: string): number {
    const file = `%/${messageId.split('@')[0]}.eml`;
    return (store.db.prepare('SELECT m.id FROM messages m JOIN locations l ON l.message_id = m.id JOIN sources s ON s.id = l.source_id WHERE m.message_id = ? OR s.path LIKE ?').get(messageId, file) as { id: number }).id;
  }

  async function tagAndNote(handlers: ReturnType<typeof createHandlers>, name: string): Promise<void> {
    const id = idOf(`${name}@unparseable.example`);
    await dispatch(handlers, 'tagMessages', { tag: 'unreadable', selection: { ids: [id] } });
    await dispatch(handlers, 'setNote', { id, text: `note on ${name}` });
  }

  async function open(messageId: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`${harness.url}#/message/${idOf(messageId)}`);
    await page.getByTestId('reading-pane').waitFor({ timeout: 30_000 });
    return page;
  }

  test('every remote reference in CSS and SVG is removed and counted (@import, image-set, escaped url, fill/mask/clip-path/filter, use, srcset, ping)', async () => {
    requests.length = 0;
    const page = await open('css-vectors@tracker.example');
    await page.getByTestId('html-frame').waitFor();
    await page.waitForTimeout(1000);
    assert.equal((await page.getByTestId('blocked-notice').locator('summary').textContent())?.trim(), `${PLANTED_REMOTE} remote resources blocked`);
    await page.getByTestId('blocked-notice').locator('summary').click();
    const listed = await page.getByTestId('blocked-list').locator('li').allTextContents();
    assert.equal(listed.length, PLANTED_REMOTE, 'each blocked reference is listed');
    assert.ok(listed.filter((l) => l.includes('tracker.example')).length >= PLANTED_REMOTE - 2, listed.join('\n'));
    const srcdoc = (await page.getByTestId('html-frame').getAttribute('srcdoc')) ?? '';
    assert.doesNotMatch(srcdoc, /res\.tracker\.example/, 'no remote reference left in the rendered document');
    assert.match(srcdoc, /fill="url\(#local\)"/, 'same-document references stay');
    assert.match(srcdoc, /url\(data:image\/png;base64,/, 'inline data: images stay');
    assert.doesNotMatch(srcdoc, /<\/style\s*>\s*[^<]*<\/style/i, 'an escaped </style> in CSS does not end the style element');
    const frame = page.frameLocator('[data-testid=html-frame]');
    assert.equal(await frame.locator('p.k').textContent(), 'Styled text stays.');
    assert.deepEqual(requests.filter((u) => !u.startsWith(`http://127.0.0.1:${harness.port}/`) && !u.startsWith('data:') && u !== 'about:srcdoc'), []);
    await page.screenshot({ path: path.join(SHOTS, 'display-css-vectors.png') });
    await page.close();
  });

  test('bidi and invisible characters are shown as visible markers: subject, sender, attachment names, list', async () => {
    const page = await open('disguises@example.org');
    const subject = (await page.locator('.reading h1.subject').textContent()) ?? '';
    assert.equal(subject, 'Facture ⟨U+202E⟩fdp.exe et zéro⟨U+200B⟩largeur');
    assert.match((await page.locator('.headers-summary dd').first().textContent()) ?? '', /Comptabilité ⟨U\+202E⟩liam\.lerolf/);
    const names = await page.getByTestId('attachment-open').allTextContents();
    assert.ok(names.includes('invoice⟨U+202E⟩fdp.exe'), names.join(' | '));
    const row = page.getByTestId('message-list').locator('[role=option]', { hasText: 'Facture' });
    if (await row.count()) assert.match((await row.first().textContent()) ?? '', /⟨U\+202E⟩/);
    for (const text of [subject, ...names]) assert.doesNotMatch(text, /[\u202a-\u202e\u2066-\u2069\u200b-\u200f]/);
    await page.screenshot({ path: path.join(SHOTS, 'display-bidi.png') });

    // Disguised types: SVG, batch, JS, shell script and a PE under image types are all flagged.
    assert.equal(await page.locator('.attachments tr.mismatch').count(), 5);
    // Bytes nobody recognises get "no preview", never an image of type null.
    await page.getByTestId('attachment-open').filter({ hasText: 'unknown.png' }).click();
    await page.getByTestId('no-preview').waitFor();
    assert.equal(await page.locator('img[src^="data:null"]').count(), 0);
    await page.getByRole('button', { name: 'Close' }).click();
    // The SVG shows as its source text, never rendered.
    await page.getByTestId('attachment-open').filter({ hasText: 'invoice' }).click();
    await page.getByTestId('text-preview').filter({ hasText: '<svg' }).waitFor();
    assert.equal(await page.locator('[data-testid=attachment-viewer] img, [data-testid=attachment-viewer] svg').count(), 0);
    await page.screenshot({ path: path.join(SHOTS, 'display-svg-as-png.png') });
    await page.close();
  });

  test('a message with a huge text part is cut with a visible note; the server keeps answering', async () => {
    const page = await open('huge@unparseable.example');
    const notes = (await page.getByTestId('display-notes').textContent()) ?? '';
    assert.match(notes, /This message is 3\.0 MiB; the first 1\.0 MiB were parsed/);
    assert.match(notes, /the first 200,000 are shown/);
    assert.equal(((await page.locator('pre.text-body').textContent()) ?? '').length, 200_000);
    await page.getByTestId('tab-raw').click();
    await page.getByTestId('raw-source').filter({ hasText: 'casefile show --raw' }).waitFor();
    const stats = await fetch(`http://127.0.0.1:${harness.port}/api/stats`, { method: 'POST', headers: { 'X-Casefile-Token': harness.token, 'Content-Type': 'application/json' }, body: '{}' });
    assert.equal(stats.status, 200);
    await page.screenshot({ path: path.join(SHOTS, 'display-huge-text.png') });
    await page.close();
  });

  async function checkUnparseable(messageId: string): Promise<void> {
    const page = await open(messageId);
    await page.getByTestId('parse-error').waitFor();
    assert.match((await page.getByTestId('parse-error').textContent()) ?? '', /could not be parsed for display/);
    const headers = (await page.getByTestId('all-headers').textContent()) ?? '';
    assert.match(headers, new RegExp(`Message-ID<${messageId.replace(/\./g, '\\.')}>`));
    assert.match((await page.getByTestId('tag-editor').textContent()) ?? '', /unreadable/);
    assert.equal(await page.getByTestId('note-input').inputValue(), `note on ${messageId.split('@')[0]}`);
    await page.getByTestId('tab-raw').click();
    await page.getByTestId('raw-source').filter({ hasText: `Message-ID: <${messageId}>` }).waitFor();
    await page.getByTestId('tab-headers').click();
    await page.screenshot({ path: path.join(SHOTS, `display-unparseable-${messageId.split('@')[0]}.png`) });
    await page.close();
  }

  test('a message the viewer cannot re-parse (20,000-deep multipart) still shows headers, the error, raw source, tags and note', () => checkUnparseable('deep@unparseable.example'));
  test('… nor a 500,000-line header', () => checkUnparseable('longheader@unparseable.example'));
  test('… nor 20,000 attachments', () => checkUnparseable('many@unparseable.example'));
});
