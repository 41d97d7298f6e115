import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { openCore } from '../core.js';
import { upgradeNotice } from '../db/migrate.js';
import { headlessKeyWrapper } from '../crypto/key-wrap.js';
import { mirrorSources } from '../ranges/sources.js';
import { startWebApp } from './web-app.js';

/**
 * `npm run dev:web`: the built renderer, the HTTP bridge and the token server over one core, on loopback.
 *   KEYRACK_WEB_STATIC     static files (default dist/renderer)
 *   KEYRACK_DATA           data folder (default: a new temporary folder, said so on start)
 *   KEYRACK_WEB_PORT       the bridge's port (default: a free one)
 *   KEYRACK_TOKEN_PORT     the token server's port on 127.0.0.1 (default: a free one)
 *   KEYRACK_WEB_SAVE_DIR   where exports are written instead of a save dialog (default <data>/exports)
 *   KEYRACK_WEB_OPEN_FILES file(s) an import reads instead of an open dialog (separated by the path list separator)
 *   KEYRACK_RANGES_MIRROR  base URL to download provider ranges from instead of the providers (ranges update)
 * Prints `Keyrack web UI: <url>` (the Playwright setup waits for it) and `Keyrack token server: <url>`.
 */
async function main(): Promise<void> {
  const env = process.env;
  // npm scripts run in the package folder, where `npm run build:renderer` leaves dist/renderer.
  const staticDir = resolve(env.KEYRACK_WEB_STATIC ?? 'dist/renderer');
  const dataDir = env.KEYRACK_DATA || mkdtempSync(join(tmpdir(), 'keyrack-web-'));
  const port = portFrom(env.KEYRACK_WEB_PORT, 'KEYRACK_WEB_PORT');
  const tokenPort = portFrom(env.KEYRACK_TOKEN_PORT, 'KEYRACK_TOKEN_PORT');

  const core = openCore({
    dataDir,
    onMigrate: (plan) => {
      const notice = upgradeNotice(plan);
      if (notice) console.error(notice);
    },
  });
  const app = await startWebApp({
    core,
    staticDir,
    port,
    tokenServer: { port: tokenPort, keyWrapper: headlessKeyWrapper(dataDir, env) },
    saveDir: resolve(env.KEYRACK_WEB_SAVE_DIR || join(dataDir, 'exports')),
    openFiles: (env.KEYRACK_WEB_OPEN_FILES ?? '').split(delimiter).filter((p) => p !== '').map((p) => resolve(p)),
    ...(env.KEYRACK_RANGES_MIRROR ? { rangesDownload: { sources: mirrorSources(env.KEYRACK_RANGES_MIRROR) } } : {}),
    log: (message) => process.stdout.write(`[keyrack] ${message}\n`),
  });
  const token = await app.tokenServer.status();
  process.stdout.write(`Keyrack data folder: ${dataDir}${env.KEYRACK_DATA ? '' : ' (temporary)'}\n`);
  process.stdout.write(`Keyrack token server: ${token.urls[0] ?? 'not running'}\n`);
  process.stdout.write(`Keyrack web UI: ${app.bridge.url}\n`);

  const stop = () => {
    void app.close().finally(() => {
      core.close();
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function portFrom(value: string | undefined, name: string): number {
  const port = Number(value ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`${name} must be a port number`);
  return port;
}

main().catch((error: unknown) => {
  console.error('[keyrack] dev:web failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
