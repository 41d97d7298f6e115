import type { ActivityPoint, DenialGroup, ExpiringCredential, FailedLoginGroup, IdleApiUser, TopApiUser } from '../../../shared/log.dto.js';
import type { ActivityBucket, OverviewRange } from '../../../shared/log.schemas.js';
import { logHref } from '../log/log-url.js';
import type { InputOf } from '../../../shared/contract.js';
import { currentLanguage, i18n } from '../../i18n/i18n.js';

const t = () => i18n.getFixedT(null, 'overview');

/**
 * Pure helpers of the overview: what each item links to, and the chart's rows and labels. Kept apart
 * from the components so the rules (which log filters a link sets, how buckets are labelled) are tested.
 */

const HOUR = 3_600_000;

/** The chart's periods, with their words in the person's language. */
export const rangeOptions = (): { value: OverviewRange; label: string }[] =>
  (['24h', '7d', '30d', '90d'] as const).map((value) => ({ value, label: t()(`range.${value}`) }));

/** The chart's choices: a period, hour or day bars (null: main's default), and one API user or all. */
export interface ChartControls {
  range: OverviewRange;
  bucket: ActivityBucket | null;
  user: { id: number; name: string } | null;
}

/** What the overview shows first: the last week, all API users (the route's prefetch asks for the same). */
export const DEFAULT_CHART_CONTROLS: ChartControls = { range: '7d', bucket: null, user: null };

/** `overview.get`'s input for the chart's choices. */
export function overviewQueryInput(controls: ChartControls): InputOf<'overview.get'> {
  const bucket = bucketFor(controls.range, controls.bucket);
  return { range: controls.range, ...(bucket ? { bucket } : {}), ...(controls.user ? { userId: controls.user.id } : {}) };
}

/** Hourly bars beyond a week are too thin to read (720 or 2 160 of them); main still could. */
export function hourlyAllowed(range: OverviewRange): boolean {
  return range === '24h' || range === '7d';
}

/** The bucket to ask for: the admin's choice when it makes sense for the range, else main's default. */
export function bucketFor(range: OverviewRange, chosen: ActivityBucket | null): ActivityBucket | undefined {
  if (chosen === 'hour' && !hourlyAllowed(range)) return 'day';
  return chosen ?? undefined;
}

export interface ChartRow {
  /** The x-axis label. */
  label: string;
  /** The bucket's start, for the tooltip and for links. */
  at: number;
  Issued: number;
  Denied: number;
}

/**
 * Chart rows with readable labels. Main buckets by UTC hour or UTC day: an hour is shown in local time
 * (hours line up in every whole-hour zone), a day as its UTC date so a bucket never shows as the day before.
 * English labels day before month, as the app's dates do (`21 Nov`, `Mon 15:00`); German as Germans write
 * them (`21. Nov.`, `Mo., 15:00`).
 */
export function chartRows(points: ActivityPoint[], bucket: ActivityBucket, timeZone?: string): ChartRow[] {
  const locale = currentLanguage() === 'de' ? 'de-DE' : 'en-GB';
  const hour = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const day = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', day: 'numeric', month: 'short' });
  return points.map((p) => ({
    label: bucket === 'hour' ? hour.format(p.at) : day.format(p.at),
    at: p.at,
    Issued: p.issued,
    Denied: p.denied,
  }));
}

/** Labels to skip between two shown ones, so about eight show whatever the number of bars. */
export function tickInterval(bars: number, shown = 8): number {
  return Math.max(0, Math.ceil(bars / shown) - 1);
}

export function activityTotals(points: ActivityPoint[]): { issued: number; denied: number } {
  let issued = 0;
  let denied = 0;
  for (const p of points) {
    issued += p.issued;
    denied += p.denied;
  }
  return { issued, denied };
}

/** The share of refused requests, as a whole percent ("3 %"), or null when there were none at all. */
export function denialRate(issued: number, denied: number): string | null {
  const all = issued + denied;
  if (all === 0) return null;
  const percent = (denied / all) * 100;
  // "3 %" with a space reads right in both languages (German writes it so; DIN 5008).
  return percent > 0 && percent < 1 ? '< 1 %' : `${Math.round(percent)} %`;
}

// ─── Where each item leads ────────────────────────────────────────────────────────────────────────────

export const userHref = (userId: number, tab?: 'credentials' | 'activity' | 'network') => `/users/${userId}${tab ? `/${tab}` : ''}`;

/** The denials of one group: that API user (or unknown clients), that reason, since the window began. */
export function denialGroupHref(group: Pick<DenialGroup, 'userId' | 'reason'>, since: number): string {
  return logHref({
    type: 'token.denied',
    since,
    ...(group.userId !== null ? { targetUserId: group.userId } : {}),
    // The reason is one search token (FTS tokenchars keep `_`): it narrows to this reason.
    ...(group.reason !== 'unknown' ? { text: group.reason } : {}),
  });
}

/** Everything one address did in the window (not only denials: what else it tried is the point). */
export const sourceIpHref = (ip: string, since: number) => logHref({ sourceIp: ip, since });

export function failedLoginHref(group: Pick<FailedLoginGroup, 'name'>, since: number): string {
  return logHref({ type: 'auth.login', outcome: 'failure', actor: group.name, since });
}

/** The chart's events in the log: issuances or denials over the chart's window, for one user or all. */
export function activityHref(kind: 'issued' | 'denied', window: { since: number; until: number; userId: number | null }): string {
  return logHref({
    type: kind === 'issued' ? 'token.issued' : 'token.denied',
    since: window.since,
    until: window.until,
    ...(window.userId !== null ? { targetUserId: window.userId } : {}),
  });
}

export function topUserHref(user: Pick<TopApiUser, 'userId'>, kind: 'issued' | 'denied', since: number): string {
  return logHref({ type: kind === 'issued' ? 'token.issued' : 'token.denied', targetUserId: user.userId, since });
}

// ─── Words ────────────────────────────────────────────────────────────────────────────────────────────

export function expiryText(item: Pick<ExpiringCredential, 'daysLeft'>): string {
  if (item.daysLeft <= 0) return t()('expiry.today');
  if (item.daysLeft === 1) return t()('expiry.tomorrow');
  return t()('expiry.inDays', { count: item.daysLeft });
}

/** Red when it is a matter of days, orange within the two-week window. */
export const expiryColor = (item: Pick<ExpiringCredential, 'daysLeft'>) => (item.daysLeft <= 3 ? 'red' : 'orange');

export function expiringWhat(item: Pick<ExpiringCredential, 'kind' | 'label'>): string {
  if (item.kind === 'user') return t()('expiring.account');
  return item.label ? t()('expiring.secret', { label: item.label }) : t()('expiring.clientSecret');
}

export function idleText(user: Pick<IdleApiUser, 'lastUsedAt'>, now: number): string {
  if (user.lastUsedAt === null) return t()('idle.never');
  const days = Math.floor((now - user.lastUsedAt) / (24 * HOUR));
  return t()('idle.lastUsed', { count: days });
}

/** At most `max` items, and how many more there are. */
export function firstOf<T>(items: readonly T[], max: number): { shown: T[]; more: number } {
  return { shown: items.slice(0, max), more: Math.max(0, items.length - max) };
}
