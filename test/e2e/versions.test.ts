import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { ApiEventBus } from '../../electron/engine/api/event-bus';
import { createHandlers } from '../../electron/engine/api/handlers';
import { runAuthPass } from '../../electron/engine/auth/auth-pass';
import { startHarness, type Harness } from '../../electron/engine/harness/server';
import { ingest } from '../../electron/engine/ingest/ingest';
import { CaseStore } from '../../electron/engine/store/case-store';
import { writeMessageVersions } from '../fixtures/message-versions';
import { cliJson } from '../helpers/cli';
import { launchChromium, needsChromium, rendererBuild, SHOTS } from '../helpers/e2e';
import { tempDir } from '../helpers/temp';

const skip = needsChromium;

describe('versions of a message (same Message-ID, different content)', () => {
  const caseDir = path.join(tempDir('casefile-versions-'), 'case');
  const evidence = tempDir('casefile-versions-ev-');
  let rendererDir = '';
  let fixture: ReturnType<typeof writeMessageVersions>;
  let ids: { genuine: number; planted: number; other: number };

  before(async () => {
    fixture = writeMessageVersions(evidence);
    await ingest({ caseDir, inputs: [evidence] });
    const store = CaseStore.open(caseDir);
    const byFile = (f: string) => (store.db.prepare("SELECT l.message_id id FROM locations l JOIN sources s ON s.id = l.source_id WHERE s.path LIKE '%' || ?").get(f) as { id: number }).id;
    ids = { genuine: byFile('genuine.eml'), planted: byFile('planted.eml'), other: byFile('other.eml') };
    store.close();
  });

  test('show --json lists the other version with what differs; has:versions finds both and nothing else', () => {
    const shown = cliJson(['show', caseDir, String(ids.genuine)]);
    assert.deepEqual(shown.versions, [{ id: ids.planted, sha256: cliJson(['show', caseDir, String(ids.planted)]).sha256, differences: ['body'] }]);
    assert.deepEqual(cliJson(['show', caseDir, String(ids.other)]).versions, []);
    const hits = cliJson(['search', caseDir, 'has:versions']).hits.map((h: any) => h.id).sort();
    assert.deepEqual(hits, [ids.genuine, ids.planted].sort());
    assert.ok(cliJson(['search', caseDir, 'has:versions']).hits.every((h: any) => h.versionCount === 1));
  });

  test('badge in the list and the reading pane; compare view side by side with the DKIM verdict of each', skip, async () => {
    const store = CaseStore.open(caseDir);
    await runAuthPass(store.db, store.audit);
    mkdirSync(SHOTS, { recursive: true });
    rendererDir = await rendererBuild();
    const events = new ApiEventBus();
    const harness: Harness = await startHarness({ handlers: createHandlers(store, events), events, rendererDir });
    const browser: Browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, timezoneId: 'America/New_York' });
      await page.goto(harness.url);
      await page.getByTestId('search-input').fill('has:versions');
      await page.getByTestId('search-input').press('Enter');
      const rows = page.getByTestId('message-list').locator('[role=option][data-id]');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=message-list] [role=option][data-id]').length === 2);
      assert.equal(await rows.locator('[data-testid=versions-badge]').count(), 2);
      assert.equal((await rows.first().getByTestId('versions-badge').textContent())?.trim(), '2 versions');
      await page.goto(`${harness.url}#/message/${ids.genuine}`);
      // The key imported from the UI: audited like the CLI, then the signed messages verified again.
      assert.match((await page.getByTestId('auth-badge').textContent())!, /key missing/);
      await page.getByTestId('auth-badge').click();
      await page.getByTestId('key-import-path').fill(fixture.keyFile);
      await page.getByTestId('key-import-run').click();
      await page.getByTestId('key-import-status').filter({ hasText: 'verified again' }).waitFor();
      assert.match((await page.getByTestId('key-import-status').textContent())!, /json: 1 added.* 2 message\(s\) verified again/);
      await page.getByTestId('auth-badge').filter({ hasText: 'DKIM: pass (campagne.example)' }).waitFor();
      const audit = store.db.prepare("SELECT details_json d FROM audit WHERE action = 'keys-imported'").all() as { d: string }[];
      assert.equal(JSON.parse(audit.at(-1)!.d).file, fixture.keyFile);
      await page.getByTestId('auth-badge').click();
      await page.getByTestId('reading-versions-badge').click();
      const view = page.getByTestId('version-compare');
      await view.waitFor();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=version-column]').length === 2);
      const columns = view.getByTestId('version-column');
      assert.match((await columns.nth(0).textContent())!, /DKIM campagne\.example: pass/);
      assert.match((await columns.nth(1).textContent())!, /DKIM campagne\.example: fail \(body altered\)/);
      assert.match((await columns.nth(1).locator('.version-diffs').textContent())!, /differs in: body/);
      assert.match((await columns.nth(1).getByTestId('text-added').first().textContent())!, /120 000 euros .* Bahamas/);
      assert.match((await columns.nth(1).getByTestId('text-removed').first().textContent())!, /12 000 euros .* compte habituel/);
      await page.screenshot({ path: path.join(SHOTS, 'versions-compare.png'), fullPage: false });

      // Honest dates: the sender's offset as written, the display zone (UTC by default), local on request, remembered.
      const dateLine = page.getByTestId('date-line');
      assert.match((await dateLine.textContent())!, /Wed, 03 May 2017 18:42:00 \+0200 \(sender's zone \+02:00\) = 2017-05-03 16:42:00 UTC/);
      assert.match((await rows.first().locator('.date').textContent())!, /2017-05-03 16:42 UTC/);
      await page.getByTestId('date-zone-toggle').click();
      await page.waitForLoadState('load');
      await page.getByTestId('date-line').waitFor();
      assert.match((await page.getByTestId('date-line').textContent())!, /= 2017-05-03 12:42:00 −04:00/, 'local time of the browser (New York, summer time)');
      await page.reload();
      await page.getByTestId('date-line').waitFor();
      assert.match((await page.getByTestId('date-line').textContent())!, /12:42:00 −04:00/, 'the choice is remembered');
      await page.screenshot({ path: path.join(SHOTS, 'dates-local-zone.png'), fullPage: false });
    } finally {
      await browser.close();
      await harness.close();
      store.close();
    }
  });
});
