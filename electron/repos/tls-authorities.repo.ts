import type { Queryable } from '../db/store.js';

/**
 * Keyrack's certificate authority in the store (migration 0140's tls_authorities), one row per purpose.
 * The key column holds the private key wrapped by the nodes' KeyWrapper, never plain; crypto/tls.ts is the
 * only caller and owns the rules (who creates, adoption from a data folder, replacement on expiry).
 */
export type TlsAuthorityPurpose = 'server';

export interface TlsAuthorityRecord {
  purpose: TlsAuthorityPurpose;
  certPem: string;
  wrappedKey: Buffer;
  fingerprint: string;
  origin: 'created' | 'adopted';
  createdAt: number;
}

interface TlsAuthorityRow {
  purpose: TlsAuthorityPurpose;
  cert_pem: string;
  wrapped_key: Buffer;
  fingerprint: string;
  origin: 'created' | 'adopted';
  created_at: number;
}

// Adding a column: also update rowToAuthority and insertTlsAuthorityIfAbsent.
const rowToAuthority = (r: TlsAuthorityRow): TlsAuthorityRecord => ({
  purpose: r.purpose,
  certPem: r.cert_pem,
  wrappedKey: r.wrapped_key,
  fingerprint: r.fingerprint,
  origin: r.origin,
  createdAt: r.created_at,
});

export async function findTlsAuthority(q: Queryable, purpose: TlsAuthorityPurpose): Promise<TlsAuthorityRecord | undefined> {
  const row = await q.get<TlsAuthorityRow>('SELECT * FROM tls_authorities WHERE purpose = ?', [purpose]);
  return row && rowToAuthority(row);
}

/**
 * Stores `record` unless the purpose already has a CA; returns whether this one was stored. Two nodes that
 * create at once both get false but one: the loser reads the winner back (findTlsAuthority) and uses it.
 */
export async function insertTlsAuthorityIfAbsent(q: Queryable, record: TlsAuthorityRecord): Promise<boolean> {
  const inserted = await q.run(
    `INSERT INTO tls_authorities (purpose, cert_pem, wrapped_key, fingerprint, origin, created_at)
     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (purpose) DO NOTHING`,
    [record.purpose, record.certPem, record.wrappedKey, record.fingerprint, record.origin, record.createdAt],
  );
  return inserted.changes === 1;
}

/**
 * Removes the purpose's CA, only if it is still the one with `fingerprint` when given (a node replacing an
 * expired CA must not throw away the new one another node stored meanwhile). Returns whether a row went.
 */
export async function deleteTlsAuthority(q: Queryable, purpose: TlsAuthorityPurpose, fingerprint?: string): Promise<boolean> {
  const deleted = fingerprint === undefined
    ? await q.run('DELETE FROM tls_authorities WHERE purpose = ?', [purpose])
    : await q.run('DELETE FROM tls_authorities WHERE purpose = ? AND fingerprint = ?', [purpose, fingerprint]);
  return deleted.changes > 0;
}
