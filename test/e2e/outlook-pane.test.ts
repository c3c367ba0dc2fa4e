import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { ApiEventBus } from '../../electron/engine/api/event-bus';
import { createHandlers } from '../../electron/engine/api/handlers';
import { startHarness, type Harness } from '../../electron/engine/harness/server';
import { ingest } from '../../electron/engine/ingest/ingest';
import { CaseStore } from '../../electron/engine/store/case-store';
// @ts-expect-error plain ESM build script without types
import { buildRenderer } from '../../scripts/build-renderer.mjs';
import { corpus, HAVE_CORPORA, REPO } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

const CHROMIUM = process.env.CASEFILE_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = path.join(REPO, 'test/output/screenshots');
const skip = !existsSync(CHROMIUM) ? { skip: `Chromium not found at ${CHROMIUM}; browser test skipped` } : !HAVE_CORPORA ? { skip: 'corpora absent (Tika PST/MSG files); browser test skipped' } : {};

describe('reading pane says what an Outlook item\'s bytes are', skip, () => {
  const caseDir = path.join(tempDir('casefile-e2e-outlook-'), 'case');
  const rendererDir = path.join(tempDir('casefile-e2e-outlook-ui-'), 'renderer');
  let store: CaseStore;
  let harness: Harness;
  let browser: Browser;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await buildRenderer(rendererDir);
    await ingest({ caseDir, inputs: [corpus('tika-documents/testPST.pst'), corpus('tika-documents/testMSG.msg')] });
    store = CaseStore.open(caseDir);
    const events = new ApiEventBus();
    harness = await startHarness({ handlers: createHandlers(store, events), events, rendererDir });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  });

  after(async () => {
    await browser?.close();
    await harness?.close();
    store?.close();
  });

  test('PST item: Original line, body, raw source with the X-Casefile-Derived header', async () => {
    const { id } = store.db.prepare("SELECT id FROM messages WHERE subject = 'FW: First email'").get() as { id: number };
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(`${harness.url}#/message/${id}`);
    await page.getByTestId('source-derivation').waitFor();
    assert.match((await page.getByTestId('source-derivation').textContent()) ?? '', /Outlook PST\/OST item \d+, re-encoded as \.eml/);
    await page.screenshot({ path: path.join(SHOTS, 'outlook-pst-item.png') });
    await page.getByTestId('tab-raw').click();
    await page.getByTestId('raw-source').filter({ hasText: /X-Casefile-Derived/ }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'outlook-pst-raw.png') });
    await page.close();
  });
});
