import type { Migration } from '../migrate.js';

/**
 * The log's derived indexes (the full-text index of migration 0060, the hourly and daily activity counts of
 * 0070 and 0072) leave the insert path. Three triggers made every appended event cost about three times
 * what the append itself costs (measured: 172 µs a row with them, 64 µs without, test bench 2 000-row
 * batches), and the token server appends one event per request before it may answer. Now an event is
 * durable and chained when appended; the indexes follow from a high-water mark (audit-index.repo.ts),
 * brought up to date in the background by the token server's audit writer and by every reader that needs
 * them before it reads. Every event already in the store was counted by the old triggers.
 *
 * The full-text index is rebuilt with two changes, both measured on a 1 000 000-event store:
 * - words are split at punctuation (unicode61's default): `token.issued` is "token" and "issued", so a search
 *   for "issued" or "denied" finds those events (it found nothing before); an address or client id typed
 *   whole is a phrase ("10.1.2" finds 10.1.2.3 as before).
 * - prefix indexes for prefixes of 1 to 8 characters: a search word is a prefix, and without them SQLite
 *   merged the lists of every word it starts (every event, for "token": 57 ms; "1": 212 ms) before giving
 *   the newest page; with them each of those reads one list (under 0.5 ms).
 * - a second column, `filters`, holds one word per filter value of the event (actor, API user, type,
 *   outcome, source address; see audit-index.repo.ts), so free text with other filters is one FTS5 query
 *   whose lists FTS5 walks together newest first. Before, the filter's index drove and every candidate was
 *   checked against the set of all text matches, which SQLite first collected whole: 130 ms for a common
 *   word with a user, a type and an address; now 2 ms.
 * - the text holds the string values of `details`, not its keys or numbers.
 * The index is larger (about 400 MB per million events) and is rebuilt once, here: about 60 s for a
 * million events on the 2-core test machine.
 */
export const auditIndexCatchUp: Migration = {
  version: 80,
  name: 'audit-index-catch-up',
  takesLong: "it rebuilds the log's search index, about a minute per million events",
  up(db) {
    db.exec(`
      DROP TRIGGER audit_events_fts;
      DROP TRIGGER audit_events_activity;
      DROP TRIGGER audit_events_activity_daily;

      DROP TABLE audit_fts;
      CREATE VIRTUAL TABLE audit_fts USING fts5(
        text, filters, content = '', contentless_delete = 1, prefix = '1 2 3 4 5 6 7 8', tokenize = 'unicode61'
      );
      INSERT INTO audit_fts (rowid, text, filters)
        SELECT id,
          concat_ws(' ', actor_name, type, target_name, reason, source_ip,
            (SELECT group_concat(value, ' ') FROM json_tree(details) WHERE json_tree.type = 'text')),
          concat_ws(' ', 'a' || hex(lower(actor_name)), 'u' || target_user_id, 't' || hex(type), 'o' || hex(outcome),
            'i' || hex(source_ip))
        FROM audit_events;

      CREATE TABLE audit_index_state (
        only        INTEGER PRIMARY KEY CHECK (only = 1),
        through_id  INTEGER NOT NULL
      ) STRICT;
      INSERT INTO audit_index_state (only, through_id) SELECT 1, coalesce(max(id), 0) FROM audit_events;
    `);
  },
};
