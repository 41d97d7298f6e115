import type { Migration } from '../migrate.js';

/**
 * Keyrack's own certificate authority, in the store (issue 10: one CA for every node over one store, so
 * integrators trust one certificate). Until now it lived in each data folder's tls/ directory; the first
 * node to load its TLS material moves a CA found there into this table (crypto/tls.ts), or creates one.
 * Each node's server certificate stays in its own data folder (its names and addresses).
 *
 * purpose: what the CA vouches for, one row each; only 'server' (the token server's certificates) today.
 * cert_pem: the CA certificate (its name constraints are in it). wrapped_key: its PKCS#8 private key
 * wrapped by the nodes' KeyWrapper (the master key), never plain. fingerprint: SHA-256 of the certificate's
 * DER as tls.ts prints it, for lookups and logs without parsing. origin: 'created' in the store, or
 * 'adopted' from a data folder's tls/ (same certificate, same fingerprint). created_at: epoch ms.
 */
export const tlsAuthorities: Migration = {
  version: 140,
  name: 'tls-authorities',
  up(db) {
    db.exec(`
      CREATE TABLE tls_authorities (
        purpose     TEXT NOT NULL PRIMARY KEY CHECK (purpose IN ('server')),
        cert_pem    TEXT NOT NULL,
        wrapped_key BLOB NOT NULL,
        fingerprint TEXT NOT NULL,
        origin      TEXT NOT NULL CHECK (origin IN ('created', 'adopted')),
        created_at  INTEGER NOT NULL
      ) STRICT;
    `);
  },
  postgres: `
    CREATE TABLE tls_authorities (
      purpose     TEXT NOT NULL PRIMARY KEY CHECK (purpose IN ('server')),
      cert_pem    TEXT NOT NULL,
      wrapped_key BYTEA NOT NULL,
      fingerprint TEXT NOT NULL,
      origin      TEXT NOT NULL CHECK (origin IN ('created', 'adopted')),
      created_at  BIGINT NOT NULL
    );
  `,
};
