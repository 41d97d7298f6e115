import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openCore } from '../core.js';
import { startWebBridge } from './server.js';

/**
 * `npm run dev:web`: the built renderer and the HTTP bridge over a core on loopback, for a browser.
 * Static files: KEYRACK_WEB_STATIC, else dist/renderer. Data folder: KEYRACK_DATA, else a new temporary folder (said so on start). Port: KEYRACK_WEB_PORT or a free one.
 * Prints one line `Keyrack web UI: <url>` that the Playwright setup waits for.
 */
async function main(): Promise<void> {
  // npm scripts run in the package folder, where `npm run build:renderer` leaves dist/renderer.
  const staticDir = resolve(process.env.KEYRACK_WEB_STATIC ?? 'dist/renderer');
  const dataDir = process.env.KEYRACK_DATA || mkdtempSync(join(tmpdir(), 'keyrack-web-'));
  const port = Number(process.env.KEYRACK_WEB_PORT ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error('KEYRACK_WEB_PORT must be a port number');

  const core = openCore({ dataDir });
  const bridge = await startWebBridge({ core, port, host: '127.0.0.1', staticDir });
  process.stdout.write(`Keyrack data folder: ${dataDir}${process.env.KEYRACK_DATA ? '' : ' (temporary)'}\n`);
  process.stdout.write(`Keyrack web UI: ${bridge.url}\n`);

  const stop = () => {
    void bridge.close().finally(() => {
      core.close();
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error('[keyrack] dev:web failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
