import type { Migration } from '../migrate.js';

/**
 * The log at scale (millions of events): an index for every filter the UI offers, each ending in the id
 * so "newest first, next page" walks the index backwards without sorting, and a contentless full-text
 * index for free-text search. Times follow ids (insertAuditEvent keeps `at` non-decreasing), so a time
 * range becomes an id range found with two lookups in the `at` index.
 */
export const auditSearch: Migration = {
  version: 60,
  name: 'audit-search',
  up(db) {
    db.exec(`
      DROP INDEX audit_events_actor;
      CREATE INDEX audit_events_actor ON audit_events (actor_name COLLATE NOCASE, id);
      CREATE INDEX audit_events_source_ip ON audit_events (source_ip, id);
      CREATE INDEX audit_events_target_type ON audit_events (target_user_id, type, id);
      CREATE INDEX audit_events_type_outcome ON audit_events (type, outcome, id);

      -- Contentless: the text lives in audit_events; this holds only the index. contentless_delete lets
      -- retention remove pruned events from it.
      CREATE VIRTUAL TABLE audit_fts USING fts5(
        text, content = '', contentless_delete = 1,
        tokenize = "unicode61 tokenchars '.-_@'"
      );
      INSERT INTO audit_fts (rowid, text)
        SELECT id, concat_ws(' ', actor_name, type, target_name, reason, source_ip, details) FROM audit_events;
      CREATE TRIGGER audit_events_fts AFTER INSERT ON audit_events BEGIN
        INSERT INTO audit_fts (rowid, text)
        VALUES (new.id, concat_ws(' ', new.actor_name, new.type, new.target_name, new.reason, new.source_ip, new.details));
      END;
    `);
  },
};
