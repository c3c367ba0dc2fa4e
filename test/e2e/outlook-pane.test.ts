import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Harness } from '../../electron/engine/harness/server';
import { ingest } from '../../electron/engine/ingest/ingest';
import { CaseStore } from '../../electron/engine/store/case-store';
import { corpus, HAVE_CORPORA } from '../helpers/corpora';
import { launchChromium, needsChromium, SHOTS, startViewer, type Viewer } from '../helpers/e2e';
import { tempDir } from '../helpers/temp';

const skip = needsChromium.skip ? needsChromium : !HAVE_CORPORA ? { skip: 'corpora absent (Tika PST/MSG files); browser test skipped' } : {};

describe('reading pane says what an Outlook item\'s bytes are', skip, () => {
  const caseDir = path.join(tempDir('casefile-e2e-outlook-'), 'case');
  let store: CaseStore;
  let harness: Harness;
  let browser: Browser;
  let viewer: Viewer;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await ingest({ caseDir, inputs: [corpus('tika-documents/testPST.pst'), corpus('tika-documents/testMSG.msg')] });
    browser = await launchChromium();
    viewer = await startViewer(caseDir, browser);
    ({ store, harness } = viewer);
  });

  after(async () => {
    await viewer?.close();
    await browser?.close();
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
