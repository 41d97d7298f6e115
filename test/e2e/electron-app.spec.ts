import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { electronAvailability } from './support/electron-binary.js';
import { SCREENSHOT_DIR } from './support/page-guards.js';

/**
 * The real desktop app, where an Electron binary exists: it starts on a fresh data folder, shows the first
 * run, and its renderer has no Node (contextIsolation, sandbox) and only the preload's `window.keyrack`.
 * Everywhere else the test is skipped and says why (electronAvailability names the missing piece). On the
 * CI machines it is always skipped: they reach only the npm registry and Debian, and the electron package
 * downloads its binary from GitHub, so there is no binary to launch. What this test would prove is covered
 * there by parts: the window's and session's hardening and the preload's bridge (test/shell), the IPC
 * handlers' validation (test/ipc), and the same renderer driven in Chromium through the web bridge (the
 * journeys).
 */
const electronApp = electronAvailability();

test('the desktop app starts on the first-run screen, with the renderer isolated from Node', async () => {
  if (!electronApp.ok) console.log(`[electron] skipped: ${electronApp.reason}`);
  test.skip(!electronApp.ok, electronApp.ok ? '' : `No Electron here: ${electronApp.reason}`);
  if (!electronApp.ok) return;

  const dataDir = mkdtempSync(join(tmpdir(), 'keyrack-electron-'));
  const app = await electron.launch({
    executablePath: electronApp.executablePath,
    // English whatever the machine's locale (Chromium's --lang sets navigator.languages), as the other journeys.
    args: ['--lang=en-US', resolve('.')],
    env: { ...process.env, KEYRACK_DATA: dataDir },
  });
  try {
    const window = await app.firstWindow();
    await expect(window.getByRole('heading', { name: 'Create the first administrator' })).toBeVisible();
    // Evaluated in the page: with contextIsolation and the sandbox, Node's globals are absent there, and the
    // preload's named API is the only bridge.
    const globals = await window.evaluate('({ require: typeof require, process: typeof process, keyrack: typeof keyrack, ipc: typeof ipcRenderer })');
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', keyrack: 'object', ipc: 'undefined' });
    const windows = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length);
    expect(windows).toBe(1);
    await window.screenshot({ path: `${SCREENSHOT_DIR}/40-electron-first-run.png` });
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
