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
};
