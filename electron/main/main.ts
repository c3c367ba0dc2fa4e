// Electron main process: a thin, hardened shell. Heavy work runs in a utilityProcess hosting the engine.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, protocol, session, utilityProcess, type UtilityProcess } from 'electron';
import { APP_CSP } from '../engine/harness/security-headers';
import { APP_ENTRY, APP_SCHEME, isAllowedNavigation, isAllowedRequest, isApiMethod, isTrustedSender, resolveAppAsset } from './policy';

app.enableSandbox();
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

// Bundled as ESM (dist/main/main.js). The engine host and its workers are unpacked from the asar
// (worker threads and the native SQLite addon cannot load from inside it).
const here = path.dirname(fileURLToPath(import.meta.url));
const unpacked = here.replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
const rendererDir = path.join(here, '../renderer');
let engine: UtilityProcess | null = null;
let nextCall = 1;
const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();

function startEngine(caseDir: string): void {
  engine = utilityProcess.fork(path.join(unpacked, 'engine-host.js'), [caseDir], { serviceName: 'casefile-engine' });
  engine.on('message', (m: { id: number; result?: unknown; error?: unknown }) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.error) p?.reject(m.error);
    else p?.resolve(m.result);
  });
}

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Casefile',
    webPreferences: {
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
      // Middle-click would open links in new windows (auxclick): disabled at the Blink level.
      disableBlinkFeatures: 'Auxclick',
      preload: path.join(here, '../preload/preload.cjs'),
    },
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (e, url) => {
    if (!isAllowedNavigation(url)) e.preventDefault();
  });
  win.webContents.on('will-frame-navigate', (e) => {
    if (!isAllowedNavigation(e.url)) e.preventDefault();
  });
  win.webContents.on('will-attach-webview', (e) => e.preventDefault());
  void win.loadURL(APP_ENTRY);
}

app.whenReady().then(() => {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _perm, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  // Offline by design: every request that is not the app's own scheme or inline data is cancelled.
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url) }));
  protocol.handle(APP_SCHEME, async (request) => {
    const asset = resolveAppAsset(request.url, rendererDir);
    if (!asset) return new Response('not found', { status: 404 });
    return new Response(await readFile(asset.file), { headers: { 'Content-Type': asset.type, 'Content-Security-Policy': APP_CSP } });
  });
  ipcMain.handle('casefile:call', (event, method: unknown, args: unknown) => {
    if (!isTrustedSender(event.senderFrame?.url, event.senderFrame === event.sender.mainFrame)) throw new Error('untrusted sender');
    if (!isApiMethod(method)) throw new Error('unknown method');
    if (!engine) throw new Error('no case open');
    const id = nextCall++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      engine!.postMessage({ id, method, args });
    });
  });
  const caseArg = process.argv.find((a) => a.startsWith('--case='));
  if (caseArg) startEngine(caseArg.slice('--case='.length));
  createWindow();
});

app.on('window-all-closed', () => app.quit());
