import { createTokenServerHost, type TokenServerHost, type TokenServerHostOptions } from '../token-server/host.js';
import { startBackgroundServices, type BackgroundContext, type BackgroundService, type RunningServices } from './background-services.js';
import { dailyPruneService, type DailyPruneTiming } from './daily-prune.js';
import { expiryNotificationService, type ShowNotification } from './expiry-notification.js';

/** Test seams of the host: a port of 0, fast tuning. The app itself uses the stored settings. */
export type DesktopHostOverrides = Pick<TokenServerHostOptions, 'host' | 'port' | 'tuning' | 'tlsNames'>;

export interface DesktopServiceOptions {
  host?: DesktopHostOverrides;
  /** Shows a desktop notification (main passes Electron's); without it there are no expiry notices. */
  showNotification?: ShowNotification;
  /** When the daily prune of the log's retention setting looks (tests shorten it). */
  prune?: DailyPruneTiming;
}

/**
 * What the desktop app runs beside its window: the token server, through the same host as `keyrack serve`,
 * the daily prune of the log's retention setting, and the daily notice of credentials about to expire.
 */
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

export function createDesktopServices(context: BackgroundContext, options: DesktopServiceOptions = {}): DesktopServices {
  const host = createTokenServerHost({
    core: context.core,
    dataDir: context.core.dataDir,
    // safeStorage (the OS keychain) on the desktop: wraps the signing keys and the TLS keys.
    keyWrapper: context.keyWrapper,
    log: context.log,
    ...options.host,
  });
  const services: BackgroundService[] = [tokenServerService(host), dailyPruneService(options.prune)];
  if (options.showNotification) services.push(expiryNotificationService(options.showNotification));
  return {
    tokenServer: { host, keyWrapper: context.keyWrapper },
    async start() {
      const running = await startBackgroundServices(services, context);
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
