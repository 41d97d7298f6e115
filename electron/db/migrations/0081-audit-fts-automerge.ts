import type { Migration } from '../migrate.js';

/**
 * The search index merges its segments less eagerly: FTS5's `automerge` from its default 4 to 8 (merge
 * once 8 segments of a level exist). The index follows the log in small steps (index-follower.ts), and with
 * the default most of a step was merging what the previous steps wrote. Measured on the bench:log store,
 * re-indexing 1 000 407 events in steps of 250 like the follower: 89.5 µs an event with 4, 63.2 with 8.
 * Searches consult a few more segments: bench:log's slowest query (all filters and text) went from 9.2 to
 * 10.4 ms at p50, far under the 50 ms a page allowed. The setting is stored in the index itself.
 */
export const auditFtsAutomerge: Migration = {
  version: 81,
  name: 'audit-fts-automerge',
  up(db) {
    db.exec(`INSERT INTO audit_fts (audit_fts, rank) VALUES ('automerge', 8)`);
  },
  // An FTS5 setting. A GIN index has no segments to merge; its pending list is the nearest thing, and its
  // default is kept until the PostgreSQL log is measured.
  postgres: null,
};
