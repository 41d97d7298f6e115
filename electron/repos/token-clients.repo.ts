import type { Queryable } from '../db/store.js';
import type { UserStatus } from '../../shared/domain.js';

/**
 * What the token endpoint reads per request: the client behind a client id and the hashes to check its
 * secret against, through the Store port (the server's own SQLite connection, or the PostgreSQL pool every
 * node shares). The SQL is written once for both engines: quoted camelCase aliases, named subqueries.
 */

export interface TokenClient {
  clientId: string;
  /** null: the API user was deleted (the client id is kept so it is never reused). */
  userId: number | null;
  userName: string | null;
  status: UserStatus | null;
  expiresAt: number | null;
  tokenLifetimeSeconds: number | null;
  /** 1: registered with an activation that needs approval, and not approved yet (its tokens are refused). */
  pending: number | null;
}

export function findTokenClient(q: Queryable, clientId: string): Promise<TokenClient | undefined> {
  return q.get<TokenClient>(
    `SELECT c.client_id AS "clientId", u.id AS "userId", u.name AS "userName", u.status AS status,
       u.expires_at AS "expiresAt", u.token_lifetime_seconds AS "tokenLifetimeSeconds",
       (SELECT 1 FROM client_registrations r WHERE r.client_id = c.client_id AND r.state = 'pending') AS pending
     FROM credentials c LEFT JOIN users u ON u.id = c.user_id AND u.kind = 'api' WHERE c.client_id = ?`,
    [clientId],
  );
}

export interface SecretToCheck {
  id: number;
  secretHash: string;
  expiresAt: number | null;
  revokedAt: number | null;
}

/**
 * The secrets a presented one is compared with: every live secret (newest first), then the few most
 * recently ended ones, so a client still using a revoked or expired secret gets that reason in the log.
 */
export function secretsToCheck(q: Queryable, userId: number, now: number, endedToo: number): Promise<SecretToCheck[]> {
  return q.all<SecretToCheck>(
    `SELECT id, secret_hash AS "secretHash", expires_at AS "expiresAt", revoked_at AS "revokedAt" FROM (
       SELECT id, secret_hash, expires_at, revoked_at, created_at, 0 AS ended
       FROM client_secrets WHERE user_id = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)
       UNION ALL
       SELECT * FROM (
         SELECT id, secret_hash, expires_at, revoked_at, created_at, 1 AS ended FROM client_secrets
         WHERE user_id = ? AND (revoked_at IS NOT NULL OR expires_at <= ?)
         ORDER BY coalesce(revoked_at, expires_at) DESC LIMIT ?) AS recently_ended
     ) AS candidates ORDER BY ended, created_at DESC, id DESC`,
    [userId, now, userId, now, endedToo],
  );
}

/** One secret's state, re-read on every request that a cached verification answers. */
export function findSecretState(q: Queryable, secretId: number): Promise<Pick<SecretToCheck, 'expiresAt' | 'revokedAt'> | undefined> {
  return q.get<Pick<SecretToCheck, 'expiresAt' | 'revokedAt'>>(
    'SELECT expires_at AS "expiresAt", revoked_at AS "revokedAt" FROM client_secrets WHERE id = ?',
    [secretId],
  );
}

/**
 * The scopes an API user registered through an activation asked for (RFC 7591 `scope`), which its tokens
 * are held to; null when it asked for none (everything its groups give) or was not registered that way.
 * Read with the rights it narrows (grant-facts.ts), so cached as long as they are.
 */
export async function registeredScopeOfUser(q: Queryable, userId: number): Promise<string[] | null> {
  const row = await q.get<{ metadata: string }>('SELECT metadata FROM client_registrations WHERE user_id = ? ORDER BY id DESC LIMIT 1', [userId]);
  if (!row) return null;
  const scope = (JSON.parse(row.metadata) as { scope?: unknown }).scope;
  return Array.isArray(scope) ? scope.filter((s): s is string => typeof s === 'string') : null;
}
