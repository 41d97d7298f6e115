import type { Db } from '../db/open.js';

/** Revoked access tokens by jti (RFC 7009), kept until they would have expired. */

/** Returns false when the token was already revoked. */
export function insertRevokedToken(db: Db, jti: string, clientId: string, expiresAt: number, now: number): boolean {
  return (
    db
      .prepare('INSERT OR IGNORE INTO revoked_tokens (jti, client_id, expires_at, revoked_at) VALUES (?, ?, ?, ?)')
      .run(jti, clientId, expiresAt, now).changes > 0
  );
}

export function isTokenRevoked(db: Db, jti: string): boolean {
  return db.prepare('SELECT 1 FROM revoked_tokens WHERE jti = ?').get(jti) !== undefined;
}

/** Drops rows of tokens that have expired: a revocation of an expired token says nothing more. */
export function purgeExpiredRevocations(db: Db, now: number): number {
  return db.prepare('DELETE FROM revoked_tokens WHERE expires_at <= ?').run(now).changes;
}
