import type { Queryable } from '../db/store.js';
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

/*
 * The admin side (rotation, the list) runs through the Store port; the token server's KeyRing reads with
 * the synchronous `…Now` readers on its own connection, over the same statements, which both engines speak.
 * Two keys created in one millisecond (a rotation right after the first start) are told apart by what
 * both engines have (SQLite's rowid, the old tie-break, has no PostgreSQL twin): the active one first, then
 * the one retired last, then the kid, so the order is the same on both.
 */
const INSERT_SQL = `INSERT INTO signing_keys (kid, alg, public_jwk, private_key, created_at, retired_at)
     VALUES (?, ?, ?, ?, ?, NULL)`;
const NEWEST_FIRST = 'created_at DESC, retired_at IS NULL DESC, retired_at DESC, kid DESC';
const ACTIVE_SQL = `SELECT * FROM signing_keys WHERE retired_at IS NULL ORDER BY ${NEWEST_FIRST} LIMIT 1`;
const PUBLISHED_SQL = `SELECT * FROM signing_keys WHERE retired_at IS NULL OR retired_at > ?
       ORDER BY retired_at IS NOT NULL, ${NEWEST_FIRST}`;
const ALL_SQL = `SELECT * FROM signing_keys ORDER BY ${NEWEST_FIRST}`;
const VERSION_SQL = 'SELECT count(*) AS n, max(created_at) AS created, max(retired_at) AS retired FROM signing_keys';

export async function insertSigningKey(q: Queryable, key: Omit<SigningKeyRecord, 'retiredAt'>): Promise<void> {
  await q.run(INSERT_SQL, [key.kid, key.alg, JSON.stringify(key.publicJwk), key.wrappedPrivateKey, key.createdAt]);
}

/** The key that signs new tokens: the newest one not retired. */
export async function findActiveSigningKey(q: Queryable): Promise<SigningKeyRecord | undefined> {
  const row = await q.get<SigningKeyRow>(ACTIVE_SQL);
  return row && rowToKey(row);
}

/** Retires every active key but `keepKid` (normally none is left but the new one). */
export async function retireSigningKeysExcept(q: Queryable, keepKid: string, now: number): Promise<string[]> {
  const retired = (await q.all<{ kid: string }>('SELECT kid FROM signing_keys WHERE retired_at IS NULL AND kid <> ?', [keepKid])).map((r) => r.kid);
  await q.run('UPDATE signing_keys SET retired_at = ? WHERE retired_at IS NULL AND kid <> ?', [now, keepKid]);
  return retired;
}

/** Keys to publish (the token server's JWKS): the active ones and those retired after `retiredAfter` (their tokens may still be live). */
export async function listPublishedSigningKeys(q: Queryable, retiredAfter: number): Promise<SigningKeyRecord[]> {
  return (await q.all<SigningKeyRow>(PUBLISHED_SQL, [retiredAfter])).map(rowToKey);
}

export async function listSigningKeys(q: Queryable): Promise<SigningKeyRecord[]> {
  return (await q.all<SigningKeyRow>(ALL_SQL)).map(rowToKey);
}

/** A cheap fingerprint of the table: changes whenever a key is added or retired (by any process, on any node). */
export async function signingKeysVersion(q: Queryable): Promise<string> {
  const row = (await q.get<{ n: number; created: number | null; retired: number | null }>(VERSION_SQL))!;
  return `${row.n}:${row.created ?? 0}:${row.retired ?? 0}`;
}
