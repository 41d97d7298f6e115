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
  // The same rebuild on PostgreSQL. audit_fts_text and audit_fts_filters are FTS_TEXT and FTS_FILTERS of
  // audit-index.repo.ts in PostgreSQL's words (change them together): words split at anything but letters
  // and digits, as unicode61 does; the string values of `details` (jsonpath's recursive walk for
  // json_tree); hex of the ASCII-lowered value as lowercase hex, which is what FTS5 keeps of SQLite's
  // uppercase hex. A GIN index answers prefix queries (word:*) by itself, so no prefix indexes. "only" is
  // quoted: it is a reserved word in PostgreSQL.
  postgres: `
    DROP TRIGGER audit_events_fts ON audit_events;
    DROP TRIGGER audit_events_activity ON audit_events;
    DROP TRIGGER audit_events_activity_daily ON audit_events;
    DROP FUNCTION audit_events_fts(), audit_events_activity(), audit_events_activity_daily();

    DROP TABLE audit_fts;
    DROP FUNCTION audit_fts_text_0060(audit_events);
    CREATE TABLE audit_fts (
      event_id BIGINT PRIMARY KEY,
      text     tsvector NOT NULL,
      filters  tsvector NOT NULL
    );
    CREATE INDEX audit_fts_words ON audit_fts USING gin (text, filters);

    CREATE FUNCTION audit_fts_text(e audit_events) RETURNS tsvector LANGUAGE sql STABLE AS $$
      SELECT search_words(concat_ws(' ', e.actor_name, e.type, e.target_name, e.reason, e.source_ip,
          (SELECT string_agg(v #>> '{}', ' ')
             FROM jsonb_path_query(e.details::jsonb, 'strict $.** ? (@.type() == "string")') AS v)),
        '[^[:alnum:]]+')
    $$;
    CREATE FUNCTION hex_word(value TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
      SELECT coalesce(encode(convert_to(value, 'UTF8'), 'hex'), '')
    $$;
    CREATE FUNCTION audit_fts_filters(e audit_events) RETURNS tsvector LANGUAGE sql STABLE AS $$
      SELECT search_words(concat_ws(' ',
          'a' || hex_word(translate(e.actor_name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')),
          'u' || e.target_user_id, 't' || hex_word(e.type), 'o' || hex_word(e.outcome), 'i' || hex_word(e.source_ip)),
        '[^[:alnum:]]+')
    $$;
    INSERT INTO audit_fts (event_id, text, filters)
      SELECT e.id, audit_fts_text(e), audit_fts_filters(e) FROM audit_events e;

    CREATE TABLE audit_index_state (
      "only"      BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY CHECK ("only" = 1),
      through_id  BIGINT NOT NULL
    );
    INSERT INTO audit_index_state ("only", through_id) SELECT 1, coalesce(max(id), 0) FROM audit_events;
  `,
};
