import { createTokenServerHost, type TokenServerHost, type TokenServerHostOptions } from '../token-server/host.js';
import { startBackgroundServices, type BackgroundContext, type BackgroundService, type RunningServices } from './background-services.js';

/** Test seams of the host: a port of 0, fast tuning. The app itself uses the stored settings. */
export type DesktopHostOverrides = Pick<TokenServerHostOptions, 'host' | 'port' | 'tuning' | 'tlsNames'>;

/** What the desktop app runs beside its window: the token server, through the same host as `keyrack serve`. */
export interface DesktopServices {
  /** For the IPC handlers (the Token server page), created before anything starts. */
  readonly tokenServer: { host: TokenServerHost; keyWrapper: BackgroundContext['keyWrapper'] };
  /**
   * Starts the background services (the token server per its settings: loopback, or the LAN with TLS).
   * The returned stop also stops a server the admin started later from the page, so quitting always
   * drains it and flushes its audit writer before the store closes.
   */
  start(): Promise<RunningServices>;
}

export function createDesktopServices(context: BackgroundContext, overrides: DesktopHostOverrides = {}): DesktopServices {
  const host = createTokenServerHost({
    core: context.core,
    dataDir: context.core.dataDir,
    // safeStorage (the OS keychain) on the desktop: wraps the signing keys and the TLS keys.
    keyWrapper: context.keyWrapper,
    log: context.log,
    ...overrides,
  });
  return {
    tokenServer: { host, keyWrapper: context.keyWrapper },
    async start() {
      const running = await startBackgroundServices([tokenServerService(host)], context);
      return {
        names: running.names,
        stop: async () => {
          await running.stop();
          await host.stop();
        },
      };
    },
  };
}

/** The token server as a background service; a start that fails is logged and the app opens anyway. */
export function tokenServerService(host: TokenServerHost): BackgroundService {
  return {
    name: 'token server',
    async start(context) {
      const status = await host.start();
      context.log(`token server answers on ${status.urls.join(', ')} (issuer ${status.issuer ?? 'unknown'})`);
      return { stop: () => host.stop() };
    },
  };
}
