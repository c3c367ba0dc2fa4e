import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { corpus, HAVE_CORPORA } from '../helpers/corpora';
import { needsChromium, shot, viewerCase } from '../helpers/e2e';

const skip = HAVE_CORPORA ? needsChromium : { skip: 'corpora not found (set CASEFILE_CORPORA); OCR browser test skipped' };

describe('OCR switch in the Documents view (real Chromium through the harness)', skip, () => {
  const vc = viewerCase('casefile-e2e-ocr', (evidence) => {
    copyFileSync(corpus('tika-documents', 'testOCR.png'), path.join(evidence, 'scan.png'));
    return [evidence];
  });

  test('the switch runs OCR in the background with progress; the panel shows the text marked as OCR', async () => {
    const page = await vc.viewer.open();
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
