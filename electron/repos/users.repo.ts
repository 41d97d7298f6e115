import { byName, idsIn, likeOperator, sameName } from './dialect.js';
import type { Queryable } from '../db/store.js';
import type { UserKind, UserStatus } from '../../shared/domain.js';
import type { UserSummary } from '../../shared/dto.js';
import { hasExpired } from '../../shared/liveness.js';

/** A users row as the services see it. Adding a column: also update rowToUser and insertUser. */
export interface UserRecord {
  id: number;
  kind: UserKind;
  name: string;
  email: string | null;
  description: string;
  status: UserStatus;
  expiresAt: number | null;
  passwordHash: string | null;
  tokenLifetimeSeconds: number | null;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
}

interface UserRow {
  id: number;
  kind: UserKind;
  name: string;
  email: string | null;
  description: string;
  status: UserStatus;
  expires_at: number | null;
  password_hash: string | null;
  token_lifetime_seconds: number | null;
  created_at: number;
  created_by: string;
  updated_at: number;
}

const rowToUser = (r: UserRow): UserRecord => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  email: r.email,
  description: r.description,
  status: r.status,
  expiresAt: r.expires_at,
  passwordHash: r.password_hash,
  tokenLifetimeSeconds: r.token_lifetime_seconds,
  createdAt: r.created_at,
  createdBy: r.created_by,
  updatedAt: r.updated_at,
});

export type NewUser = Omit<UserRecord, 'id' | 'updatedAt'>;

export async function insertUser(q: Queryable, user: NewUser): Promise<number> {
  const row = await q.get<{ id: number }>(
    `INSERT INTO users (kind, name, email, description, status, expires_at, password_hash,
       token_lifetime_seconds, created_at, created_by, updated_at)
     VALUES (@kind, @name, @email, @description, @status, @expiresAt, @passwordHash,
       @tokenLifetimeSeconds, @createdAt, @createdBy, @createdAt) RETURNING id`,
    {
      kind: user.kind,
      name: user.name,
      email: user.email,
      description: user.description,
      status: user.status,
      expiresAt: user.expiresAt,
      passwordHash: user.passwordHash,
      tokenLifetimeSeconds: user.tokenLifetimeSeconds,
      createdAt: user.createdAt,
      createdBy: user.createdBy,
    },
  );
  return row!.id;
}

export async function findUserById(q: Queryable, id: number): Promise<UserRecord | undefined> {
  const row = await q.get<UserRow>('SELECT * FROM users WHERE id = ?', [id]);
  return row && rowToUser(row);
}

export async function findUserByName(q: Queryable, name: string): Promise<UserRecord | undefined> {
  const row = await q.get<UserRow>(`SELECT * FROM users WHERE ${sameName(q, 'name')}`, [name]);
  return row && rowToUser(row);
}

export async function countPersons(q: Queryable): Promise<number> {
  return (await q.get<{ n: number }>(`SELECT count(*) AS n FROM users WHERE kind = 'person'`))!.n;
}

export type UserPatch = Partial<
  Pick<UserRecord, 'name' | 'email' | 'description' | 'status' | 'expiresAt' | 'passwordHash' | 'tokenLifetimeSeconds'>
>;

const PATCH_COLUMNS: Record<keyof UserPatch, string> = {
  name: 'name',
  email: 'email',
  description: 'description',
  status: 'status',
  expiresAt: 'expires_at',
  passwordHash: 'password_hash',
  tokenLifetimeSeconds: 'token_lifetime_seconds',
};

export async function updateUser(q: Queryable, id: number, patch: UserPatch, now: number): Promise<void> {
  const keys = (Object.keys(patch) as (keyof UserPatch)[]).filter((k) => patch[k] !== undefined);
  const sets = keys.map((k) => `${PATCH_COLUMNS[k]} = @${k}`);
  await q.run(`UPDATE users SET ${[...sets, 'updated_at = @now'].join(', ')} WHERE id = @id`, {
    ...Object.fromEntries(keys.map((k) => [k, patch[k] ?? null])),
    id,
    now,
  });
}

export async function deleteUser(q: Queryable, id: number): Promise<void> {
  await q.run('DELETE FROM users WHERE id = ?', [id]);
}

// --- the users table ------------------------------------------------------------------------------

export interface UserListQuery {
  search?: string | undefined;
  kind?: UserKind | undefined;
  status?: UserStatus | 'expired' | undefined;
  groupId?: number | undefined;
  sort: 'name' | 'createdAt' | 'lastUsedAt' | 'expiresAt';
  order: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

/**
 * Whitelisted ORDER BY expressions: the sort key never reaches SQL as text from outside. Names sort
 * case-insensitively on both engines (byName, dialect.ts); ties go by id.
 */
const SORT_SQL: Record<Exclude<UserListQuery['sort'], 'name'>, string> = {
  createdAt: 'u.created_at',
  lastUsedAt: 'last_used_at',
  expiresAt: 'u.expires_at',
};

interface SummaryRow extends UserRow {
  client_id: string | null;
  last_used_at: number | null;
  last_used_ip: string | null;
  next_secret_expiry: number | null;
}

const SUMMARY_SELECT = `
  SELECT u.*, c.client_id,
    lu.last_used_at, lu.last_used_ip,
    (SELECT min(s.expires_at) FROM client_secrets s
      WHERE s.user_id = u.id AND s.revoked_at IS NULL AND s.expires_at > @now) AS next_secret_expiry
  FROM users u
  LEFT JOIN credentials c ON c.user_id = u.id
  LEFT JOIN (
    SELECT user_id, last_used_at, last_used_ip,
      row_number() OVER (PARTITION BY user_id ORDER BY last_used_at DESC) AS rn
    FROM client_secrets WHERE last_used_at IS NOT NULL
  ) lu ON lu.user_id = u.id AND lu.rn = 1`;

// Each optional filter's first use says its type: PostgreSQL cannot type a bare `$1 IS NULL`.
const listWhere = (q: Queryable) => `
  WHERE (CAST(@kind AS TEXT) IS NULL OR u.kind = @kind)
    AND (CAST(@status AS TEXT) IS NULL
      OR (@status = 'expired' AND u.expires_at <= @now)
      OR (@status = 'active' AND u.status = 'active' AND (u.expires_at IS NULL OR u.expires_at > @now))
      OR (@status = 'disabled' AND u.status = 'disabled'))
    AND (CAST(@groupId AS BIGINT) IS NULL OR EXISTS
      (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.group_id = @groupId))
    AND (CAST(@pattern AS TEXT) IS NULL OR ${searchIn(q, ['u.name', 'u.email', 'u.description', 'c.client_id'])})`;

/** The search pattern in any of `columns`, case-insensitively on both engines. */
const searchIn = (q: Queryable, columns: string[]) => columns.map((c) => `${c} ${likeOperator(q)} @pattern ESCAPE '\\'`).join(' OR ');

export async function listUsers(q: Queryable, query: UserListQuery, now: number): Promise<{ total: number; rows: UserSummary[] }> {
  const params = {
    now,
    kind: query.kind ?? null,
    status: query.status ?? null,
    groupId: query.groupId ?? null,
    pattern: query.search ? `%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null,
  };
  const total = (await q.get<{ n: number }>(
    `SELECT count(*) AS n FROM users u LEFT JOIN credentials c ON c.user_id = u.id ${listWhere(q)}`,
    params,
  ))!.n;
  const direction = query.order === 'desc' ? 'DESC' : 'ASC';
  const key = query.sort === 'name' ? null : SORT_SQL[query.sort];
  const orderBy = key === null
    ? `${byName(q, 'u.name COLLATE NOCASE', direction)}, u.id ${direction}`
    : `${key} IS NULL, ${key} ${direction}, u.id ${direction}`;
  const rows = await q.all<SummaryRow>(
    `${SUMMARY_SELECT} ${listWhere(q)}
     ORDER BY ${orderBy}
     LIMIT @limit OFFSET @offset`,
    { ...params, limit: query.pageSize, offset: (query.page - 1) * query.pageSize },
  );
  const groups = await groupsOfUsers(q, rows.map((r) => r.id));
  return { total, rows: rows.map((r) => rowToSummary(r, groups.get(r.id) ?? [], now)) };
}

export async function findUserSummary(q: Queryable, id: number, now: number): Promise<UserSummary | undefined> {
  const row = await q.get<SummaryRow>(`${SUMMARY_SELECT} WHERE u.id = @id`, { id, now });
  return row && rowToSummary(row, (await groupsOfUsers(q, [id])).get(id) ?? [], now);
}

async function groupsOfUsers(q: Queryable, userIds: number[]): Promise<Map<number, { id: number; name: string }[]>> {
  const byUser = new Map<number, { id: number; name: string }[]>();
  if (userIds.length === 0) return byUser;
  const rows = await q.all<{ user_id: number; id: number; name: string }>(
    `SELECT m.user_id, g.id, g.name FROM memberships m JOIN groups g ON g.id = m.group_id
     WHERE m.user_id IN ${idsIn(q)} ORDER BY ${byName(q, 'g.name')}`,
    [JSON.stringify(userIds)],
  );
  for (const r of rows) {
    const list = byUser.get(r.user_id) ?? [];
    list.push({ id: r.id, name: r.name });
    byUser.set(r.user_id, list);
  }
  return byUser;
}

function rowToSummary(r: SummaryRow, groups: { id: number; name: string }[], now: number): UserSummary {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    email: r.email,
    description: r.description,
    status: r.status,
    expired: hasExpired(r.expires_at, now),
    expiresAt: r.expires_at,
    createdAt: r.created_at,
    createdBy: r.created_by,
    clientId: r.client_id,
    lastUsedAt: r.last_used_at,
    lastUsedIp: r.last_used_ip,
    nextSecretExpiry: r.next_secret_expiry,
    groups,
  };
}
