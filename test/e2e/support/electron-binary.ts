import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { BETTER_SQLITE3_BINARY, electronNativeDir } from '../../../electron/shell/native-binding.js';

export type ElectronAvailability = { ok: true; executablePath: string; version: string } | { ok: false; reason: string };

/**
 * Where the Electron binary is, found as the `electron` package's index.js finds it (path.txt under dist/,
 * or ELECTRON_OVERRIDE_DIST_PATH) but without calling that file: a missing binary makes it start a
 * download, which has no place in a test run. Then checks that the binary runs, and that the Electron-ABI
 * build of better-sqlite3 (`npm run rebuild:electron`) is there, because the app cannot open its store
 * without it.
 */
export function electronAvailability(): ElectronAvailability {
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { ok: false, reason: 'the electron package is not installed' };
  }
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) {
    return { ok: false, reason: `the Electron binary was never downloaded (no ${pathFile}; here it cannot be: no internet)` };
  }
  const relative = readFileSync(pathFile, 'utf8').trim();
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const executablePath = override ? join(override, relative || 'electron') : join(packageDir, 'dist', relative);
  if (!existsSync(executablePath)) return { ok: false, reason: `the Electron binary is missing at ${executablePath}` };

  const probe = spawnSync(executablePath, ['--version'], { encoding: 'utf8', timeout: 20_000 });
  if (probe.status !== 0) return { ok: false, reason: `the Electron binary does not run here (${probe.error?.message ?? probe.stderr.trim()})` };
  const version = probe.stdout.trim().replace(/^v/, '');

  const native = join(electronNativeDir(resolve('.'), version, process.platform, process.arch), BETTER_SQLITE3_BINARY);
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { ok: false, reason: 'no display to open a window on (run under xvfb-run)' };
  }
  if (!existsSync(native)) return { ok: false, reason: `better-sqlite3 for Electron ${version} is not built (${native}): run npm run rebuild:electron` };
  return { ok: true, executablePath, version };
}
