import type { Migration } from '../migrate.js';

/**
 * The first schema. Times are epoch milliseconds (INTEGER), booleans 0/1, enums checked in SQL.
 * Adding a column later: a new numbered migration, plus the row mapper in the matching repo.
 */
export const initial: Migration = {
  version: 10,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE users (
        id            INTEGER PRIMARY KEY,
        kind          TEXT NOT NULL CHECK (kind IN ('person', 'api')),
        name          TEXT NOT NULL COLLATE NOCASE UNIQUE,
        email         TEXT,
        description   TEXT NOT NULL DEFAULT '',
        status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
        expires_at    INTEGER,
        password_hash TEXT,
        token_lifetime_seconds INTEGER CHECK (token_lifetime_seconds > 0),
        created_at    INTEGER NOT NULL,
        created_by    TEXT NOT NULL,
        updated_at    INTEGER NOT NULL,
        -- API users can never log in: they have no password at all.
        CHECK (kind = 'person' OR password_hash IS NULL)
      ) STRICT;
      CREATE INDEX users_kind_status ON users (kind, status);

      CREATE TABLE groups (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL COLLATE NOCASE UNIQUE,
        description TEXT NOT NULL DEFAULT '',
        builtin     INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1)),
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE memberships (
        group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
        user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        PRIMARY KEY (group_id, user_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX memberships_user ON memberships (user_id, group_id);

      CREATE TABLE group_app_permissions (
        group_id   INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
        permission TEXT NOT NULL CHECK (permission IN
          ('users.manage', 'groups.manage', 'mailboxes.manage', 'log.view', 'server.manage')),
        PRIMARY KEY (group_id, permission)
      ) STRICT, WITHOUT ROWID;

      -- The rights catalogue: what the office's LAN APIs understand.
      CREATE TABLE resources (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE,
        description TEXT NOT NULL DEFAULT '',
        builtin     INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1))
      ) STRICT;

      CREATE TABLE resource_actions (
        resource_id INTEGER NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
        action      TEXT NOT NULL,
        PRIMARY KEY (resource_id, action)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE record_filters (
        id          INTEGER PRIMARY KEY,
        resource_id INTEGER NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
        name        TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        UNIQUE (resource_id, name)
      ) STRICT;

      CREATE TABLE group_api_rights (
        group_id    INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
        resource_id INTEGER NOT NULL,
        action      TEXT NOT NULL,
        PRIMARY KEY (group_id, resource_id, action),
        FOREIGN KEY (resource_id, action) REFERENCES resource_actions (resource_id, action) ON DELETE CASCADE
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE group_record_filters (
        group_id  INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
        filter_id INTEGER NOT NULL REFERENCES record_filters (id) ON DELETE CASCADE,
        PRIMARY KEY (group_id, filter_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE mailboxes (
        id           INTEGER PRIMARY KEY,
        address      TEXT NOT NULL COLLATE NOCASE UNIQUE,
        display_name TEXT NOT NULL DEFAULT '',
        created_at   INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE mailbox_assignments (
        mailbox_id INTEGER NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
        user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        PRIMARY KEY (mailbox_id, user_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX mailbox_assignments_user ON mailbox_assignments (user_id, mailbox_id);

      -- One client id per API user. The row outlives the user (user_id becomes NULL), so a client id
      -- is never handed out twice: a token or log line naming it can only ever mean one integration.
      CREATE TABLE credentials (
        client_id  TEXT PRIMARY KEY CHECK (client_id GLOB 'keyrack-?*'),
        user_id    INTEGER UNIQUE REFERENCES users (id) ON DELETE SET NULL,
        created_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE client_secrets (
        id           INTEGER PRIMARY KEY,
        user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        label        TEXT NOT NULL,
        secret_hash  TEXT NOT NULL CHECK (secret_hash GLOB '$argon2id$*'),
        created_at   INTEGER NOT NULL,
        created_by   TEXT NOT NULL,
        expires_at   INTEGER,
        last_used_at INTEGER,
        last_used_ip TEXT,
        revoked_at   INTEGER
      ) STRICT;
      CREATE INDEX client_secrets_user ON client_secrets (user_id);

      CREATE TABLE allowlist_entries (
        id      INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        kind    TEXT NOT NULL CHECK (kind IN ('address', 'cidr', 'provider')),
        entry   TEXT NOT NULL,
        UNIQUE (user_id, entry)
      ) STRICT;

      -- Append-only. Targets are copied by name as well as id, so deleting a user keeps its history.
      CREATE TABLE audit_events (
        id             INTEGER PRIMARY KEY,
        at             INTEGER NOT NULL,
        actor_kind     TEXT NOT NULL CHECK (actor_kind IN ('person', 'api', 'system', 'cli')),
        actor_id       INTEGER,
        actor_name     TEXT NOT NULL,
        type           TEXT NOT NULL,
        target_user_id INTEGER,
        target_name    TEXT,
        outcome        TEXT NOT NULL CHECK (outcome IN ('success', 'failure')),
        reason         TEXT,
        source_ip      TEXT,
        details        TEXT CHECK (details IS NULL OR json_valid(details))
      ) STRICT;
      CREATE INDEX audit_events_at ON audit_events (at);
      CREATE INDEX audit_events_target ON audit_events (target_user_id, id);
      CREATE INDEX audit_events_type ON audit_events (type, id);
      CREATE INDEX audit_events_actor ON audit_events (actor_name, id);
      CREATE INDEX audit_events_outcome ON audit_events (outcome, id);

      CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
      BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
      CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
      BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;

      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL CHECK (json_valid(value))
      ) STRICT;

      CREATE TABLE signing_keys (
        kid         TEXT PRIMARY KEY,
        alg         TEXT NOT NULL CHECK (alg IN ('ES256', 'RS256')),
        public_jwk  TEXT NOT NULL CHECK (json_valid(public_jwk)),
        private_key BLOB NOT NULL,
        created_at  INTEGER NOT NULL,
        retired_at  INTEGER
      ) STRICT;

      -- Failed logins per name, for back-off that survives a restart.
      CREATE TABLE login_throttle (
        name            TEXT PRIMARY KEY COLLATE NOCASE,
        failures        INTEGER NOT NULL,
        last_failure_at INTEGER NOT NULL,
        blocked_until   INTEGER NOT NULL
      ) STRICT;
    `);

    // The built-in Administrators group holds every app permission.
    db.prepare(
      `INSERT INTO groups (name, description, builtin, created_at, updated_at)
       VALUES ('Administrators', 'Full control of Keyrack. Cannot lose its last active member.', 1, 0, 0)`,
    ).run();
    db.exec(`INSERT INTO group_app_permissions (group_id, permission)
      SELECT g.id, p.value FROM groups g,
        json_each('["users.manage","groups.manage","mailboxes.manage","log.view","server.manage"]') p
      WHERE g.name = 'Administrators'`);

    // The built-in right that lets a resource server introspect tokens (RFC 7662 §2.1 caller auth).
    db.prepare(`INSERT INTO resources (name, description, builtin) VALUES ('keyrack', 'Keyrack itself', 1)`).run();
    db.exec(`INSERT INTO resource_actions (resource_id, action) SELECT id, 'introspect' FROM resources WHERE name = 'keyrack'`);
  },
  // The same schema on PostgreSQL (docs/scale-out.md): INTEGER → BIGINT, an INTEGER PRIMARY KEY (which
  // SQLite numbers itself) → an identity column, 0/1 flags stay INTEGER with the same CHECK, BLOB → BYTEA,
  // GLOB → LIKE (both case-sensitive), json_valid → a function of that name, and a NOCASE column's
  // uniqueness → a unique index on lower(col). PostgreSQL has no expression primary keys, so login_throttle's
  // NOCASE key is the unique index login_throttle_pkey on lower(name).
  postgres: `
    -- SQLite's json_valid, so that the CHECKs read the same. NULL passes, as in SQLite.
    CREATE FUNCTION json_valid(value TEXT) RETURNS BOOLEAN LANGUAGE plpgsql IMMUTABLE STRICT AS $$
    BEGIN
      PERFORM value::json;
      RETURN true;
    EXCEPTION WHEN invalid_text_representation THEN
      RETURN false;
    END $$;

    CREATE TABLE users (
      id            BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
      kind          TEXT NOT NULL CHECK (kind IN ('person', 'api')),
      name          TEXT NOT NULL,
      email         TEXT,
      description   TEXT NOT NULL DEFAULT '',
      status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
      expires_at    BIGINT,
      password_hash TEXT,
      token_lifetime_seconds BIGINT CHECK (token_lifetime_seconds > 0),
      created_at    BIGINT NOT NULL,
      created_by    TEXT NOT NULL,
      updated_at    BIGINT NOT NULL,
      CHECK (kind = 'person' OR password_hash IS NULL)
    );
    CREATE UNIQUE INDEX users_name ON users (lower(name));
    CREATE INDEX users_kind_status ON users (kind, status);

    CREATE TABLE groups (
      id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
      name        TEXT NOT NULL,
      description TEXT NOT NULL DEFAULT '',
      builtin     INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1)),
      created_at  BIGINT NOT NULL,
      updated_at  BIGINT NOT NULL
    );
    CREATE UNIQUE INDEX groups_name ON groups (lower(name));

    CREATE TABLE memberships (
      group_id BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
      user_id  BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      PRIMARY KEY (group_id, user_id)
    );
    CREATE INDEX memberships_user ON memberships (user_id, group_id);

    CREATE TABLE group_app_permissions (
      group_id   BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
      permission TEXT NOT NULL CHECK (permission IN
        ('users.manage', 'groups.manage', 'mailboxes.manage', 'log.view', 'server.manage')),
      PRIMARY KEY (group_id, permission)
    );

    CREATE TABLE resources (
      id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
      name        TEXT NOT NULL UNIQUE,
      description TEXT NOT NULL DEFAULT '',
      builtin     INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1))
    );

    CREATE TABLE resource_actions (
      resource_id BIGINT NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
      action      TEXT NOT NULL,
      PRIMARY KEY (resource_id, action)
    );

    CREATE TABLE record_filters (
      id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
      resource_id BIGINT NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
      name        TEXT NOT NULL,
      description TEXT NOT NULL DEFAULT '',
      UNIQUE (resource_id, name)
    );

    CREATE TABLE group_api_rights (
      group_id    BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
      resource_id BIGINT NOT NULL,
      action      TEXT NOT NULL,
      PRIMARY KEY (group_id, resource_id, action),
      FOREIGN KEY (resource_id, action) REFERENCES resource_actions (resource_id, action) ON DELETE CASCADE
    );

    CREATE TABLE group_record_filters (
      group_id  BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
      filter_id BIGINT NOT NULL REFERENCES record_filters (id) ON DELETE CASCADE,
      PRIMARY KEY (group_id, filter_id)
    );

    CREATE TABLE mailboxes (
      id           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
      address      TEXT NOT NULL,
      display_name TEXT NOT NULL DEFAULT '',
      created_at   BIGINT NOT NULL
    );
    CREATE UNIQUE INDEX mailboxes_address ON mailboxes (lower(address));

    CREATE TABLE mailbox_assignments (
      mailbox_id BIGINT NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
      user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      PRIMARY KEY (mailbox_id, user_id)
    );
    CREATE INDEX mailbox_assignments_user ON mailbox_assignments (user_id, mailbox_id);

    CREATE TABLE credentials (
      client_id  TEXT PRIMARY KEY CHECK (client_id LIKE 'keyrack-_%'),
      user_id    BIGINT UNIQUE REFERENCES users (id) ON DELETE SET NULL,
      created_at BIGINT NOT NULL
    );

    CREATE TABLE client_secrets (
      id           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
      user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      label        TEXT NOT NULL,
      secret_hash  TEXT NOT NULL CHECK (secret_hash LIKE '$argon2id$%'),
      created_at   BIGINT NOT NULL,
      created_by   TEXT NOT NULL,
      expires_at   BIGINT,
      last_used_at BIGINT,
      last_used_ip TEXT,
      revoked_at   BIGINT
    );
    CREATE INDEX client_secrets_user ON client_secrets (user_id);

    CREATE TABLE allowlist_entries (
      id      BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
      user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      kind    TEXT NOT NULL CHECK (kind IN ('address', 'cidr', 'provider')),
      entry   TEXT NOT NULL,
      UNIQUE (user_id, entry)
    );

    CREATE TABLE audit_events (
      id             BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
      at             BIGINT NOT NULL,
      actor_kind     TEXT NOT NULL CHECK (actor_kind IN ('person', 'api', 'system', 'cli')),
      actor_id       BIGINT,
      actor_name     TEXT NOT NULL,
      type           TEXT NOT NULL,
      target_user_id BIGINT,
      target_name    TEXT,
      outcome        TEXT NOT NULL CHECK (outcome IN ('success', 'failure')),
      reason         TEXT,
      source_ip      TEXT,
      details        TEXT CHECK (details IS NULL OR json_valid(details))
    );
    CREATE INDEX audit_events_at ON audit_events (at);
    CREATE INDEX audit_events_target ON audit_events (target_user_id, id);
    CREATE INDEX audit_events_type ON audit_events (type, id);
    CREATE INDEX audit_events_actor ON audit_events (actor_name, id);
    CREATE INDEX audit_events_outcome ON audit_events (outcome, id);

    CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit events are append-only';
    END $$;
    CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
    CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
    -- PostgreSQL only: TRUNCATE skips row triggers (SQLite has no TRUNCATE; its DELETE fires them).
    CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

    CREATE TABLE settings (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL CHECK (json_valid(value))
    );

    CREATE TABLE signing_keys (
      kid         TEXT PRIMARY KEY,
      alg         TEXT NOT NULL CHECK (alg IN ('ES256', 'RS256')),
      public_jwk  TEXT NOT NULL CHECK (json_valid(public_jwk)),
      private_key BYTEA NOT NULL,
      created_at  BIGINT NOT NULL,
      retired_at  BIGINT
    );

    CREATE TABLE login_throttle (
      name            TEXT NOT NULL,
      failures        BIGINT NOT NULL,
      last_failure_at BIGINT NOT NULL,
      blocked_until   BIGINT NOT NULL
    );
    CREATE UNIQUE INDEX login_throttle_pkey ON login_throttle (lower(name));

    INSERT INTO groups (name, description, builtin, created_at, updated_at)
      VALUES ('Administrators', 'Full control of Keyrack. Cannot lose its last active member.', 1, 0, 0);
    INSERT INTO group_app_permissions (group_id, permission)
      SELECT g.id, p.value FROM groups g,
        unnest(ARRAY['users.manage', 'groups.manage', 'mailboxes.manage', 'log.view', 'server.manage']) AS p (value)
      WHERE g.name = 'Administrators';

    INSERT INTO resources (name, description, builtin) VALUES ('keyrack', 'Keyrack itself', 1);
    INSERT INTO resource_actions (resource_id, action) SELECT id, 'introspect' FROM resources WHERE name = 'keyrack';
  `,
};
