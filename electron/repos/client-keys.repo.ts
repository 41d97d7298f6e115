import type { ClientKeyAlg } from '../../shared/domain.js';
import type { Queryable } from '../db/store.js';

/**
 * API users' public keys for private_key_jwt (migration 0100). The JWK is JSON text here and an object
 * everywhere else (rowToClientKey). Adding a column: also update ClientKeyRow, rowToClientKey and
 * services/client-keys.service.ts toInfo.
 */

export interface ClientKeyRecord {
  id: number;
  userId: number;
  kid: string;
  alg: ClientKeyAlg;
  publicJwk: Record<string, unknown>;
  label: string;
  createdAt: number;
  createdBy: string;
  expiresAt: number | null;
  lastUsedAt: number | null;
  lastUsedIp: string | null;
  revokedAt: number | null;
}

interface ClientKeyRow {
  id: number;
  user_id: number;
  kid: string;
  alg: ClientKeyAlg;
  public_jwk: string;
  label: string;
  created_at: number;
  created_by: string;
  expires_at: number | null;
  last_used_at: number | null;
  last_used_ip: string | null;
  revoked_at: number | null;
}

const rowToClientKey = (r: ClientKeyRow): ClientKeyRecord => ({
  id: r.id,
  userId: r.user_id,
  kid: r.kid,
  alg: r.alg,
  publicJwk: JSON.parse(r.public_jwk) as Record<string, unknown>,
  label: r.label,
  createdAt: r.created_at,
  createdBy: r.created_by,
  expiresAt: r.expires_at,
  lastUsedAt: r.last_used_at,
  lastUsedIp: r.last_used_ip,
  revokedAt: r.revoked_at,
});

export async function insertClientKey(
  q: Queryable,
  key: Pick<ClientKeyRecord, 'userId' | 'kid' | 'alg' | 'publicJwk' | 'label' | 'createdAt' | 'createdBy' | 'expiresAt'>,
): Promise<number> {
  const row = await q.get<{ id: number }>(
    `INSERT INTO client_keys (user_id, kid, alg, public_jwk, label, created_at, created_by, expires_at)
     VALUES (@userId, @kid, @alg, @publicJwk, @label, @createdAt, @createdBy, @expiresAt) RETURNING id`,
    {
      userId: key.userId,
      kid: key.kid,
      alg: key.alg,
      publicJwk: JSON.stringify(key.publicJwk),
      label: key.label,
      createdAt: key.createdAt,
      createdBy: key.createdBy,
      expiresAt: key.expiresAt,
    },
  );
  return row!.id;
}

export async function findClientKeyByKid(q: Queryable, userId: number, kid: string): Promise<ClientKeyRecord | undefined> {
  const row = await q.get<ClientKeyRow>('SELECT * FROM client_keys WHERE user_id = ? AND kid = ?', [userId, kid]);
  return row && rowToClientKey(row);
}

export async function findClientKey(q: Queryable, userId: number, keyId: number): Promise<ClientKeyRecord | undefined> {
  const row = await q.get<ClientKeyRow>('SELECT * FROM client_keys WHERE id = ? AND user_id = ?', [keyId, userId]);
  return row && rowToClientKey(row);
}

const KEYS_OF_USER = 'SELECT * FROM client_keys WHERE user_id = ? ORDER BY created_at DESC, id DESC';

/** Every key of the user, newest first: live, expired and revoked alike (the page and the CLI show them all). */
export async function listClientKeysOfUser(q: Queryable, userId: number): Promise<ClientKeyRecord[]> {
  return (await q.all<ClientKeyRow>(KEYS_OF_USER, [userId])).map(rowToClientKey);
}

export async function revokeClientKeyRow(q: Queryable, keyId: number, now: number): Promise<void> {
  await q.run('UPDATE client_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [now, keyId]);
}

/** A key's last use, kept when a later one was already recorded (token-events.repo.ts, with each audit batch). */
export async function recordClientKeyUse(q: Queryable, keyId: number, at: number, ip: string): Promise<void> {
  await q.run(
    `UPDATE client_keys SET last_used_at = ?, last_used_ip = ?
     WHERE id = ? AND (last_used_at IS NULL OR last_used_at <= ?)`,
    [at, ip, keyId, at],
  );
}
