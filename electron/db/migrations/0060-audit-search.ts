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
  // On PostgreSQL the full-text index is a table of tsvectors with a GIN index (docs/scale-out.md), keyed by
  // the event id like FTS5's rowid and holding no text either. search_words splits and numbers the words
  // itself, as unicode61 does here, rather than through to_tsvector: PostgreSQL's parser would keep
  // "token.issued" or an address whole and split "a-b" into three words. The NOCASE actor index becomes an
  // index on lower(actor_name).
  postgres: `
    DROP INDEX audit_events_actor;
    CREATE INDEX audit_events_actor ON audit_events (lower(actor_name), id);
    CREATE INDEX audit_events_source_ip ON audit_events (source_ip, id);
    CREATE INDEX audit_events_target_type ON audit_events (target_user_id, type, id);
    CREATE INDEX audit_events_type_outcome ON audit_events (type, outcome, id);

    -- The words of a text as unicode61 makes them: lowercased, diacritics removed (decomposed, combining
    -- marks dropped: "Müller" is "muller"), split where 'separator' (a regular expression) matches, and
    -- numbered from 1 so that phrases match. Words over the tsvector limit (2 KB) are left out.
    CREATE FUNCTION search_words(doc TEXT, separator TEXT) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT coalesce(string_agg(format('''%s'':%s', word, least(n, 16383)), ' ')::tsvector, ''::tsvector)
      FROM regexp_split_to_table(
        regexp_replace(normalize(lower(coalesce(doc, '')), NFD), '[\\u0300-\\u036f]', '', 'g'), separator
      ) WITH ORDINALITY AS w (word, n)
      WHERE word <> '' AND octet_length(word) < 2048
    $$;

    CREATE TABLE audit_fts (
      event_id BIGINT PRIMARY KEY,
      text     tsvector NOT NULL
    );
    CREATE INDEX audit_fts_words ON audit_fts USING gin (text);

    -- unicode61 with tokenchars '.-_@': a word is a run of letters, digits and those four.
    CREATE FUNCTION audit_fts_text_0060(e audit_events) RETURNS tsvector LANGUAGE sql STABLE AS $$
      SELECT search_words(concat_ws(' ', e.actor_name, e.type, e.target_name, e.reason, e.source_ip, e.details),
        '[^[:alnum:].@_-]+')
    $$;
    INSERT INTO audit_fts (event_id, text) SELECT e.id, audit_fts_text_0060(e) FROM audit_events e;

    CREATE FUNCTION audit_events_fts() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO audit_fts (event_id, text) VALUES (new.id, audit_fts_text_0060(new));
      RETURN NULL;
    END $$;
    CREATE TRIGGER audit_events_fts AFTER INSERT ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_fts();
  `,
};
