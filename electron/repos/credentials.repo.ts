import type { Queryable } from '../db/store.js';

/** Client ids and client secrets. Secrets are stored only as argon2id hashes. */

export async function clientIdExists(q: Queryable, clientId: string): Promise<boolean> {
  return (await q.get('SELECT 1 AS one FROM credentials WHERE client_id = ?', [clientId])) !== undefined;
}

export async function insertClientId(q: Queryable, clientId: string, userId: number, now: number): Promise<void> {
  await q.run('INSERT INTO credentials (client_id, user_id, created_at) VALUES (?, ?, ?)', [clientId, userId, now]);
}

export async function findClientIdOfUser(q: Queryable, userId: number): Promise<string | undefined> {
  return (await q.get<{ client_id: string }>('SELECT client_id FROM credentials WHERE user_id = ?', [userId]))?.client_id;
}

export async function findUserIdByClientId(q: Queryable, clientId: string): Promise<number | undefined> {
  return (await q.get<{ user_id: number | null }>('SELECT user_id FROM credentials WHERE client_id = ?', [clientId]))?.user_id ?? undefined;
}

export interface SecretRecord {
  id: number;
  userId: number;
  label: string;
  secretHash: string;
  createdAt: number;
  createdBy: string;
  expiresAt: number | null;
  lastUsedAt: number | null;
  lastUsedIp: string | null;
  revokedAt: number | null;
}

interface SecretRow {
  id: number;
  user_id: number;
  label: string;
  secret_hash: string;
  created_at: number;
  created_by: string;
  expires_at: number | null;
  last_used_at: number | null;
  last_used_ip: string | null;
  revoked_at: number | null;
}

const rowToSecret = (r: SecretRow): SecretRecord => ({
  id: r.id,
  userId: r.user_id,
  label: r.label,
  secretHash: r.secret_hash,
  createdAt: r.created_at,
  createdBy: r.created_by,
  expiresAt: r.expires_at,
  lastUsedAt: r.last_used_at,
  lastUsedIp: r.last_used_ip,
  revokedAt: r.revoked_at,
});

export async function insertSecret(
  q: Queryable,
  secret: Pick<SecretRecord, 'userId' | 'label' | 'secretHash' | 'createdAt' | 'createdBy' | 'expiresAt'>,
): Promise<number> {
  const row = await q.get<{ id: number }>(
    `INSERT INTO client_secrets (user_id, label, secret_hash, created_at, created_by, expires_at)
     VALUES (@userId, @label, @secretHash, @createdAt, @createdBy, @expiresAt) RETURNING id`,
    {
      userId: secret.userId,
      label: secret.label,
      secretHash: secret.secretHash,
      createdAt: secret.createdAt,
      createdBy: secret.createdBy,
      expiresAt: secret.expiresAt,
    },
  );
  return row!.id;
}

export async function findSecret(q: Queryable, userId: number, secretId: number): Promise<SecretRecord | undefined> {
  const row = await q.get<SecretRow>('SELECT * FROM client_secrets WHERE id = ? AND user_id = ?', [secretId, userId]);
  return row && rowToSecret(row);
}

export async function listSecretsOfUser(q: Queryable, userId: number): Promise<SecretRecord[]> {
  const rows = await q.all<SecretRow>('SELECT * FROM client_secrets WHERE user_id = ? ORDER BY created_at DESC, id DESC', [userId]);
  return rows.map(rowToSecret);
}

/** Secrets that can authenticate at `now`: not revoked, not expired. Newest first. */
export async function listLiveSecretsOfUser(q: Queryable, userId: number, now: number): Promise<SecretRecord[]> {
  const rows = await q.all<SecretRow>(
    `SELECT * FROM client_secrets WHERE user_id = ? AND revoked_at IS NULL
       AND (expires_at IS NULL OR expires_at > ?) ORDER BY created_at DESC, id DESC`,
    [userId, now],
  );
  return rows.map(rowToSecret);
}

/** A secret's last use, kept when a later one was already recorded (uses can be recorded out of order). */
export const TOUCH_SECRET_SQL = `UPDATE client_secrets SET last_used_at = ?, last_used_ip = ?
  WHERE id = ? AND (last_used_at IS NULL OR last_used_at <= ?)`;

export async function recordSecretUse(q: Queryable, secretId: number, at: number, ip: string): Promise<void> {
  await q.run(TOUCH_SECRET_SQL, [at, ip, secretId, at]);
}

export async function setSecretExpiry(q: Queryable, secretId: number, expiresAt: number | null): Promise<void> {
  await q.run('UPDATE client_secrets SET expires_at = ? WHERE id = ?', [expiresAt, secretId]);
}

export async function revokeSecretRow(q: Queryable, secretId: number, now: number): Promise<void> {
  await q.run('UPDATE client_secrets SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [now, secretId]);
}
