import { contextBridge, ipcRenderer } from 'electron';
import { API_GLOBAL, IPC_CHANNEL } from '../shared/api.js';
import { buildKeyrackApi } from './shell/preload-api.js';

/**
 * The sandboxed preload (bundled by scripts/build-preload.mjs into dist/electron/preload.cjs, because a
 * sandboxed preload can only require 'electron'). It exposes `window.keyrack`, one function per contract
 * channel, and nothing else: never ipcRenderer, never a generic invoke (STYLE §3, Electron checklist 20).
 */
contextBridge.exposeInMainWorld(
  API_GLOBAL,
  buildKeyrackApi((channel, input) => ipcRenderer.invoke(IPC_CHANNEL, channel, input)),
);
