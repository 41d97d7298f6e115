import type { Migration } from '../migrate.js';

/**
 * The addresses each client authenticated from, with when it last did (token-server back-off: a flood
 * against a client id does not lock the client out from its own addresses). Before, they lived only in the
 * server's memory, 16 per client: a restart, a second node or a pool of workers lost them. Rows are kept for
 * 30 days after the last success, at most 1024 per client (client-addresses.repo.ts); the table starts
 * with the last-use address every secret already has, so an upgraded store knows its clients at once.
 */
export const clientAddresses: Migration = {
  version: 90,
  name: 'client-addresses',
  up(db) {
    db.exec(`
      CREATE TABLE client_addresses (
        client_id    TEXT NOT NULL REFERENCES credentials (client_id) ON DELETE CASCADE,
        ip           TEXT NOT NULL,
        last_seen_at INTEGER NOT NULL,
        PRIMARY KEY (client_id, ip)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX client_addresses_seen ON client_addresses (last_seen_at);
      INSERT INTO client_addresses (client_id, ip, last_seen_at)
        SELECT c.client_id, s.last_used_ip, max(s.last_used_at)
        FROM client_secrets s JOIN credentials c ON c.user_id = s.user_id
        WHERE s.last_used_ip IS NOT NULL AND s.last_used_at IS NOT NULL
        GROUP BY c.client_id, s.last_used_ip;
    `);
  },
  postgres: `
    CREATE TABLE client_addresses (
      client_id    TEXT NOT NULL REFERENCES credentials (client_id) ON DELETE CASCADE,
      ip           TEXT NOT NULL,
      last_seen_at BIGINT NOT NULL,
      PRIMARY KEY (client_id, ip)
    );
    CREATE INDEX client_addresses_seen ON client_addresses (last_seen_at);
    INSERT INTO client_addresses (client_id, ip, last_seen_at)
      SELECT c.client_id, s.last_used_ip, max(s.last_used_at)
      FROM client_secrets s JOIN credentials c ON c.user_id = s.user_id
      WHERE s.last_used_ip IS NOT NULL AND s.last_used_at IS NOT NULL
      GROUP BY c.client_id, s.last_used_ip;
  `,
};
