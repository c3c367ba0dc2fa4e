// Preload: exposes exactly the named methods of the contract, never ipcRenderer itself.
import { contextBridge, ipcRenderer } from 'electron';
import { API_METHODS } from '../../shared/api';

const api = Object.fromEntries(API_METHODS.map((m) => [m, (args: unknown) => ipcRenderer.invoke('casefile:call', m, args)]));
contextBridge.exposeInMainWorld('casefile', Object.freeze(api));
