import { startExpiryNotifier, type ExpiryNotice } from '../services/expiry-notifier.js';
import type { BackgroundService } from './background-services.js';

/**
 * Shows one desktop notification. Only Electron's entry files may import electron (see
 * test/shell/electron-imports.test.ts), so main passes the thin call in:
 * `(notice) => new Notification({ title: notice.title, body: notice.body }).show()`
 * (after checking Notification.isSupported()).
 */
export type ShowNotification = (notice: Pick<ExpiryNotice, 'title' | 'body'>) => void;

/**
 * The daily desktop notification for credentials about to expire, as a background service. What to say
 * and when is decided by electron/services/expiry-notifier.ts (plain Node, tested); this only wires it to
 * the desktop's notifications for as long as the app runs.
 */
export function expiryNotificationService(show: ShowNotification): BackgroundService {
  return {
    name: 'expiry notifications',
    async start(context) {
      const running = await startExpiryNotifier(
        context.core.deps,
        (notice) => show({ title: notice.title, body: notice.body }),
        (error) => context.log(`expiry notifications: ${error instanceof Error ? error.message : String(error)}`),
      );
      return { stop: () => Promise.resolve(running.stop()) };
    },
  };
}
