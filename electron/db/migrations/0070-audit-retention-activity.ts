import type { Migration } from '../migrate.js';

/**
 * Two things the log needs at a million events, neither touching the hash chain:
 *
 * - Retention. Events stay append-only, except for exactly one path: pruning the oldest events after they
 *   were archived (electron/services/retention.ts). That path inserts an authorisation row naming the last
 *   id it may remove, deletes, and removes the row again, all in one transaction; any other DELETE still
 *   aborts. (Whoever can write raw SQL can do the same; the chain then shows a gap, since the chain anchor
 *   only moves with the archive that holds the removed events and their boundary hashes.)
 * - Activity counts for the overview: token issuances and denials per UTC hour and API user, kept by a
 *   trigger on insert, so the overview's chart and top users over 90 days read a few thousand rows instead
 *   of scanning hundreds of thousands of events. user_id 0 stands for an unknown client.
 */
export const auditRetentionActivity: Migration = {
  version: 70,
  name: 'audit-retention-activity',
  up(db) {
    db.exec(`
      CREATE TABLE audit_prune_authorization (
        through_id INTEGER NOT NULL
      ) STRICT;

      DROP TRIGGER audit_events_no_delete;
      CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
      WHEN NOT EXISTS (SELECT 1 FROM audit_prune_authorization WHERE through_id >= old.id)
      BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;

      CREATE TABLE audit_activity (
        hour    INTEGER NOT NULL,
        user_id INTEGER NOT NULL,
        issued  INTEGER NOT NULL DEFAULT 0,
        denied  INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (hour, user_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX audit_activity_user ON audit_activity (user_id, hour);

      INSERT INTO audit_activity (hour, user_id, issued, denied)
        SELECT at / 3600000 * 3600000, coalesce(target_user_id, 0),
               sum(type = 'token.issued'), sum(type = 'token.denied')
        FROM audit_events WHERE type IN ('token.issued', 'token.denied')
        GROUP BY 1, 2;

      CREATE TRIGGER audit_events_activity AFTER INSERT ON audit_events
      WHEN new.type IN ('token.issued', 'token.denied')
      BEGIN
        INSERT INTO audit_activity (hour, user_id, issued, denied)
        VALUES (new.at / 3600000 * 3600000, coalesce(new.target_user_id, 0),
                new.type = 'token.issued', new.type = 'token.denied')
        ON CONFLICT (hour, user_id) DO UPDATE SET
          issued = issued + excluded.issued,
          denied = denied + excluded.denied;
      END;

      -- The overview's "credentials expiring soon" and the daily expiry notice.
      CREATE INDEX client_secrets_expires ON client_secrets (expires_at) WHERE expires_at IS NOT NULL AND revoked_at IS NULL;
      CREATE INDEX users_expires ON users (expires_at) WHERE expires_at IS NOT NULL;
    `);
  },
  // PostgreSQL's trigger WHEN takes no subquery, so the prune check moves into the trigger's function.
  // SQLite sums booleans (1/0); PostgreSQL counts with FILTER.
  postgres: `
    CREATE TABLE audit_prune_authorization (
      through_id BIGINT NOT NULL
    );

    CREATE FUNCTION audit_events_prune_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM audit_prune_authorization WHERE through_id >= old.id) THEN
        RAISE EXCEPTION 'audit events are append-only';
      END IF;
      RETURN old;
    END $$;
    DROP TRIGGER audit_events_no_delete ON audit_events;
    CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_prune_only();

    CREATE TABLE audit_activity (
      hour    BIGINT NOT NULL,
      user_id BIGINT NOT NULL,
      issued  BIGINT NOT NULL DEFAULT 0,
      denied  BIGINT NOT NULL DEFAULT 0,
      PRIMARY KEY (hour, user_id)
    );
    CREATE INDEX audit_activity_user ON audit_activity (user_id, hour);

    INSERT INTO audit_activity (hour, user_id, issued, denied)
      SELECT at / 3600000 * 3600000, coalesce(target_user_id, 0),
             count(*) FILTER (WHERE type = 'token.issued'), count(*) FILTER (WHERE type = 'token.denied')
      FROM audit_events WHERE type IN ('token.issued', 'token.denied')
      GROUP BY 1, 2;

    CREATE FUNCTION audit_events_activity() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO audit_activity (hour, user_id, issued, denied)
      VALUES (new.at / 3600000 * 3600000, coalesce(new.target_user_id, 0),
              (new.type = 'token.issued')::int, (new.type = 'token.denied')::int)
      ON CONFLICT (hour, user_id) DO UPDATE SET
        issued = audit_activity.issued + excluded.issued,
        denied = audit_activity.denied + excluded.denied;
      RETURN NULL;
    END $$;
    CREATE TRIGGER audit_events_activity AFTER INSERT ON audit_events
      FOR EACH ROW WHEN (new.type IN ('token.issued', 'token.denied')) EXECUTE FUNCTION audit_events_activity();

    CREATE INDEX client_secrets_expires ON client_secrets (expires_at) WHERE expires_at IS NOT NULL AND revoked_at IS NULL;
    CREATE INDEX users_expires ON users (expires_at) WHERE expires_at IS NOT NULL;
  `,
};
