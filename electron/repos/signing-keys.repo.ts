import type { Db } from '../db/open.js';
import type { PublicJwk, SigningAlg } from '../crypto/token-signer.js';

/** Token signing keys. The private key column holds the key wrapped by a KeyWrapper, never plain. */
export interface SigningKeyRecord {
  kid: string;
  alg: SigningAlg;
  publicJwk: PublicJwk;
  wrappedPrivateKey: Buffer;
  createdAt: number;
  retiredAt: number | null;
}

interface SigningKeyRow {
  kid: string;
  alg: SigningAlg;
  public_jwk: string;
  private_key: Buffer;
  created_at: number;
  retired_at: number | null;
}

const rowToKey = (r: SigningKeyRow): SigningKeyRecord => ({
  kid: r.kid,
  alg: r.alg,
  publicJwk: JSON.parse(r.public_jwk) as PublicJwk,
  wrappedPrivateKey: r.private_key,
  createdAt: r.created_at,
  retiredAt: r.retired_at,
});

export function insertSigningKey(db: Db, key: Omit<SigningKeyRecord, 'retiredAt'>): void {
  db.prepare(
    `INSERT INTO signing_keys (kid, alg, public_jwk, private_key, created_at, retired_at)
     VALUES (?, ?, ?, ?, ?, NULL)`,
  ).run(key.kid, key.alg, JSON.stringify(key.publicJwk), key.wrappedPrivateKey, key.createdAt);
}

/** The key that signs new tokens: the newest one not retired. */
export function findActiveSigningKey(db: Db): SigningKeyRecord | undefined {
  const row = db
    .prepare<[], SigningKeyRow>('SELECT * FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC, rowid DESC LIMIT 1')
    .get();
  return row && rowToKey(row);
}

/** Retires every active key but `keepKid` (normally none is left but the new one). */
export function retireSigningKeysExcept(db: Db, keepKid: string, now: number): string[] {
  const retired = db
    .prepare<[string], { kid: string }>('SELECT kid FROM signing_keys WHERE retired_at IS NULL AND kid <> ?')
    .all(keepKid)
    .map((r) => r.kid);
  db.prepare('UPDATE signing_keys SET retired_at = ? WHERE retired_at IS NULL AND kid <> ?').run(now, keepKid);
  return retired;
}

/** Keys to publish: the active ones and those retired after `retiredAfter` (their tokens may still be live). */
export function listPublishedSigningKeys(db: Db, retiredAfter: number): SigningKeyRecord[] {
  return db
    .prepare<[number], SigningKeyRow>(
      `SELECT * FROM signing_keys WHERE retired_at IS NULL OR retired_at > ?
       ORDER BY retired_at IS NOT NULL, created_at DESC, rowid DESC`,
    )
    .all(retiredAfter)
    .map(rowToKey);
}

export function listSigningKeys(db: Db): SigningKeyRecord[] {
  return db
    .prepare<[], SigningKeyRow>('SELECT * FROM signing_keys ORDER BY created_at DESC, rowid DESC')
    .all()
    .map(rowToKey);
}

/** A cheap fingerprint of the table: changes whenever a key is added or retired (by any process). */
export function signingKeysVersion(db: Db): string {
  const row = db
    .prepare<[], { n: number; created: number | null; retired: number | null }>(
      'SELECT count(*) AS n, max(created_at) AS created, max(retired_at) AS retired FROM signing_keys',
    )
    .get()!;
  return `${row.n}:${row.created ?? 0}:${row.retired ?? 0}`;
}
