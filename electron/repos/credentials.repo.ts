import type { Db } from '../db/open.js';

/** Client ids and client secrets. Secrets are stored only as argon2id hashes. */

export function clientIdExists(db: Db, clientId: string): boolean {
  return db.prepare('SELECT 1 FROM credentials WHERE client_id = ?').get(clientId) !== undefined;
}

export function insertClientId(db: Db, clientId: string, userId: number, now: number): void {
  db.prepare('INSERT INTO credentials (client_id, user_id, created_at) VALUES (?, ?, ?)').run(clientId, userId, now);
}

export function findClientIdOfUser(db: Db, userId: number): string | undefined {
  return db.prepare<[number], { client_id: string }>('SELECT client_id FROM credentials WHERE user_id = ?').get(userId)
    ?.client_id;
}

export function findUserIdByClientId(db: Db, clientId: string): number | undefined {
  return (
    db.prepare<[string], { user_id: number | null }>('SELECT user_id FROM credentials WHERE client_id = ?').get(clientId)
      ?.user_id ?? undefined
  );
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

export function insertSecret(
  db: Db,
  secret: Pick<SecretRecord, 'userId' | 'label' | 'secretHash' | 'createdAt' | 'createdBy' | 'expiresAt'>,
): number {
  const result = db
    .prepare(
      `INSERT INTO client_secrets (user_id, label, secret_hash, created_at, created_by, expires_at)
       VALUES (@userId, @label, @secretHash, @createdAt, @createdBy, @expiresAt)`,
    )
    .run(secret);
  return Number(result.lastInsertRowid);
}

export function findSecret(db: Db, userId: number, secretId: number): SecretRecord | undefined {
  const row = db
    .prepare<[number, number], SecretRow>('SELECT * FROM client_secrets WHERE id = ? AND user_id = ?')
    .get(secretId, userId);
  return row && rowToSecret(row);
}

export function listSecretsOfUser(db: Db, userId: number): SecretRecord[] {
  return db
    .prepare<[number], SecretRow>('SELECT * FROM client_secrets WHERE user_id = ? ORDER BY created_at DESC, id DESC')
    .all(userId)
    .map(rowToSecret);
}

/** Secrets that can authenticate at `now`: not revoked, not expired. Newest first. */
export function listLiveSecretsOfUser(db: Db, userId: number, now: number): SecretRecord[] {
  return db
    .prepare<[number, number], SecretRow>(
      `SELECT * FROM client_secrets WHERE user_id = ? AND revoked_at IS NULL
         AND (expires_at IS NULL OR expires_at > ?) ORDER BY created_at DESC, id DESC`,
    )
    .all(userId, now)
    .map(rowToSecret);
}

export function setSecretExpiry(db: Db, secretId: number, expiresAt: number | null): void {
  db.prepare('UPDATE client_secrets SET expires_at = ? WHERE id = ?').run(expiresAt, secretId);
}

export function revokeSecretRow(db: Db, secretId: number, now: number): void {
  db.prepare('UPDATE client_secrets SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, secretId);
}
