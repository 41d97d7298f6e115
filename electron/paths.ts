import { homedir } from 'node:os';
import { join } from 'node:path';

/** The app's name as Electron derives its userData folder from it (package.json productName). */
export const APP_FOLDER_NAME = 'Keyrack';

/**
 * The folder Electron's `app.getPath('userData')` gives, computed without Electron so the CLI and the
 * desktop app open the same store by default.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_FOLDER_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_FOLDER_NAME);
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), APP_FOLDER_NAME);
}

/** `--data` wins, then KEYRACK_DATA, then the desktop app's folder. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag || env.KEYRACK_DATA || defaultDataDir(env);
}

export const DATABASE_FILE = 'keyrack.db';
