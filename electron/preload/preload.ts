// Preload: exposes exactly the named methods of the contract, never ipcRenderer itself.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { API_METHODS } from '../../shared/api';

const api = Object.fromEntries(API_METHODS.map((m) => [m, (args: unknown) => ipcRenderer.invoke('casefile:call', m, args)]));
contextBridge.exposeInMainWorld('casefile', Object.freeze(api));

// Engine events (progress), as (name, data); returns an unsubscribe function.
contextBridge.exposeInMainWorld(
  'casefileEvents',
  Object.freeze({
    subscribe(listener: (name: string, data: unknown) => void) {
      const forward = (_e: unknown, name: string, data: unknown) => listener(name, data);
      ipcRenderer.on('casefile:event', forward);
      return () => ipcRenderer.off('casefile:event', forward);
    },
  }),
);

contextBridge.exposeInMainWorld(
  'casefileShell',
  Object.freeze({
    chooseEvidence: (kind: unknown) => ipcRenderer.invoke('casefile:shell', 'chooseEvidence', kind === 'folder' ? 'folder' : 'files'),
    chooseCase: () => ipcRenderer.invoke('casefile:shell', 'chooseCase'),
    pendingEvidence: () => ipcRenderer.invoke('casefile:shell', 'pendingEvidence'),
    chooseExportFolder: () => ipcRenderer.invoke('casefile:shell', 'chooseExportFolder'),
    recentCases: () => ipcRenderer.invoke('casefile:shell', 'recentCases'),
    openCase: (dir: unknown) => ipcRenderer.invoke('casefile:shell', 'openCase', typeof dir === 'string' ? dir : ''),
    pathForFile: (file: File) => webUtils.getPathForFile(file),
  }),
);
