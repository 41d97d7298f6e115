import { ipcMain } from 'electron';
import { registerIpc, type RegisterIpcOptions } from './register.js';

/** The thin Electron adapter: the real ipcMain into the tested wrapper (register.ts). */
export function registerElectronIpc(options: RegisterIpcOptions): () => void {
  return registerIpc(ipcMain, options);
}
