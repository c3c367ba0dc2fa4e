import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { writeDocumentEvidence } from '../fixtures/document-generator';
import { needsChromium, SHOTS, viewerCase } from '../helpers/e2e';

const skip = needsChromium;

describe('documents in the viewer (real Chromium through the harness)', skip, () => {
  const vc = viewerCase('casefile-e2e-docs', (evidence) => {
    writeDocumentEvidence(evidence);
    return [evidence];
  });

  async function open(hash = ''): Promise<Page> {
    const page = await vc.browser.newPage({ viewport: { width: 1500, height: 900 } });
    await page.goto(vc.harness.url + hash);
    return page;
  }

  test('a search finds a word inside a PDF attachment; the document panel shows metadata, flags and the hit', async () => {
    const page = await open('#/search/budget');
    const row = page.getByTestId('message-list').locator('[role=option][data-id]');
    await row.first().waitFor();
    assert.equal(await row.count(), 1);
    await row.first().click();
    const docLinks = page.getByTestId('attachment-document');
    await docLinks.first().waitFor();
    await docLinks.first().click();
    const panel = page.getByTestId('document-dialog').getByTestId('document-panel');
    await panel.waitFor();
    await panel.getByTestId('document-meta').getByText('Jean Dupont').waitFor();
    assert.match(await panel.getByTestId('document-meta').innerText(), /2017-03-01T10:00:00\+01:00/, 'the offset as written');
    assert.equal(await panel.getByTestId('document-text').locator('mark').first().innerText(), 'budget');
    assert.match(await panel.getByTestId('appears-in').innerText(), /budget-copie\.pdf/);
    await page.screenshot({ path: path.join(SHOTS, 'document-panel.png') });
    await page.keyboard.press('Escape');
    await page.getByTestId('document-dialog').waitFor({ state: 'detached' });
    // The Cyrillic-edited note is flagged, with its reason.
    await docLinks.nth(1).click();
    await page.getByTestId('document-dialog').getByTestId('document-flags').getByText(/Cyrillic/).waitFor();
    await page.close();
  });

  test('Documents view: every document, sortable, filtered by the query language, keyboard-driven', async () => {
    const page = await open();
    await page.getByTestId('documents-toggle').click();
    const view = page.getByTestId('documents-view');
    const rows = view.getByTestId('document-row');
    await rows.first().waitFor();
    const expected = (vc.store.db.prepare('SELECT COUNT(*) n FROM documents').get() as { n: number }).n;
    assert.equal(await rows.count(), expected);
    await view.getByTestId('documents-sort-lastModifiedBy').click();
    await page.locator('.doc-row.selected').waitFor({ state: 'detached' }).catch(() => {});
    await page.keyboard.press('j');
    await page.getByTestId('document-panel').waitFor();
    const names = await rows.locator('.col-lastModifiedBy').allInnerTexts();
    const filled = names.filter(Boolean);
    assert.deepEqual(filled, [...filled].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' })), 'sorted by last author');
    await page.screenshot({ path: path.join(SHOTS, 'documents-view.png') });
    await page.getByTestId('search-input').fill('flag:save-cluster');
    await page.getByTestId('search-input').press('Enter');
    await page.getByTestId('documents-count').getByText('4 documents').waitFor();
    await page.getByTestId('search-input').fill('modifiedby:рустам');
    await page.getByTestId('search-input').press('Enter');
    await page.getByTestId('documents-count').getByText('1 document').waitFor();
    await page.close();
  });
});
