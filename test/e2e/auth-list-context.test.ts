import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { ApiEventBus } from '../../electron/engine/api/event-bus';
import { createHandlers } from '../../electron/engine/api/handlers';
import { runAuthPass } from '../../electron/engine/auth/auth-pass';
import { KeyStore } from '../../electron/engine/auth/key-store';
import { startHarness, type Harness } from '../../electron/engine/harness/server';
import { ingest } from '../../electron/engine/ingest/ingest';
import { CaseStore } from '../../electron/engine/store/case-store';
// @ts-expect-error plain ESM build script without types
import { buildRenderer } from '../../scripts/build-renderer.mjs';
import { writeListMail } from '../fixtures/list-mail';
import { REPO } from '../helpers/corpora';
import { tempDir } from '../helpers/temp';

// The reading pane shows the new reasons: the list's ARC record (verified), re-folded headers, and which of a
// rotated selector's keys matched.
const CHROMIUM = process.env.CASEFILE_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = path.join(REPO, 'test/output/screenshots');
const skip = existsSync(CHROMIUM) ? {} : { skip: `Chromium not found at ${CHROMIUM}; browser test skipped` };
const caseDir = path.join(tempDir('casefile-listctx-'), 'case');
const evidence = tempDir('casefile-listctx-ev-');
let store: CaseStore;
let harness: Harness;
let browser: Browser;

before(async () => {
  const { keyFile } = await writeListMail(evidence);
  await ingest({ caseDir, inputs: [evidence] });
  store = CaseStore.open(caseDir);
  new KeyStore(store.db, store.audit).import(keyFile);
  await runAuthPass(store.db, store.audit);
});
after(async () => {
  await browser?.close();
  await harness?.close();
  store?.close();
});

const idOf = (file: string) => (store.db.prepare("SELECT l.message_id id FROM locations l JOIN sources s ON s.id = l.source_id WHERE s.path LIKE '%' || ?").get(file) as { id: number }).id;

test('reading pane: ARC list context, re-folded headers and the rotated key that matched', skip, async () => {
  mkdirSync(SHOTS, { recursive: true });
  const rendererDir = path.join(tempDir('casefile-listctx-ui-'), 'renderer');
  await buildRenderer(rendererDir);
  const events = new ApiEventBus();
  harness = await startHarness({ handlers: createHandlers(store, events), events, rendererDir });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const open = async (file: string) => {
    await page.goto(`${harness.url}#/message/${idOf(file)}`);
    await page.getByTestId('auth-badge').click();
    await page.getByTestId('auth-detail').waitFor();
  };

  await open('arc-list.eml');
  assert.match((await page.getByTestId('auth-badge').textContent())!, /DKIM: body altered · ARC pass/);
  const arc = page.getByTestId('arc-context');
  assert.match((await arc.textContent())!, /ARC \(verified\): The list's ARC seal \(i=1, lists\.example\.org\) records the original signature of example\.org passing/);
  await page.getByTestId('auth-detail').screenshot({ path: path.join(SHOTS, 'auth-arc-list-context.png') });

  await open('refolded.eml');
  assert.match((await page.getByTestId('auth-badge').textContent())!, /DKIM: pass \(example\.org\) with caveats: list-modified/);
  assert.match((await page.getByTestId('list-change').textContent())!, /headers re-folded by the list \(Subject\), original headers verified once unfolded/);
  assert.equal(await page.getByTestId('list-change').getByRole('button').count(), 0, 'nothing added to show');
  await page.getByTestId('auth-detail').screenshot({ path: path.join(SHOTS, 'auth-refolded-headers.png') });

  await open('rotation.eml');
  const detail = (await page.getByTestId('auth-detail').textContent())!;
  assert.match(detail, /key \d of 2 for mail\._domainkey\.example\.org \(seen 2010-01-01 to 2014-06-30; archived DNS 2012.*matched/);
  assert.match(detail, /one of 2 keys for this selector/);
  await page.getByTestId('auth-detail').screenshot({ path: path.join(SHOTS, 'auth-key-rotation.png') });
});
