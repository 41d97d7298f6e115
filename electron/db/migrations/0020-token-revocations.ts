import type { Migration } from '../migrate.js';

/**
 * Revoked access tokens (RFC 7009), by jti, until they would have expired anyway; introspection (RFC 7662)
 * answers inactive for them. Rows past `expires_at` carry no information and are purged.
 */
export const tokenRevocations: Migration = {
  version: 20,
  name: 'token-revocations',
  up(db) {
    db.exec(`
      CREATE TABLE revoked_tokens (
        jti        TEXT PRIMARY KEY,
        client_id  TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        revoked_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX revoked_tokens_expires ON revoked_tokens (expires_at);
    `);
  },
  postgres: `
    CREATE TABLE revoked_tokens (
      jti        TEXT PRIMARY KEY,
      client_id  TEXT NOT NULL,
      expires_at BIGINT NOT NULL,
      revoked_at BIGINT NOT NULL
    );
    CREATE INDEX revoked_tokens_expires ON revoked_tokens (expires_at);
  `,
};
