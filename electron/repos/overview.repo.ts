import type { Queryable } from '../db/store.js';
import { byName, joinedText, sameOrBothNull } from './dialect.js';

/**
 * The overview's queries. Each reads an index range: expiring credentials through the partial
 * expires_at indexes, the last day's denials and failed logins through (type, id) from the first id of
 * the day, and the chart and top API users through the hourly or daily activity counts (0070, 0072).
 *
 * Through the Store port, on either engine. SQLite's SQL is as it was (its plans are checked in
 * test/log/query-plans.test.ts); where PostgreSQL needs other words (group_concat, `IS`, `+user_id`, a
 * HAVING or ORDER BY on an alias, DISTINCT with an ORDER BY outside it, NOCASE names) the statement
 * branches on the Queryable's dialect, through dialect.ts, and gives the same rows in the same order.
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
export async function expiringCredentials(q: Queryable, from: number, to: number): Promise<ExpiringRow[]> {
  // The names sort as the NOCASE column sorts on SQLite; PostgreSQL orders a UNION by its columns only,
  // so there the UNION is a subquery.
  const union = `SELECT 'secret' AS kind, u.id AS user_id, u.name AS user_name, c.client_id, s.id AS secret_id, s.label, s.expires_at
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
          AND u.kind = 'api' AND u.status = 'active'`;
  const sql =
    q.dialect === 'postgres'
      ? `SELECT * FROM (${union}) x ORDER BY expires_at, ${byName(q, 'user_name')}`
      : `${union}
       ORDER BY expires_at, user_name`;
  return q.all<ExpiringRow>(sql, { from, to });
}

export interface IdleApiUserRow {
  user_id: number;
  name: string;
  client_id: string | null;
  last_used_at: number | null;
  created_at: number;
}

/**
 * Active API users created before `cutoff` whose secrets were last used before it (or never). One text for
 * both engines, in PostgreSQL's stricter form: no output alias in HAVING or ORDER BY, and the credential's
 * column grouped (credentials.user_id is UNIQUE, so grouping by it adds no rows; SQLite's plan is the same).
 */
export async function idleApiUsers(q: Queryable, cutoff: number): Promise<IdleApiUserRow[]> {
  return q.all<IdleApiUserRow>(
    `SELECT u.id AS user_id, u.name, c.client_id, max(s.last_used_at) AS last_used_at, u.created_at
         FROM users u
         LEFT JOIN credentials c ON c.user_id = u.id
         LEFT JOIN client_secrets s ON s.user_id = u.id
        WHERE u.kind = 'api' AND u.status = 'active' AND u.created_at <= ?
        GROUP BY u.id, c.client_id
       HAVING max(s.last_used_at) IS NULL OR max(s.last_used_at) < ?
        ORDER BY max(s.last_used_at) IS NOT NULL, max(s.last_used_at), ${byName(q, 'u.name')}`, [cutoff, cutoff]);
}

/** The first event at or after `at` (from the `at` index), or null. */
export async function firstEventIdAt(q: Queryable, at: number): Promise<number | null> {
  return (await q.get<{ id: number }>('SELECT id FROM audit_events WHERE at >= ? ORDER BY at, id LIMIT 1', [at]))?.id ?? null;
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
export async function denialsSince(q: Queryable, fromId: number): Promise<DenialRow[]> {
  return q.all<DenialRow>(
    `SELECT target_user_id AS user_id, max(target_name) AS user_name, reason, count(*) AS count, max(at) AS last_at,
              ${recentAddresses(q, `d.type = 'token.denied' AND d.id >= @from AND d.source_ip IS NOT NULL
                    AND ${sameOrBothNull(q, 'd.target_user_id', 'e.target_user_id')} AND ${sameOrBothNull(q, 'd.reason', 'e.reason')}`)} AS source_ips
         FROM audit_events e
        WHERE type = 'token.denied' AND id >= @from
        GROUP BY target_user_id, reason
        ORDER BY count DESC, last_at DESC`, { from: fromId });
}

/**
 * The 20 distinct addresses of the events `d` matching `where` that were seen last, newest first, joined by
 * a space. SQLite keeps the first row of each address as it walks newest first; PostgreSQL wants the
 * ORDER BY of a DISTINCT inside it, so there each address is ordered by its newest event.
 */
function recentAddresses(q: Queryable, where: string): string {
  if (q.dialect === 'postgres') {
    return `(SELECT ${joinedText(q, 'ip', "' ' ORDER BY newest DESC")} FROM (
                 SELECT d.source_ip AS ip, max(d.id) AS newest FROM audit_events d
                  WHERE ${where}
                  GROUP BY d.source_ip ORDER BY newest DESC LIMIT 20) recent)`;
  }
  return `(SELECT ${joinedText(q, 'ip', "' '")} FROM (
                 SELECT DISTINCT source_ip AS ip FROM audit_events d
                  WHERE ${where}
                  ORDER BY d.id DESC LIMIT 20))`;
}

export interface FailedLoginRow {
  name: string;
  reason: string | null;
  count: number;
  last_at: number;
  source_ips: string | null;
}

/** Failed auth.login events from `fromId` on, by the name that was tried and the reason (index: type, outcome, id). */
export async function failedLoginsSince(q: Queryable, fromId: number): Promise<FailedLoginRow[]> {
  return q.all<FailedLoginRow>(
    `SELECT actor_name AS name, reason, count(*) AS count, max(at) AS last_at,
              ${recentAddresses(q, `d.type = 'auth.login' AND d.outcome = 'failure' AND d.id >= @from AND d.source_ip IS NOT NULL
                    AND d.actor_name = e.actor_name AND ${sameOrBothNull(q, 'd.reason', 'e.reason')}`)} AS source_ips
         FROM audit_events e
        WHERE type = 'auth.login' AND outcome = 'failure' AND id >= @from
        GROUP BY actor_name, reason
        ORDER BY count DESC, last_at DESC`, { from: fromId });
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
export async function activitySince(q: Queryable, since: number, bucketMs: number, userId: number | null): Promise<ActivityRow[]> {
  const { table, at } = bucketMs % DAY_MS === 0 ? countsFrom(since) : { table: 'audit_activity', at: 'hour' };
  const byUser = userId === null ? '' : 'AND user_id = @userId';
  return q.all<ActivityRow>(
    `SELECT ${at} / @bucketMs * @bucketMs AS bucket, sum(issued) AS issued, sum(denied) AS denied
         FROM ${table} WHERE ${at} >= @since ${byUser}
        GROUP BY 1 ORDER BY 1`, { since, bucketMs, ...(userId === null ? {} : { userId }) });
}

export interface TopUserRow {
  user_id: number;
  issued: number;
  denied: number;
}

/** By volume from `since`; `+user_id` keeps SQLite on the time range instead of walking the user index. */
export async function topApiUsersSince(q: Queryable, since: number, limit: number): Promise<TopUserRow[]> {
  const { table, at } = countsFrom(since);
  // PostgreSQL has no such hint (and would not group by an expression it then selects bare).
  const groupBy = q.dialect === 'postgres' ? 'user_id' : '+user_id';
  return q.all<TopUserRow>(
    `SELECT user_id, sum(issued) AS issued, sum(denied) AS denied
         FROM ${table} WHERE ${at} >= ? AND user_id <> 0
        GROUP BY ${groupBy} ORDER BY sum(issued) + sum(denied) DESC, user_id LIMIT ?`, [since, limit]);
}

/** A user's name: the store's, or the newest event's copy when the user was deleted. */
export async function userDisplayName(q: Queryable, userId: number): Promise<string | null> {
  const user = await q.get<{ name: string }>('SELECT name FROM users WHERE id = ?', [userId]);
  if (user) return user.name;
  const event = await q.get<{ name: string | null }>(
    'SELECT target_name AS name FROM audit_events WHERE target_user_id = ? ORDER BY id DESC LIMIT 1',
    [userId],
  );
  return event?.name ?? null;
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
export async function firstRunFacts(q: Queryable): Promise<FirstRunRow> {
  const facts = await q.get<FirstRunRow>(
    `SELECT EXISTS (SELECT 1 FROM resources WHERE builtin = 0) AS resources,
              EXISTS (SELECT 1 FROM group_api_rights r JOIN resources res ON res.id = r.resource_id WHERE res.builtin = 0) AS api_groups,
              EXISTS (SELECT 1 FROM users WHERE kind = 'api') AS api_users,
              EXISTS (SELECT 1 FROM audit_events WHERE type = 'credentials.exported' AND outcome = 'success'
                                       AND target_user_id IS NOT NULL) AS exports`,
  );
  // PostgreSQL's EXISTS is a boolean, SQLite's 0 or 1.
  return { resources: Number(facts!.resources), api_groups: Number(facts!.api_groups), api_users: Number(facts!.api_users), exports: Number(facts!.exports) };
}
