import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { ingest } from '../../electron/engine/ingest/ingest';
import { corpus, HAVE_CORPORA } from '../helpers/corpora';
import { launchChromium, needsChromium, shot, startViewer, type Viewer } from '../helpers/e2e';
import { tempDir } from '../helpers/temp';

const skip = HAVE_CORPORA ? needsChromium : { skip: 'corpora not found (set CASEFILE_CORPORA); OCR browser test skipped' };

describe('OCR switch in the Documents view (real Chromium through the harness)', skip, () => {
  const evidence = tempDir('casefile-e2e-ocr-ev-');
  const caseDir = path.join(tempDir('casefile-e2e-ocr-'), 'case');
  let browser: Browser;
  let viewer: Viewer;

  before(async () => {
    copyFileSync(corpus('tika-documents', 'testOCR.png'), path.join(evidence, 'scan.png'));
    await ingest({ caseDir, inputs: [evidence] });
    browser = await launchChromium();
    viewer = await startViewer(caseDir, browser);
  });

  after(async () => {
    await viewer?.close();
    await browser?.close();
  });

  test('the switch runs OCR in the background with progress; the panel shows the text marked as OCR', async () => {
    const page = await viewer.open();
    await page.getByTestId('documents-toggle').click();
    const view = page.getByTestId('documents-view');
    await view.getByTestId('document-row').first().waitFor();
    await view.getByTestId('ocr-switch').click();
    // TestOCR.testPNG (Apache Tika): testOCR.png contains "file contains".
    await view.getByTestId('ocr-status').getByText(/done: 1 with text/).waitFor({ timeout: 120_000 });
    await view.getByTestId('document-row').first().click();
    const ocrText = page.getByTestId('document-ocr-text');
    await ocrText.waitFor();
    assert.match(await ocrText.innerText(), /file contains/);
    await page.screenshot({ path: shot('document-ocr.png') });
    await page.close();
  });
});
