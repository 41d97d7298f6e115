import type { Migration } from '../migrate.js';

/**
 * Pruning no longer makes the search index rewrite its largest segments. FTS5's `deletemerge` (default 10)
 * merges a segment once that share of its rows is deleted; pruning deletes from the oldest end, which sits
 * in the largest segment (a million events after migration 0080's rebuild), so every tenth of it pruned
 * rewrote it inside a prune's commit: 10 to 17 s with the store locked, measured on the bench:log store,
 * where the token server's log gives up after 5 s. With 0 a pruned row stays in its segment as a tombstone
 * until an ordinary merge rewrites that segment: searches skip it, and its space is not given back until
 * then.
 */
export const auditFtsDeletemerge: Migration = {
  version: 82,
  name: 'audit-fts-deletemerge',
  up(db) {
    db.exec(`INSERT INTO audit_fts (audit_fts, rank) VALUES ('deletemerge', 0)`);
  },
  // An FTS5 setting. PostgreSQL's deleted index entries go with VACUUM, never inside the pruning commit.
  postgres: null,
};
