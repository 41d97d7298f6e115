import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { DatabaseTooNewError, latestVersion, type MigrationPlan } from '../../electron/db/migrate.js';
import { migrations } from '../../electron/db/migrations/index.js';
import {
  describeStore,
  openPostgresStore,
  parseStoreUrl,
  StoreDatabaseMissingError,
  StoreLoginError,
  StoreUnreachableError,
  StoreUrlError,
} from '../../electron/db/postgres.js';
import { ForeignDatabaseError, migratePostgres } from '../../electron/db/postgres-migrate.js';
import { PASSWORD_ROLE } from '../../devkit/postgres-cluster.js';
import { adminClient, describePostgres, postgresScratch, sharedCluster, type TestDatabase } from '../support/postgres.js';

describe('the store URL', () => {
  test('names host, port, database and user', () => {
    expect(parseStoreUrl('postgres://keyrack@db.office.lan:6543/keyrack')).toEqual(
      { host: 'db.office.lan', port: 6543, database: 'keyrack', user: 'keyrack' },
    );
    expect(parseStoreUrl('postgresql://[::1]/store')).toEqual({ host: '::1', port: 5432, database: 'store' });
    expect(describeStore(parseStoreUrl('postgresql://k%40x@[::1]/store'))).toBe('postgres://k@x@[::1]:5432/store');
  });

  test.each([
    ['not a URL', 'db.office.lan/keyrack', /not a URL/],
    ['another scheme', 'mysql://keyrack@db/keyrack', /starts with "mysql:\/\/"/],
    ['no database', 'postgres://keyrack@db.office.lan:5432/', /names no database/],
    ['a nested path', 'postgres://db/a/b', /contains "\/"/],
    ['options', 'postgres://db/keyrack?sslmode=disable', /options after the database name/],
    ['a bad port', 'postgres://db:99999/keyrack', /not a URL/],
  ])('refuses %s with the reason', (_, url, reason) => {
    expect(() => parseStoreUrl(url)).toThrow(StoreUrlError);
    expect(() => parseStoreUrl(url)).toThrow(reason);
  });

  test('refuses a password in the URL without repeating it', () => {
    const attempt = () => parseStoreUrl('postgres://keyrack:hunter2-secret@db/keyrack');
    expect(attempt).toThrow(/contains a password; put the password in PGPASSWORD or ~\/.pgpass/);
    try {
      attempt();
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('hunter2');
    }
  });
});

describePostgres('opening a PostgreSQL store', () => {
  const scratch = postgresScratch();
  const latest = latestVersion(migrations);
  const fresh = () => scratch.database();
  const open = async (url: string, options: Parameters<typeof openPostgresStore>[1] = {}) =>
    scratch.keep(await openPostgresStore(url, options));
  /** What the database holds outside the system schemas: tables, indexes, sequences. */
  const relations = async (database: TestDatabase): Promise<string[]> => {
    const admin = await adminClient(database.address.database);
    try {
      const { rows } = await admin.query(`
        SELECT c.relname FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
        WHERE s.nspname NOT IN ('pg_catalog', 'information_schema') AND s.nspname NOT LIKE 'pg\\_%' ORDER BY 1`);
      return rows.map((r: { relname: string }) => r.relname);
    } finally {
      await admin.end();
    }
  };
  const asAdmin = async (database: TestDatabase, sql: string) => {
    const admin = await adminClient(database.address.database);
    try {
      return (await admin.query(sql)).rows;
    } finally {
      await admin.end();
    }
  };

  test('an empty database becomes a store at the latest schema, marked as Keyrack', async () => {
    const database = await fresh();
    const plans: MigrationPlan[] = [];
    const pool = await open(database.url, { onMigrate: (plan) => plans.push(plan) });
    expect(plans).toEqual([{ from: 0, to: latest, takesLong: [expect.stringContaining('search index')] }]);
    expect((await pool.query('SELECT application, version FROM keyrack_schema')).rows).toEqual([{ application: 'keyrack', version: latest }]);
  });

  test('migrating again does nothing', async () => {
    const database = await fresh();
    await open(database.url);
    const before = await relations(database);
    const plans: MigrationPlan[] = [];
    const pool = await open(database.url, { onMigrate: (plan) => plans.push(plan) });
    expect(plans).toEqual([]);
    expect(await migratePostgres(pool, migrations)).toEqual({ from: latest, to: latest });
    expect(await relations(database)).toEqual(before);
  });

  test('two nodes opening one new database at once both succeed, and the steps run once', async () => {
    const database = await fresh();
    const plans: MigrationPlan[] = [];
    const onMigrate = (plan: MigrationPlan) => plans.push(plan);
    await Promise.all([open(database.url, { onMigrate }), open(database.url, { onMigrate }), open(database.url, { onMigrate })]);
    expect(plans).toHaveLength(1);
    expect(await asAdmin(database, 'SELECT version FROM keyrack_schema')).toEqual([{ version: latest }]);
  });

  test('a step that fails leaves the database as it was', async () => {
    const database = await fresh();
    const pool = await scratch.pool(database);
    const broken = [...migrations, { version: latest + 10, name: 'broken', up: () => undefined, postgres: 'CREATE TABLE b (x INTEGER); SELECT * FROM missing_table' }];
    await expect(migratePostgres(pool, broken)).rejects.toThrow(/missing_table/);
    expect(await relations(database)).toEqual([]);
  });

  test("a database of another application is refused, and nothing is written to it", async () => {
    const database = await fresh();
    await asAdmin(database, 'CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)');
    const before = await relations(database);
    await expect(open(database.url)).rejects.toThrow(ForeignDatabaseError);
    await expect(open(database.url)).rejects.toThrow(/is not a Keyrack store \(it holds 2 tables, indexes or sequences, and no Keyrack schema mark\)/);
    expect(await relations(database)).toEqual(before);
  });

  test("another application's keyrack_schema table is refused too", async () => {
    const database = await fresh();
    await asAdmin(database, `CREATE TABLE keyrack_schema (application TEXT, version INTEGER); INSERT INTO keyrack_schema VALUES ('other', 3)`);
    await expect(open(database.url)).rejects.toThrow(/its keyrack_schema table is not the one Keyrack writes/);
    expect(await asAdmin(database, 'SELECT * FROM keyrack_schema')).toEqual([{ application: 'other', version: 3 }]);
  });

  test('a schema newer than this program is refused, and nothing is written', async () => {
    const database = await fresh();
    await (await openPostgresStore(database.url)).end();
    await asAdmin(database, `UPDATE keyrack_schema SET version = ${latest + 10}`);
    const before = await relations(database);
    await expect(open(database.url)).rejects.toThrow(DatabaseTooNewError);
    await expect(open(database.url)).rejects.toThrow(/newer than this Keyrack understands/);
    expect(await relations(database)).toEqual(before);
    expect(await asAdmin(database, 'SELECT version FROM keyrack_schema')).toEqual([{ version: latest + 10 }]);
  });

  test.each([
    ['not encoded in UTF-8', `ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C'`, /is encoded in LATIN1, not UTF8/],
    ['in the C locale', `ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`, /has the C locale \(LC_CTYPE\), which knows only ASCII letters/],
  ])('a database %s is refused before anything is written', async (_, settings, reason) => {
    const cluster = await sharedCluster();
    const name = `keyrack_locale_${randomBytes(4).toString('hex')}`;
    const admin = await adminClient();
    try {
      await admin.query(`CREATE DATABASE ${name} ${settings} TEMPLATE template0`);
      await expect(open(`postgres://${cluster.user}@${cluster.host}:${cluster.port}/${name}`)).rejects.toThrow(reason);
      const check = await adminClient(name);
      expect((await check.query(`SELECT to_regclass('keyrack_schema') AS mark`)).rows).toEqual([{ mark: null }]);
      await check.end();
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });

  test('a database that does not exist is named', async () => {
    const cluster = await sharedCluster();
    await expect(open(`postgres://${cluster.user}@${cluster.host}:${cluster.port}/no_such_store`)).rejects.toThrow(StoreDatabaseMissingError);
    await expect(open(`postgres://${cluster.user}@${cluster.host}:${cluster.port}/no_such_store`)).rejects.toThrow(
      /has no database "no_such_store"/,
    );
  });

  describe('a login with a password', () => {
    const role = `keyrack_login_${randomBytes(4).toString('hex')}`;
    const password = `right-${randomBytes(8).toString('hex')}`;
    const saved = { PGPASSWORD: process.env.PGPASSWORD, PGPASSFILE: process.env.PGPASSFILE };
    let database: TestDatabase;
    let url: string;

    beforeAll(async () => {
      database = await fresh();
      // The cluster asks members of PASSWORD_ROLE for a password (scram-sha-256); everyone else is trusted.
      await asAdmin(database, `CREATE ROLE ${role} LOGIN PASSWORD '${password}' IN ROLE ${PASSWORD_ROLE};
        GRANT CREATE ON SCHEMA public TO ${role}`);
      url = `postgres://${role}@${database.address.host}:${database.address.port}/${database.address.database}`;
      // No password from the machine running the tests.
      delete process.env.PGPASSWORD;
      process.env.PGPASSFILE = '/nonexistent/keyrack-test-pgpass';
    });
    afterEach(() => {
      delete process.env.PGPASSWORD;
    });
    afterAll(async () => {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      // Before the role: it owns the store's tables in there.
      await database.drop();
      await asAdmin({ ...database, address: { ...database.address, database: 'postgres' } }, `DROP ROLE ${role}`);
    });

    test('a wrong password is refused, named as such, never shown, and nothing is written', async () => {
      const wrong = 'wrong-password-for-sure';
      const error = await open(url, { password: wrong }).then(
        () => new Error('opened with a wrong password'),
        (e: unknown) => e as Error,
      );
      expect(error).toBeInstanceOf(StoreLoginError);
      expect(error.message).toMatch(/refused the login \(password authentication failed for user/);
      expect(error.message).not.toContain(wrong);
      expect(error.message).not.toContain(password);
      expect(await relations(database)).toEqual([]);
    });

    test('no password at all is named as such', async () => {
      await expect(open(url)).rejects.toThrow(/refused the login \(no password was given\)/);
    });

    test('the right password from PGPASSWORD opens the store', async () => {
      process.env.PGPASSWORD = password;
      const pool = await openPostgresStore(url);
      try {
        expect((await pool.query('SELECT current_user AS who')).rows).toEqual([{ who: role }]);
      } finally {
        await pool.end();
      }
    });
  });

  describe('a server that is not there', () => {
    let silent: Server;
    const sockets: Socket[] = [];
    beforeAll(async () => {
      // Accepts connections and never answers: a server that hangs, or a firewall that swallows packets.
      silent = createServer((socket) => void sockets.push(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    });
    afterAll(async () => {
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => silent.close(resolve));
    });

    test('a closed port is named unreachable at once', async () => {
      const port = await closedPort();
      const started = Date.now();
      await expect(open(`postgres://keyrack@127.0.0.1:${port}/keyrack`)).rejects.toThrow(StoreUnreachableError);
      expect(Date.now() - started).toBeLessThan(2000);
    });

    test('a server that never answers is named unreachable after the connect timeout', async () => {
      const { port } = silent.address() as { port: number };
      const started = Date.now();
      await expect(open(`postgres://keyrack@127.0.0.1:${port}/keyrack`, { connectTimeoutMs: 800 })).rejects.toThrow(
        /The PostgreSQL server at 127.0.0.1:\d+ cannot be reached \(no answer in time\)/,
      );
      expect(Date.now() - started).toBeLessThan(3000);
    });
  });

  test('BIGINT and NUMERIC come back as numbers, a BIGINT beyond 2^53 fails loudly, and every commit is synchronous', async () => {
    const database = await fresh();
    await asAdmin(database, `ALTER DATABASE ${database.address.database} SET synchronous_commit = off`);
    const pool = await scratch.pool(database);
    const { rows } = await pool.query(
      `SELECT 9007199254740991::bigint AS id, count(*) AS n, sum(x) AS total FROM (VALUES (1::bigint), (2::bigint)) v (x)`,
    );
    expect(rows).toEqual([{ id: 9007199254740991, n: 2, total: 3 }]);
    await expect(pool.query('SELECT 9007199254740993::bigint AS id')).rejects.toThrow(/beyond JavaScript's safe integers/);
    expect((await pool.query('SHOW synchronous_commit')).rows).toEqual([{ synchronous_commit: 'on' }]);
  });
});

/** A loopback port nothing listens on (bound, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
