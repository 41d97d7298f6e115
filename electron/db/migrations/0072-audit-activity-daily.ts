import type { Migration } from '../migrate.js';

/**
 * Daily activity counts beside the hourly ones (migration 0070): the overview's 30- and 90-day chart and
 * top API users read at most a few thousand day rows instead of summing every hour of every API user.
 * Kept by the same kind of insert trigger; `day` is the UTC day's start in epoch ms.
 */
export const auditActivityDaily: Migration = {
  version: 72,
  name: 'audit-activity-daily',
  up(db) {
    db.exec(`
      CREATE TABLE audit_activity_daily (
        day     INTEGER NOT NULL,
        user_id INTEGER NOT NULL,
        issued  INTEGER NOT NULL DEFAULT 0,
        denied  INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (day, user_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX audit_activity_daily_user ON audit_activity_daily (user_id, day);

      INSERT INTO audit_activity_daily (day, user_id, issued, denied)
        SELECT hour / 86400000 * 86400000, user_id, sum(issued), sum(denied) FROM audit_activity GROUP BY 1, 2;

      CREATE TRIGGER audit_events_activity_daily AFTER INSERT ON audit_events
      WHEN new.type IN ('token.issued', 'token.denied')
      BEGIN
        INSERT INTO audit_activity_daily (day, user_id, issued, denied)
        VALUES (new.at / 86400000 * 86400000, coalesce(new.target_user_id, 0),
                new.type = 'token.issued', new.type = 'token.denied')
        ON CONFLICT (day, user_id) DO UPDATE SET
          issued = issued + excluded.issued,
          denied = denied + excluded.denied;
      END;
    `);
  },
  postgres: `
    CREATE TABLE audit_activity_daily (
      day     BIGINT NOT NULL,
      user_id BIGINT NOT NULL,
      issued  BIGINT NOT NULL DEFAULT 0,
      denied  BIGINT NOT NULL DEFAULT 0,
      PRIMARY KEY (day, user_id)
    );
    CREATE INDEX audit_activity_daily_user ON audit_activity_daily (user_id, day);

    INSERT INTO audit_activity_daily (day, user_id, issued, denied)
      SELECT hour / 86400000 * 86400000, user_id, sum(issued), sum(denied) FROM audit_activity GROUP BY 1, 2;

    CREATE FUNCTION audit_events_activity_daily() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO audit_activity_daily (day, user_id, issued, denied)
      VALUES (new.at / 86400000 * 86400000, coalesce(new.target_user_id, 0),
              (new.type = 'token.issued')::int, (new.type = 'token.denied')::int)
      ON CONFLICT (day, user_id) DO UPDATE SET
        issued = audit_activity_daily.issued + excluded.issued,
        denied = audit_activity_daily.denied + excluded.denied;
      RETURN NULL;
    END $$;
    CREATE TRIGGER audit_events_activity_daily AFTER INSERT ON audit_events
      FOR EACH ROW WHEN (new.type IN ('token.issued', 'token.denied')) EXECUTE FUNCTION audit_events_activity_daily();
  `,
};
