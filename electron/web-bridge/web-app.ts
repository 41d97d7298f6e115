import { createServer } from 'node:net';
import type { Core } from '../core.js';
import type { KeyWrapper } from '../crypto/key-wrap.js';
import type { HandlerRuntime } from '../services/runtime.js';
import { startDailyPrune } from '../shell/daily-prune.js';
import { createTokenServerHost, type TokenServerHost, type TokenServerHostOptions } from '../token-server/host.js';
import { openFromList } from './open-from-list.js';
import { saveToFolder, streamToFolder } from './save-to-folder.js';
import { startWebBridge, type WebBridge } from './server.js';

export interface WebAppOptions {
  core: Core;
  /** The built renderer; null serves only /api. */
  staticDir: string | null;
  /** The bridge's port; 0 picks a free one. */
  port: number;
  tokenServer: {
    /** The token server's port on loopback; 0 picks a free one. */
    port: number;
    keyWrapper: KeyWrapper;
    tuning?: TokenServerHostOptions['tuning'];
  };
  /** Where exports are written (the stand-in for the save dialog). */
  saveDir: string;
  /** What an import reads (the stand-in for the open dialog). */
  openFiles: readonly string[];
  rangesDownload?: HandlerRuntime['rangesDownload'];
  log?: (message: string) => void;
}

export interface WebApp {
  readonly bridge: WebBridge;
  readonly tokenServer: TokenServerHost;
  /** Stops the bridge, the daily prune, then the token server (which flushes its audit writer); the core stays open. Idempotent. */
  close(): Promise<void>;
}

/**
 * The browser face of the desktop app (`npm run dev:web`, the Playwright journeys): the HTTP bridge and the
 * same token server host the desktop runs, on loopback only, so a browser test can export a credential
 * file and get a token with it. Only the transport and the file dialogs differ from the desktop.
 */
export async function startWebApp(options: WebAppOptions): Promise<WebApp> {
  const host = createTokenServerHost({
    core: options.core,
    dataDir: options.core.dataDir,
    keyWrapper: options.tokenServer.keyWrapper,
    // Loopback whatever the stored settings say: this is a test and development harness, never a LAN server.
    host: '127.0.0.1',
    // A port chosen once, so a restart after a settings change keeps the address exported files name.
    port: options.tokenServer.port || (await freeLoopbackPort()),
    tuning: options.tokenServer.tuning,
    log: options.log,
  });
  await host.start();
  try {
    const bridge = await startWebBridge({
      core: options.core,
      port: options.port,
      host: '127.0.0.1',
      staticDir: options.staticDir,
      runtime: {
        tokenServer: { host, keyWrapper: options.tokenServer.keyWrapper },
        saveFile: saveToFolder(options.saveDir),
        saveStream: streamToFolder(options.saveDir),
        openFile: openFromList(options.openFiles),
        ...(options.rangesDownload ? { rangesDownload: options.rangesDownload } : {}),
      },
    });
    // As on the desktop: the retention setting's daily prune runs beside the app (first look minutes after the start).
    const prune = startDailyPrune(options.core, options.log ?? (() => undefined));
    let closing: Promise<void> | undefined;
    return {
      bridge,
      tokenServer: host,
      close: () =>
        (closing ??= (async () => {
          await bridge.close();
          await prune.stop();
          await host.stop();
        })()),
    };
  } catch (error) {
    await host.stop();
    throw error;
  }
}

/** A port free on 127.0.0.1 now (the OS picks it); the host binds it right after. */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
