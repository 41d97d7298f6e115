import type { Migration } from '../migrate.js';

/**
 * The nodes over one store (issue 10): each `keyrack serve` node upserts its row when it starts and every
 * few seconds after (db/node-heartbeat.ts), so `keyrack store status` can list the nodes seen in the last
 * minute. Nothing deletes a row: a node that stopped simply ages out of that minute.
 *
 * node is the node's name (its host name unless given); version the program's; started_at when this run
 * of it started and seen_at its last beat (epoch ms); url the address it serves at, when it knows one.
 */
export const storeNodes: Migration = {
  version: 130,
  name: 'store-nodes',
  up(db) {
    db.exec(`
      CREATE TABLE store_nodes (
        node       TEXT NOT NULL PRIMARY KEY,
        version    TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        seen_at    INTEGER NOT NULL,
        url        TEXT
      ) STRICT;
    `);
  },
  postgres: `
    CREATE TABLE store_nodes (
      node       TEXT NOT NULL PRIMARY KEY,
      version    TEXT NOT NULL,
      started_at BIGINT NOT NULL,
      seen_at    BIGINT NOT NULL,
      url        TEXT
    );
  `,
};
