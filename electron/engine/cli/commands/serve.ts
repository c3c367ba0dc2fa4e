import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ApiEventBus } from '../../api/event-bus';
import { createHandlers } from '../../api/handlers';
import { startHarness } from '../../harness/server';
import { CaseStore } from '../../store/case-store';
import { appRoot } from '../app-root';
import { intOption, usageError } from '../cli-error';
import type { Command } from '../command';

const RENDERER_DIR = path.join(appRoot(), 'dist/renderer');

export const serveCommand: Command = {
  summary: 'serve the viewer and the API on 127.0.0.1 (browser harness)',
  usage: `Usage: casefile serve <case> [--port N] [--open] [--create]

--create makes a new, empty case (then use "Add evidence…" in the UI to ingest).
Prints one line: the URL with its per-run token (http://127.0.0.1:PORT/?token=…). Only loopback; every
request needs the token and a matching Host header. Stop with Ctrl-C.`,
  options: { port: { type: 'string' }, open: { type: 'boolean' }, create: { type: 'boolean' } },
  async run([dir], values) {
    if (!dir) throw usageError('missing <case> directory');
    const store = CaseStore.open(dir, { create: Boolean(values.create) });
    if (!['app.js', 'pdf.worker.mjs'].every((f) => existsSync(path.join(RENDERER_DIR, f)))) {
      // First run from a checkout: build the UI (esbuild, about a second).
      const { buildRenderer } = await import(path.join(RENDERER_DIR, '../../scripts/build-renderer.mjs'));
      await buildRenderer(RENDERER_DIR);
    }
    const events = new ApiEventBus();
    const harness = await startHarness({ handlers: createHandlers(store, events), events, rendererDir: RENDERER_DIR, port: intOption(values.port, 'port', 0) });
    process.stdout.write(harness.url + '\n');
    if (values.open) spawn('xdg-open', [harness.url], { stdio: 'ignore', detached: true }).on('error', () => {}).unref();
    await new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
    await harness.close();
    store.close();
    return 0;
  },
};
