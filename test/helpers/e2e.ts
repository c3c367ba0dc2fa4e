import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { after, before } from 'node:test';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { ApiEventBus } from '../../electron/engine/api/event-bus';
import { createHandlers, type HandlerTable } from '../../electron/engine/api/handlers';
import { startHarness, type Harness } from '../../electron/engine/harness/server';
import { ingest } from '../../electron/engine/ingest/ingest';
import { CaseStore } from '../../electron/engine/store/case-store';
// @ts-expect-error plain ESM build script without types
import { buildRenderer } from '../../scripts/build-renderer.mjs';
import { REPO } from './corpora';
import { tempDir } from './temp';

/** Shared setup of the browser tests: real Chromium, the real renderer build, the harness over a real case. */

export const CHROMIUM = process.env.CASEFILE_CHROMIUM ?? '/usr/bin/chromium';
export const SHOTS = path.join(REPO, 'test/output/screenshots');
/** Test option: skip (with the reason) where Chromium is not installed. */
export const needsChromium = existsSync(CHROMIUM) ? {} : { skip: `Chromium not found at ${CHROMIUM} (apt-get install chromium); browser tests skipped` };

export function shot(name: string): string {
  mkdirSync(SHOTS, { recursive: true });
  return path.join(SHOTS, name);
}

let built: Promise<string> | null = null;
/** The renderer, built once per test process into a temp folder removed at exit. */
export function rendererBuild(): Promise<string> {
  built ??= (async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'casefile-ui-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    return buildRenderer(path.join(dir, 'renderer')) as Promise<string>;
  })();
  return built;
}

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync', '--disable-background-networking', '--disable-component-update', ...extraArgs] });
}

export interface Viewer {
  store: CaseStore;
  handlers: HandlerTable;
  events: ApiEventBus;
  harness: Harness;
  /** A new page on the viewer at `hash` (the harness URL carries the session token). */
  open(hash?: string, opts?: BrowserContextOptions & { waitForRows?: boolean }): Promise<Page>;
  close(): Promise<void>;
}

/** The case at `caseDir` served by the harness to `browser`, as a user would open it. */
export async function startViewer(caseDir: string, browser: Browser): Promise<Viewer> {
  const store = CaseStore.open(caseDir);
  const events = new ApiEventBus();
  const handlers = createHandlers(store, events);
  const harness = await startHarness({ handlers, events, rendererDir: await rendererBuild() });
  return {
    store,
    handlers,
    events,
    harness,
    async open(hash = '', { waitForRows = false, ...opts } = {}) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 860 }, ...opts });
      await page.goto(harness.url + hash);
      if (waitForRows) await page.getByTestId('message-list').locator('[role=option][data-id]').first().waitFor();
      return page;
    },
    async close() {
      await harness.close();
      store.close();
    },
  };
}

export interface ViewerCase {
  caseDir: string;
  evidence: string;
  /** Set in before(): */
  browser: Browser;
  viewer: Viewer;
  store: CaseStore;
  harness: Harness;
}

/**
 * The shared before/after of a browser test file (call it inside describe()): `prepare` writes what it
 * needs into the fresh `evidence` folder and returns the inputs; one ingest, one Chromium, one harness
 * for the whole file, closed after it.
 */
export function viewerCase(prefix: string, prepare: (evidence: string) => string[] | Promise<string[]>): ViewerCase {
  // Temp folders made here, not in the hook: one made in before() is removed when that hook ends.
  const vc = { caseDir: path.join(tempDir(`${prefix}-`), 'case'), evidence: tempDir(`${prefix}-ev-`) } as ViewerCase;
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await ingest({ caseDir: vc.caseDir, inputs: await prepare(vc.evidence) });
    vc.browser = await launchChromium();
    vc.viewer = await startViewer(vc.caseDir, vc.browser);
    ({ store: vc.store, harness: vc.harness } = vc.viewer);
  });
  after(async () => {
    await vc.viewer?.close();
    await vc.browser?.close();
  });
  return vc;
}
