import type { ParsedInputOf } from '../../shared/contract.js';
import type { ActivityBucket, OverviewRange } from '../../shared/log.schemas.js';
import type { ActivityPoint, ExpiringCredential, FirstRunSteps, Overview } from '../../shared/log.dto.js';
import { bringAuditIndexUpToDate } from '../repos/audit-index.repo.js';
import * as R from '../repos/overview.repo.js';
import { authorize } from './authorize.js';
import type { Actor, ServiceDeps } from './context.js';
import { providerWordWarnings, type RangeSnapshots } from './provider-word-warnings.js';
import { readTokenServerSettings } from './token-server-settings.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const RANGE_MS: Record<OverviewRange, number> = { '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY, '90d': 90 * DAY };

/** What the overview flags: expiry within 14 days, no use in 90 days, the last 24 hours' failures. */
export const OVERVIEW_WINDOWS = { expiringDays: 14, idleDays: 90, recentMs: DAY, topUsers: 10 } as const;

/**
 * The app's home screen: what needs attention, and the token server's activity. Reads only, once the
 * activity counts cover the whole log (catchUpAuditIndex: usually nothing to do).
 */
export class OverviewService {
  /** `rangeSnapshots` is read by `get` only (the provider words' warnings), so `expiring` never opens the snapshots. */
  constructor(
    private readonly deps: ServiceDeps,
    private readonly rangeSnapshots: RangeSnapshots,
  ) {}

  async get(actor: Actor, q: ParsedInputOf<'overview.get'>): Promise<Overview> {
    await authorize(this.deps, actor, 'log.view', 'log.viewed');
    const { store } = this.deps;
    await bringAuditIndexUpToDate(store);
    const now = this.deps.clock.now();
    const bucket: ActivityBucket = q.bucket ?? (RANGE_MS[q.range] <= 7 * DAY ? 'hour' : 'day');
    const bucketMs = bucket === 'hour' ? HOUR : DAY;
    // Whole buckets: the chart's first bar covers a full hour (or UTC day), the last one the current one.
    const since = Math.floor((now - RANGE_MS[q.range]) / bucketMs) * bucketMs + bucketMs;
    const recentFrom = await R.firstEventIdAt(store, now - OVERVIEW_WINDOWS.recentMs);
    const ips = (list: string | null) => (list ? list.split(' ') : []);

    const [expiring, idle, denials, failedLogins, activity, top] = [
      await expiringCredentials(this.deps, OVERVIEW_WINDOWS.expiringDays),
      await R.idleApiUsers(store, now - OVERVIEW_WINDOWS.idleDays * DAY),
      recentFrom === null ? [] : await R.denialsSince(store, recentFrom),
      recentFrom === null ? [] : await R.failedLoginsSince(store, recentFrom),
      await R.activitySince(store, since, bucketMs, q.userId ?? null),
      await R.topApiUsersSince(store, since, OVERVIEW_WINDOWS.topUsers),
    ];
    const names = new Map<number, string>();
    for (const r of top) names.set(r.user_id, (await R.userDisplayName(store, r.user_id)) ?? `#${r.user_id}`);

    return {
      generatedAt: now,
      expiring,
      idleApiUsers: idle.map((r) => ({
        userId: r.user_id,
        name: r.name,
        clientId: r.client_id,
        lastUsedAt: r.last_used_at,
        createdAt: r.created_at,
      })),
      denials: denials.map((r) => ({
        userId: r.user_id,
        userName: r.user_name,
        reason: r.reason ?? 'unknown',
        count: r.count,
        lastAt: r.last_at,
        sourceIps: ips(r.source_ips),
      })),
      failedLogins: failedLogins.map((r) => ({
        name: r.name,
        reason: r.reason ?? 'unknown',
        count: r.count,
        lastAt: r.last_at,
        sourceIps: ips(r.source_ips),
      })),
      activity: {
        range: q.range,
        bucket,
        userId: q.userId ?? null,
        since,
        until: now,
        points: fillBuckets(activity, since, now, bucketMs),
      },
      topApiUsers: top.map((r) => ({
        userId: r.user_id,
        name: names.get(r.user_id)!,
        issued: r.issued,
        denied: r.denied,
      })),
      firstRun: await firstRunSteps(this.deps),
      providerWords: await providerWordWarnings(this.deps.store, this.rangeSnapshots(), now),
    };
  }

  /** `users.expiring` and `keyrack api-users expiring`: credentials expiring within `days`. */
  async expiring(actor: Actor, { days }: ParsedInputOf<'users.expiring'>): Promise<ExpiringCredential[]> {
    await authorize(this.deps, actor, 'users.manage', 'user.updated');
    return expiringCredentials(this.deps, days);
  }
}

/** Secrets and API user accounts that expire after now and within `days`, soonest first. */
export async function expiringCredentials(deps: ServiceDeps, days: number): Promise<ExpiringCredential[]> {
  const now = deps.clock.now();
  return (await R.expiringCredentials(deps.store, now, now + days * DAY)).map((r) => ({
    kind: r.kind,
    userId: r.user_id,
    userName: r.user_name,
    clientId: r.client_id,
    secretId: r.secret_id,
    label: r.label,
    expiresAt: r.expires_at,
    daysLeft: Math.floor((r.expires_at - now) / DAY),
  }));
}

/**
 * The first-run checklist (issue 13: the first run gave no direction). Derived from real state rather than
 * remembered clicks, so a step done from the CLI or by another administrator ticks too, and undoing it
 * (deleting the only API user) shows it again.
 */
export async function firstRunSteps(deps: Pick<ServiceDeps, 'store'>): Promise<FirstRunSteps> {
  const facts = await R.firstRunFacts(deps.store);
  return {
    describeApis: facts.resources === 1,
    makeGroup: facts.api_groups === 1,
    apiUser: facts.api_users === 1,
    credentialFile: facts.exports === 1,
    lanAccess: (await readTokenServerSettings(deps)).lanAccess,
  };
}

/** Every bucket from `since` to now, zeros where nothing happened (a chart needs the gaps). */
function fillBuckets(rows: R.ActivityRow[], since: number, now: number, bucketMs: number): ActivityPoint[] {
  const byBucket = new Map(rows.map((r) => [r.bucket, r]));
  const points: ActivityPoint[] = [];
  for (let at = since; at <= now; at += bucketMs) {
    const row = byBucket.get(at);
    points.push({ at, issued: row?.issued ?? 0, denied: row?.denied ?? 0 });
  }
  return points;
}
