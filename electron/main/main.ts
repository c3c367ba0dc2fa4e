// Electron main process: a thin, hardened shell. Heavy work runs in a utilityProcess hosting the engine.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, protocol, session, utilityProcess, type UtilityProcess } from 'electron';
import { APP_CSP } from '../engine/harness/security-headers';
import { readAppState, withRecentCase, writeAppState, type AppState } from './app-state';
import { APP_ENTRY, APP_SCHEME, evidenceArgs, isAllowedNavigation, isAllowedRequest, isApiEvent, isApiMethod, isShellCommand, isTrustedSender, resolveAppAsset } from './policy';
import { withMallocTuning } from '../../bin/malloc-tuning.cjs';

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

let window: BrowserWindow | null = null;
const pendingEvidence: string[] = evidenceArgs(process.argv.slice(1));

let state: AppState | null = null;
const stateFile = () => path.join(app.getPath('userData'), 'casefile-state.json');
function saveState(next: AppState): void {
  state = next;
  try {
    writeAppState(stateFile(), next);
  } catch {
    /* the app works without remembering */
  }
}

function startEngine(caseDir: string): void {
  saveState(withRecentCase(state ?? readAppState(stateFile()), caseDir));
  engine?.kill();
  for (const p of pending.values()) p.reject(new Error('case closed'));
  pending.clear();
  // The engine's compiled code is cached in the app's own folder (engine-host.ts), never beside a case.
  const compileCache = path.join(app.getPath('userData'), 'compile-cache');
  // glibc's malloc tuned for the ingest's buffers (bin/malloc-tuning.cjs): ≈10 % less peak memory.
  engine = utilityProcess.fork(path.join(unpacked, 'engine-host.js'), [caseDir, compileCache], { serviceName: 'casefile-engine', env: withMallocTuning(process.env) });
  engine.on('message', (m: { id: number; result?: unknown; error?: unknown; event?: unknown; data?: unknown }) => {
    if (m.event !== undefined) {
      if (isApiEvent(m.event)) window?.webContents.send('casefile:event', m.event, m.data);
      return;
    }
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.error) p?.reject(m.error);
    else p?.resolve(m.result);
  });
}

function createWindow(): void {
  const remembered = (state ?? readAppState(stateFile())).window;
  const win = (window = new BrowserWindow({
    width: remembered.width,
    height: remembered.height,
    ...(remembered.x !== undefined && remembered.y !== undefined ? { x: remembered.x, y: remembered.y } : {}),
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
  }));
  if (remembered.maximized) win.maximize();
  win.on('close', () => {
    const b = win.getNormalBounds();
    saveState({ ...(state ?? readAppState(stateFile())), window: { ...b, maximized: win.isMaximized() } });
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
  ipcMain.handle('casefile:shell', async (event, command: unknown, arg: unknown) => {
    if (!isTrustedSender(event.senderFrame?.url, event.senderFrame === event.sender.mainFrame)) throw new Error('untrusted sender');
    if (!isShellCommand(command)) throw new Error('unknown command');
    if (command === 'pendingEvidence') return pendingEvidence.splice(0);
    if (command === 'chooseEvidence') {
      const r = await dialog.showOpenDialog(window!, {
        title: 'Add evidence (read-only)',
        properties: arg === 'folder' ? ['openDirectory', 'multiSelections'] : ['openFile', 'multiSelections'],
        filters: arg === 'folder' ? [] : [{ name: 'Mail archives', extensions: ['mbox', 'mbx', 'eml', 'emlx', 'pst', 'ost', 'msg', '*'] }],
      });
      return r.canceled ? [] : r.filePaths;
    }
    if (command === 'chooseExportFolder') {
      const r = await dialog.showOpenDialog(window!, { title: 'Export into this folder (not the evidence)', properties: ['openDirectory', 'createDirectory'] });
      return r.canceled || !r.filePaths[0] ? null : r.filePaths[0];
    }
    if (command === 'recentCases') return (state ?? readAppState(stateFile())).recentCases;
    if (command === 'openCase') {
      // Only a case from the recent list: the renderer never names arbitrary folders to open.
      const dir = (state ?? readAppState(stateFile())).recentCases.find((p) => p === arg);
      if (!dir) return null;
      startEngine(dir);
      return dir;
    }
    const r = await dialog.showOpenDialog(window!, { title: 'Open or create a case folder (keep it apart from the evidence)', properties: ['openDirectory', 'createDirectory'] });
    if (r.canceled || !r.filePaths[0]) return null;
    startEngine(r.filePaths[0]);
    return r.filePaths[0];
  });
  // A case folder from --case=, else the default case in the app's data folder (never beside evidence).
  const caseArg = process.argv.find((a) => a.startsWith('--case='));
  startEngine(caseArg ? caseArg.slice('--case='.length) : path.join(app.getPath('userData'), 'cases', 'default'));
  createWindow();
});

// macOS delivers files opened through the file associations as events.
app.on('open-file', (e, file) => {
  e.preventDefault();
  pendingEvidence.push(...evidenceArgs([file]));
});

app.on('window-all-closed', () => app.quit());
