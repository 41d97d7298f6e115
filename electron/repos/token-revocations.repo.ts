import type { Queryable } from '../db/store.js';

/** Revoked access tokens by jti (RFC 7009), kept until they would have expired. */

/** Returns false when the token was already revoked. */
export async function insertRevokedToken(tx: Queryable, jti: string, clientId: string, expiresAt: number, now: number): Promise<boolean> {
  const inserted = await tx.run('INSERT INTO revoked_tokens (jti, client_id, expires_at, revoked_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', [
    jti,
    clientId,
    expiresAt,
    now,
  ]);
  return inserted.changes > 0;
}

export async function isTokenRevoked(q: Queryable, jti: string): Promise<boolean> {
  return (await q.get('SELECT 1 FROM revoked_tokens WHERE jti = ?', [jti])) !== undefined;
}

/** Drops rows of tokens that have expired: a revocation of an expired token says nothing more. */
export async function purgeExpiredRevocations(tx: Queryable, now: number): Promise<number> {
  return (await tx.run('DELETE FROM revoked_tokens WHERE expires_at <= ?', [now])).changes;
}
