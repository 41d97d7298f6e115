import type { Db } from '../db/open.js';

/**
 * The overview's queries. Each reads an index range: expiring credentials through the partial
 * expires_at indexes, the last day's denials and failed logins through (type, id) from the first id of
 * the day, and the chart and top API users through the hourly or daily activity counts (0070, 0072).
 */

export interface ExpiringRow {
  kind: 'secret' | 'user';
  user_id: number;
  user_name: string;
  client_id: string | null;
  secret_id: number | null;
  label: string | null;
  expires_at: number;
}

/** Active API users' unrevoked secrets, and API user accounts, expiring in (from, to]. Soonest first. */
export function expiringCredentials(db: Db, from: number, to: number): ExpiringRow[] {
  return db
    .prepare<{ from: number; to: number }, ExpiringRow>(
      `SELECT 'secret' AS kind, u.id AS user_id, u.name AS user_name, c.client_id, s.id AS secret_id, s.label, s.expires_at
         FROM client_secrets s
         JOIN users u ON u.id = s.user_id
         LEFT JOIN credentials c ON c.user_id = u.id
        WHERE s.expires_at IS NOT NULL AND s.revoked_at IS NULL AND s.expires_at > @from AND s.expires_at <= @to
          AND u.status = 'active'
       UNION ALL
       SELECT 'user', u.id, u.name, c.client_id, NULL, NULL, u.expires_at
         FROM users u
         LEFT JOIN credentials c ON c.user_id = u.id
        WHERE u.expires_at IS NOT NULL AND u.expires_at > @from AND u.expires_at <= @to
          AND u.kind = 'api' AND u.status = 'active'
       ORDER BY expires_at, user_name`,
    )
    .all({ from, to });
}

export interface IdleApiUserRow {
  user_id: number;
  name: string;
  client_id: string | null;
  last_used_at: number | null;
  created_at: number;
}

/** Active API users created before `cutoff` whose secrets were last used before it (or never). */
export function idleApiUsers(db: Db, cutoff: number): IdleApiUserRow[] {
  return db
    .prepare<[number, number], IdleApiUserRow>(
      `SELECT u.id AS user_id, u.name, c.client_id, max(s.last_used_at) AS last_used_at, u.created_at
         FROM users u
         LEFT JOIN credentials c ON c.user_id = u.id
         LEFT JOIN client_secrets s ON s.user_id = u.id
        WHERE u.kind = 'api' AND u.status = 'active' AND u.created_at <= ?
        GROUP BY u.id
       HAVING last_used_at IS NULL OR last_used_at < ?
        ORDER BY last_used_at IS NOT NULL, last_used_at, u.name`,
    )
    .all(cutoff, cutoff);
}

/** The first event at or after `at` (from the `at` index), or null. */
export function firstEventIdAt(db: Db, at: number): number | null {
  return db.prepare<[number], { id: number }>('SELECT id FROM audit_events WHERE at >= ? ORDER BY at, id LIMIT 1').get(at)?.id ?? null;
}

export interface DenialRow {
  user_id: number | null;
  user_name: string | null;
  reason: string | null;
  count: number;
  last_at: number;
  /** Distinct addresses, newest first, separated by a space (addresses hold none). */
  source_ips: string | null;
}

/** token.denied events from `fromId` on, grouped by API user and reason (index: type, id). */
export function denialsSince(db: Db, fromId: number): DenialRow[] {
  return db
    .prepare<{ from: number }, DenialRow>(
      `SELECT target_user_id AS user_id, max(target_name) AS user_name, reason, count(*) AS count, max(at) AS last_at,
              (SELECT group_concat(ip, ' ') FROM (
                 SELECT DISTINCT source_ip AS ip FROM audit_events d
                  WHERE d.type = 'token.denied' AND d.id >= @from AND d.source_ip IS NOT NULL
                    AND d.target_user_id IS e.target_user_id AND d.reason IS e.reason
                  ORDER BY d.id DESC LIMIT 20)) AS source_ips
         FROM audit_events e
        WHERE type = 'token.denied' AND id >= @from
        GROUP BY target_user_id, reason
        ORDER BY count DESC, last_at DESC`,
    )
    .all({ from: fromId });
}

export interface FailedLoginRow {
  name: string;
  reason: string | null;
  count: number;
  last_at: number;
  source_ips: string | null;
}

/** Failed auth.login events from `fromId` on, by the name that was tried and the reason (index: type, outcome, id). */
export function failedLoginsSince(db: Db, fromId: number): FailedLoginRow[] {
  return db
    .prepare<{ from: number }, FailedLoginRow>(
      `SELECT actor_name AS name, reason, count(*) AS count, max(at) AS last_at,
              (SELECT group_concat(ip, ' ') FROM (
                 SELECT DISTINCT source_ip AS ip FROM audit_events d
                  WHERE d.type = 'auth.login' AND d.outcome = 'failure' AND d.id >= @from AND d.source_ip IS NOT NULL
                    AND d.actor_name = e.actor_name AND d.reason IS e.reason
                  ORDER BY d.id DESC LIMIT 20)) AS source_ips
         FROM audit_events e
        WHERE type = 'auth.login' AND outcome = 'failure' AND id >= @from
        GROUP BY actor_name, reason
        ORDER BY count DESC, last_at DESC`,
    )
    .all({ from: fromId });
}

export interface ActivityRow {
  bucket: number;
  issued: number;
  denied: number;
}

const DAY_MS = 86_400_000;

/**
 * The counts table to read from `since` on: whole UTC days come from the daily counts (a few thousand
 * rows for 90 days), anything else from the hourly ones (migrations 0070, 0072).
 */
function countsFrom(since: number): { table: string; at: string } {
  return since % DAY_MS === 0 ? { table: 'audit_activity_daily', at: 'day' } : { table: 'audit_activity', at: 'hour' };
}

/** Issued and denied per bucket (hour or day, in ms) from `since`; one user, or all. */
export function activitySince(db: Db, since: number, bucketMs: number, userId: number | null): ActivityRow[] {
  const { table, at } = bucketMs % DAY_MS === 0 ? countsFrom(since) : { table: 'audit_activity', at: 'hour' };
  const byUser = userId === null ? '' : 'AND user_id = @userId';
  return db
    .prepare<Record<string, number>, ActivityRow>(
      `SELECT ${at} / @bucketMs * @bucketMs AS bucket, sum(issued) AS issued, sum(denied) AS denied
         FROM ${table} WHERE ${at} >= @since ${byUser}
        GROUP BY 1 ORDER BY 1`,
    )
    .all({ since, bucketMs, ...(userId === null ? {} : { userId }) });
}

export interface TopUserRow {
  user_id: number;
  issued: number;
  denied: number;
}

/** By volume from `since`; `+user_id` keeps SQLite on the time range instead of walking the user index. */
export function topApiUsersSince(db: Db, since: number, limit: number): TopUserRow[] {
  const { table, at } = countsFrom(since);
  return db
    .prepare<[number, number], TopUserRow>(
      `SELECT user_id, sum(issued) AS issued, sum(denied) AS denied
         FROM ${table} WHERE ${at} >= ? AND user_id <> 0
        GROUP BY +user_id ORDER BY sum(issued) + sum(denied) DESC, user_id LIMIT ?`,
    )
    .all(since, limit);
}

/** A user's name: the store's, or the newest event's copy when the user was deleted. */
export function userDisplayName(db: Db, userId: number): string | null {
  const user = db.prepare<[number], { name: string }>('SELECT name FROM users WHERE id = ?').get(userId);
  if (user) return user.name;
  return (
    db
      .prepare<[number], { name: string | null }>(
        'SELECT target_name AS name FROM audit_events WHERE target_user_id = ? ORDER BY id DESC LIMIT 1',
      )
      .get(userId)?.name ?? null
  );
}

export interface FirstRunRow {
  resources: number;
  api_groups: number;
  api_users: number;
  exports: number;
}

/**
 * The first-run checklist's facts, each a LIMIT 1 probe: a resource beyond the built-in one, a group with
 * an API right, an API user (users_kind_status), an API user's credential file exported (type_outcome index;
 * the CA certificate is exported under the same type, with no target user). The LAN
 * access setting is read by the service through token-server-settings.
 */
export function firstRunFacts(db: Db): FirstRunRow {
  return db
    .prepare<[], FirstRunRow>(
      `SELECT EXISTS (SELECT 1 FROM resources WHERE builtin = 0) AS resources,
              EXISTS (SELECT 1 FROM group_api_rights r JOIN resources res ON res.id = r.resource_id WHERE res.builtin = 0) AS api_groups,
              EXISTS (SELECT 1 FROM users WHERE kind = 'api') AS api_users,
              EXISTS (SELECT 1 FROM audit_events WHERE type = 'credentials.exported' AND outcome = 'success'
                                       AND target_user_id IS NOT NULL) AS exports`,
    )
    .get()!;
}
