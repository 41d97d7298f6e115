import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { DatabaseTooNewError, latestVersion, migrate, upgradeNotice, type Migration, type MigrationPlan } from '../../electron/db/migrate.js';
import { migrations } from '../../electron/db/migrations/index.js';
import { DatabaseDamagedError, needsIntegrityCheck, openConnection, openDatabase, type Db } from '../../electron/db/open.js';
import { tempDir } from '../support/core.js';

const opened: Db[] = [];
const open = (file: string) => {
  const db = openDatabase(file);
  opened.push(db);
  return db;
};
afterEach(() => {
  while (opened.length) opened.pop()!.close();
});

describe('opening the store', () => {
  test('sets WAL, synchronous=FULL, foreign keys and a busy timeout on the connection', () => {
    const db = open(join(tempDir(), 'k.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  test("a further connection (the audit writer's thread) gets the same settings, and never creates the store", () => {
    const file = join(tempDir(), 'k.db');
    const first = open(file);
    const second = openConnection(file, { busyTimeoutMs: 1234 });
    opened.push(second);
    for (const pragma of ['journal_mode', 'synchronous', 'foreign_keys']) {
      expect(second.pragma(pragma, { simple: true }), pragma).toBe(first.pragma(pragma, { simple: true }));
    }
    expect(second.pragma('busy_timeout', { simple: true })).toBe(1234);
    const missing = join(tempDir(), 'none.db');
    expect(() => openConnection(missing)).toThrow();
    expect(existsSync(missing)).toBe(false);
  });

  test('refuses a file that is not a database, and leaves it untouched', () => {
    const file = join(tempDir(), 'k.db');
    const garbage = Buffer.from('this is not a sqlite database, just some text padded out'.repeat(100));
    writeFileSync(file, garbage);
    expect(() => openDatabase(file)).toThrow(DatabaseDamagedError);
    expect(() => openDatabase(file)).toThrow(/is damaged .*restore it from a backup/);
  });

  test('refuses a database whose pages are damaged', () => {
    const file = damagedStore();
    expect(() => openDatabase(file)).toThrow(DatabaseDamagedError);
  });

  test('a large store is scanned only when its last session did not end cleanly', () => {
    const file = damagedStore();
    const size = statSync(file).size;
    expect(needsIntegrityCheck(file, size)).toBe(true); // ordinary size: always
    expect(needsIntegrityCheck(file, size - 1)).toBe(false); // large, no WAL left: clean shutdown
    writeFileSync(`${file}-wal`, Buffer.alloc(4096, 1)); // a WAL left behind: crash or a second process
    expect(needsIntegrityCheck(file, size - 1)).toBe(true);
    expect(() => openDatabase(file, { fullCheckMaxBytes: size - 1 })).toThrow(DatabaseDamagedError);
  });

  test('a clean close leaves no WAL file (what the large-store rule relies on), a second connection does', () => {
    const file = join(tempDir(), 'k.db');
    const first = openDatabase(file);
    first.exec("INSERT INTO settings (key, value) VALUES ('probe', '1')");
    const second = openDatabase(file);
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
    second.close();
    first.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
  });
});

/** A store whose b-tree pages are overwritten with junk, closed cleanly (no WAL). */
function damagedStore(): string {
  const file = join(tempDir(), 'k.db');
  const db = new Database(file);
  db.pragma('journal_mode = DELETE');
  db.exec('CREATE TABLE t (x TEXT); CREATE INDEX t_x ON t (x);');
  const insert = db.prepare('INSERT INTO t VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 2000; i++) insert.run(`row ${i} `.repeat(10));
  })();
  db.close();
  // Overwrite the middle of the file (past the header) with junk: the b-tree pages no longer parse.
  const fd = openSync(file, 'r+');
  const size = statSync(file).size;
  writeSync(fd, Buffer.alloc(8192, 0xab), 0, 8192, Math.floor(size / 2 / 4096) * 4096);
  closeSync(fd);
  return file;
}

describe('migrations', () => {
  test('every migration applies to an empty file and records its version', () => {
    const db = open(join(tempDir(), 'k.db'));
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion(migrations));
    const tables = db
      .prepare<[], { name: string }>(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`)
      .all()
      .map((t) => t.name);
    expect(tables).toEqual(
      expect.arrayContaining([
        'allowlist_entries', 'audit_events', 'client_secrets', 'credentials', 'group_api_rights',
        'group_app_permissions', 'group_record_filters', 'groups', 'login_throttle', 'mailbox_assignments',
        'mailboxes', 'memberships', 'record_filters', 'resource_actions', 'resources', 'settings', 'signing_keys',
        'users',
      ]),
    );
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  test('each step from an empty file up to the latest applies in order', () => {
    for (let upTo = 1; upTo <= migrations.length; upTo++) {
      const db = new Database(':memory:');
      const steps = migrations.slice(0, upTo);
      expect(migrate(db, steps)).toEqual({ from: 0, to: steps.at(-1)!.version });
      // Then the rest, as an upgrade of an older install.
      expect(migrate(db, migrations).to).toBe(latestVersion(migrations));
      db.close();
    }
  });

  test('an upgrade is announced before it runs, with what its long steps do; a new or current store is not', () => {
    const file = join(tempDir(), 'k.db');
    const plans: MigrationPlan[] = [];
    const old = new Database(file);
    migrate(old, migrations.filter((m) => m.version <= 72), (plan) => plans.push(plan));
    old.close();
    expect(plans).toEqual([{ from: 0, to: 72, takesLong: [] }]);
    expect(upgradeNotice(plans[0]!)).toBeNull(); // a new store: nothing in it to rebuild

    openDatabase(file, { onMigrate: (plan) => plans.push(plan) }).close();
    expect(plans[1]).toEqual({ from: 72, to: latestVersion(migrations), takesLong: [expect.stringContaining("rebuilds the log's search index")] });
    expect(upgradeNotice(plans[1]!)).toBe(
      `Upgrading the store from schema 72 to ${latestVersion(migrations)}, once: it rebuilds the log's search index, ` +
        'about a minute per million events. Please wait…',
    );

    openDatabase(file, { onMigrate: (plan) => plans.push(plan) }).close();
    expect(plans).toHaveLength(2); // up to date: no plan at all
    expect(upgradeNotice({ from: 80, to: 81, takesLong: [] })).toBeNull(); // quick steps pass silently
  });

  test('reopening a current database changes nothing', () => {
    const file = join(tempDir(), 'k.db');
    open(file).prepare(`INSERT INTO settings (key, value) VALUES ('x', '1')`).run();
    opened.pop()!.close();
    const again = open(file);
    expect(again.prepare(`SELECT value FROM settings WHERE key = 'x'`).get()).toEqual({ value: '1' });
  });

  test('refuses a database written by a newer Keyrack, without touching it', () => {
    const file = join(tempDir(), 'k.db');
    open(file);
    opened.pop()!.close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${latestVersion(migrations) + 10}`);
    raw.close();
    expect(() => openDatabase(file)).toThrow(DatabaseTooNewError);
    expect(() => openDatabase(file)).toThrow(/newer than this Keyrack understands/);
    const check = new Database(file);
    expect(check.pragma('user_version', { simple: true })).toBe(latestVersion(migrations) + 10);
    check.close();
  });

  test('a failing migration leaves the file exactly as it was', () => {
    const db = new Database(':memory:');
    const broken: Migration[] = [
      { version: 10, name: 'ok', up: (d) => d.exec('CREATE TABLE a (x INTEGER)'), postgres: null },
      { version: 20, name: 'broken', up: (d) => d.exec('CREATE TABLE b (x INTEGER); SELECT * FROM missing_table'), postgres: null },
    ];
    expect(() => migrate(db, broken)).toThrow(/missing_table/);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare(`SELECT count(*) AS n FROM sqlite_schema WHERE name IN ('a', 'b')`).get()).toEqual({ n: 0 });
  });

  test('refuses migrations listed out of order', () => {
    const db = new Database(':memory:');
    const noop = () => {};
    expect(() => migrate(db, [{ version: 20, name: 'b', up: noop, postgres: null }, { version: 10, name: 'a', up: noop, postgres: null }])).toThrow(
      /out of order/,
    );
  });
});

describe('the audit log is append-only', () => {
  const insertEvent = (db: Db) =>
    db
      .prepare(
        `INSERT INTO audit_events (at, actor_kind, actor_name, type, outcome) VALUES (1, 'system', 'system', 'user.created', 'success')`,
      )
      .run();

  test('UPDATE is refused', () => {
    const db = open(join(tempDir(), 'k.db'));
    insertEvent(db);
    expect(() => db.prepare(`UPDATE audit_events SET outcome = 'failure'`).run()).toThrow(/append-only/);
  });

  test('DELETE is refused', () => {
    const db = open(join(tempDir(), 'k.db'));
    insertEvent(db);
    expect(() => db.prepare('DELETE FROM audit_events').run()).toThrow(/append-only/);
    expect(db.prepare('SELECT count(*) AS n FROM audit_events').get()).toEqual({ n: 1 });
  });

  test('enum columns are checked by SQLite itself', () => {
    const db = open(join(tempDir(), 'k.db'));
    expect(() =>
      db
        .prepare(`INSERT INTO audit_events (at, actor_kind, actor_name, type, outcome) VALUES (1, 'robot', 'x', 'y', 'success')`)
        .run(),
    ).toThrow(/CHECK constraint failed/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO users (kind, name, password_hash, created_at, created_by, updated_at) VALUES ('api', 'x', 'h', 1, 'x', 1)`,
        )
        .run(),
    ).toThrow(/CHECK constraint failed/);
  });
});
