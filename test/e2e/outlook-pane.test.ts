import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { corpus, HAVE_CORPORA } from '../helpers/corpora';
import { needsChromium, SHOTS, viewerCase } from '../helpers/e2e';

const skip = needsChromium.skip ? needsChromium : !HAVE_CORPORA ? { skip: 'corpora absent (Tika PST/MSG files); browser test skipped' } : {};

describe('reading pane says what an Outlook item\'s bytes are', skip, () => {
  const vc = viewerCase('casefile-e2e-outlook', () => [corpus('tika-documents/testPST.pst'), corpus('tika-documents/testMSG.msg')]);

  test('PST item: Original line, body, raw source with the X-Casefile-Derived header', async () => {
    const { id } = vc.store.db.prepare("SELECT id FROM messages WHERE subject = 'FW: First email'").get() as { id: number };
    const page = await vc.browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(`${vc.harness.url}#/message/${id}`);
    await page.getByTestId('source-derivation').waitFor();
    assert.match((await page.getByTestId('source-derivation').textContent()) ?? '', /Outlook PST\/OST item \d+, re-encoded as \.eml/);
    await page.screenshot({ path: path.join(SHOTS, 'outlook-pst-item.png') });
    await page.getByTestId('tab-raw').click();
    await page.getByTestId('raw-source').filter({ hasText: /X-Casefile-Derived/ }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'outlook-pst-raw.png') });
    await page.close();
  });
});
