import type { Migration } from '../migrate.js';

/**
 * The log's derived indexes (the full-text index of migration 0060, the hourly and daily activity counts of
 * 0070 and 0072) leave the insert path. Three triggers made every appended event cost about three times
 * what the append itself costs (measured: 172 µs a row with them, 64 µs without, test bench 2 000-row
 * batches), and the token server appends one event per request before it may answer. Now an event is
 * durable and chained when appended; the indexes follow from a high-water mark (audit-index.repo.ts),
 * brought up to date in the background by the token server's audit writer and by every reader that needs
 * them before it reads. Every event already in the store was indexed by the old triggers.
 */
export const auditIndexCatchUp: Migration = {
  version: 80,
  name: 'audit-index-catch-up',
  up(db) {
    db.exec(`
      DROP TRIGGER audit_events_fts;
      DROP TRIGGER audit_events_activity;
      DROP TRIGGER audit_events_activity_daily;

      CREATE TABLE audit_index_state (
        only        INTEGER PRIMARY KEY CHECK (only = 1),
        through_id  INTEGER NOT NULL
      ) STRICT;
      INSERT INTO audit_index_state (only, through_id) SELECT 1, coalesce(max(id), 0) FROM audit_events;
    `);
  },
};
