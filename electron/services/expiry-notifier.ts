import type { ExpiringCredential } from '../../shared/log.dto.js';
import { readSetting, writeSetting } from '../repos/settings.repo.js';
import type { ServiceDeps } from './context.js';
import { expiringCredentials } from './overview.service.js';

/**
 * The daily "credentials expire soon" desktop notice, without Electron: this decides whether one is due
 * and what it says; electron/shell/expiry-notification.ts only shows it. At most one notice a day (the
 * local calendar day, remembered in settings so a restart does not repeat it), and only when something
 * expires within the warning period.
 */
export const WARNING_DAYS_KEY = 'expiry.warning_days';
export const LAST_NOTICE_DAY_KEY = 'expiry.last_notice_day';
export const DEFAULT_WARNING_DAYS = 14;
/** How often the app looks (the day may change while it runs). */
export const CHECK_EVERY_MS = 60 * 60_000;

export interface ExpiryNotice {
  title: string;
  body: string;
  items: ExpiringCredential[];
}

/** YYYY-MM-DD of the local calendar day: a notice a day as the admin counts days. */
export function localDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The notice due now, or null (already shown today, or nothing expires soon). Marks today as done. */
export async function dueExpiryNotice(deps: ServiceDeps): Promise<ExpiryNotice | null> {
  const today = localDay(deps.clock.now());
  if ((await readSetting<string>(deps.store, LAST_NOTICE_DAY_KEY)) === today) return null;
  const days = (await readSetting<number>(deps.store, WARNING_DAYS_KEY)) ?? DEFAULT_WARNING_DAYS;
  const items = await expiringCredentials(deps, days);
  await writeSetting(deps.store, LAST_NOTICE_DAY_KEY, today);
  return items.length === 0 ? null : noticeFor(items);
}

export function noticeFor(items: ExpiringCredential[]): ExpiryNotice {
  const soonest = items[0]!;
  const what = (c: ExpiringCredential) => (c.kind === 'user' ? `${c.userName}'s account` : `a secret of ${c.userName}`);
  const inDays = (n: number) => (n === 0 ? 'today' : n === 1 ? 'tomorrow' : `in ${n} days`);
  return {
    title: items.length === 1 ? 'A credential expires soon' : `${items.length} credentials expire soon`,
    body:
      items.length === 1
        ? `${what(soonest)} expires ${inDays(soonest.daysLeft)}.`
        : `The first: ${what(soonest)}, ${inDays(soonest.daysLeft)}. Open Keyrack's overview for the list.`,
    items,
  };
}

export interface RunningNotifier {
  stop(): void;
}

/** Checks now (resolved once that check is done) and then every CHECK_EVERY_MS; `show` is called at most once per day. */
export async function startExpiryNotifier(
  deps: ServiceDeps,
  show: (notice: ExpiryNotice) => void,
  onError: (error: unknown) => void = () => undefined,
  everyMs = CHECK_EVERY_MS,
): Promise<RunningNotifier> {
  const check = async () => {
    try {
      const notice = await dueExpiryNotice(deps);
      if (notice) show(notice);
    } catch (error) {
      onError(error);
    }
  };
  await check();
  const timer = setInterval(() => void check(), everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
