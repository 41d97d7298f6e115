import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../../electron/cli/program.js';
import type { CliIo } from '../../electron/cli/io.js';
import { latestVersion } from '../../electron/db/migrate.js';
import { migrations } from '../../electron/db/migrations/index.js';
import { startHeartbeat } from '../../electron/db/node-heartbeat.js';
import { connectPostgres, type StorePool } from '../../electron/db/postgres.js';
import { migratePostgres } from '../../electron/db/postgres-migrate.js';
import { STORE_SETTING_FILE } from '../../electron/db/store-choice.js';
import { postgresStore } from '../../electron/db/store-postgres.js';
import { openDatabase } from '../../electron/db/open.js';
import { sqliteStore } from '../../electron/db/store-sqlite.js';
import { DATABASE_FILE } from '../../electron/paths.js';
import { keyrack, keyrackJson, type CliRun } from '../support/cli.js';
import { tempDir } from '../support/core.js';
import { describePostgres, postgresScratch, type TestDatabase } from '../support/postgres.js';
import { FOREIGN_RELATIONS, foreignDatabase, newerSchemaRefusal, newerStore, passwordLogin } from '../support/postgres-stores.js';

/**
 * Choosing the store (issue 10): every store-using command honours --store and KEYRACK_STORE (and the data
 * folder's store.json, written by `keyrack store use`), on PostgreSQL as on SQLite; bad choices are refused
 * with the problem named and nothing written. Log search, overview and export are not run on PostgreSQL
 * here (their PostgreSQL branch is separate work).
 */

const PROGRAM_VERSION = latestVersion(migrations);


type Named = { name: string }[] | { rows: { name: string }[] };
/** The names of a list's --json output (a plain array, or api-users' page of rows), sorted. */
const names = (list: Named) => (Array.isArray(list) ? list : list.rows).map((u) => u.name).sort();

describePostgres('every command family on a chosen PostgreSQL store', () => {
  const scratch = postgresScratch();
  let data: string;
  let database: TestDatabase;
  let pool: StorePool;
  const count = async (sql: string) => Number((await pool.query(sql)).rows[0]!.n);

  beforeAll(async () => {
    data = tempDir('keyrack-store-choice-');
    database = await scratch.database();
    pool = await scratch.pool(database);
  });
  afterAll(() => rmSync(data, { recursive: true, force: true }));

  test('init creates the PostgreSQL store (silently: a new store has nothing to rebuild), and the people live there', async () => {
    const run = await keyrack(data, ['--store', database.url, 'init', '--name', 'alice', '--password-stdin'], 'correct horse battery');
    expect(run.code, run.stderr).toBe(0);
    expect(await count(`SELECT version AS n FROM keyrack_schema`)).toBe(PROGRAM_VERSION);
    expect(await count(`SELECT count(*) AS n FROM users WHERE kind = 'person'`)).toBe(1);
  });

  test('with --store: API users, groups, secrets (create, list, revoke) go to PostgreSQL, not to the SQLite file', async () => {
    const store = ['--store', database.url];
    await keyrackJson(data, [...store, 'groups', 'create', 'Website', '--description', 'the public site']);
    await keyrackJson(data, [...store, 'api-users', 'create', '--name', 'CRM Sync', '--group', 'Website']);
    const { info: secret } = await keyrackJson<{ info: { id: number } }>(data, [...store, 'secrets', 'add', 'CRM Sync', '--label', 'staging', '--expires', '30d']);
    expect(names(await keyrackJson<Named>(data, [...store, 'api-users', 'list']))).toEqual(['CRM Sync']);
    expect(names(await keyrackJson<Named>(data, [...store, 'groups', 'list']))).toContain('Website');
    await keyrackJson(data, [...store, 'secrets', 'revoke', 'CRM Sync', '--secret', String(secret.id)]);
    const secrets = await keyrackJson<{ id: number; revokedAt: number | null }[]>(data, [...store, 'secrets', 'list', 'CRM Sync']);
    expect(secrets.find((s) => s.id === secret.id)?.revokedAt).toEqual(expect.any(Number));

    expect(await count(`SELECT count(*) AS n FROM users WHERE kind = 'api' AND name = 'CRM Sync'`)).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM client_secrets WHERE revoked_at IS NOT NULL`)).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE type LIKE 'user.%' OR type LIKE 'secret.%'`)).toBeGreaterThan(0);
    // The data folder's SQLite file (still opened for what is not on the port) holds none of it.
    const db = openDatabase(join(data, DATABASE_FILE));
    try {
      expect(db.prepare('SELECT count(*) AS n FROM users').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  test('the other command families run there too: people, rights, mailboxes, policy, activations, mail queue, log verify', async () => {
    const env = { KEYRACK_STORE: database.url };
    await keyrackJson(data, ['people', 'create', '--name', 'bob', '--password-stdin'], 'another good passphrase', env);
    expect(names(await keyrackJson<Named>(data, ['people', 'list'], '', env))).toEqual(['alice', 'bob']);
    await keyrackJson(data, ['rights', 'add-resource', 'properties', '--action', 'read', '--filter', 'published_only'], '', env);
    await keyrackJson(data, ['groups', 'update', 'Website', '--right', 'properties:read'], '', env);
    await keyrackJson(data, ['mailboxes', 'create', 'info@example.com'], '', env);
    await keyrackJson(data, ['mailboxes', 'assign', 'info@example.com', 'CRM Sync'], '', env);
    await keyrackJson(data, ['policy', 'set', '--require-allowlist', 'off'], '', env);
    await keyrackJson(data, ['policy', 'show'], '', env);
    await keyrackJson(data, ['activations', 'create', 'Vendor', '--group', 'Website', '--approval'], '', env);
    expect(names(await keyrackJson<Named>(data, ['activations', 'list'], '', env))).toEqual(['Vendor']);
    await keyrackJson(data, ['mail', 'queue'], '', env);
    const verify = await keyrack(data, ['log', 'verify'], '', { env });
    expect(verify.code, verify.stderr).toBe(0);

    expect(await count(`SELECT count(*) AS n FROM resources WHERE name = 'properties'`)).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM mailbox_assignments`)).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM activations`)).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM users WHERE kind = 'person'`)).toBe(2);
  });

  test('with KEYRACK_STORE: the same store; --store wins over it', async () => {
    const env = { KEYRACK_STORE: database.url };
    await keyrackJson(data, ['api-users', 'create', '--name', 'Website feed', '--group', 'Website'], '', env);
    expect(names(await keyrackJson<Named>(data, ['api-users', 'list'], '', env))).toEqual(['CRM Sync', 'Website feed']);
    // The flag wins: the data folder's SQLite store, which has no API users.
    expect(names(await keyrackJson<Named>(data, ['--store', 'sqlite', 'api-users', 'list'], '', env))).toEqual([]);
    // And without either, SQLite as before.
    expect(names(await keyrackJson<Named>(data, ['api-users', 'list']))).toEqual([]);
  });

  test('store status names the PostgreSQL store and lists the nodes seen in the last minute', async () => {
    const store = postgresStore(await connectPostgres(database.address));
    const beat = startHeartbeat(store, { node: 'node-a', version: '0.1.0', url: 'https://node-a.office.lan:8443' });
    const old = startHeartbeat(store, { node: 'node-gone', version: '0.0.9', clock: { now: () => Date.now() - 120_000 } });
    try {
      await Promise.all([beat.first, old.first]);
      expect(beat.failures + old.failures).toBe(0);
      const status = await keyrackJson<Record<string, unknown>>(data, ['--store', database.url, 'store', 'status']);
      expect(status).toMatchObject({ engine: 'postgres', store: database.url, chosenBy: 'flag', schemaVersion: PROGRAM_VERSION, apiUsers: 2, people: 2 });
      expect(status.nodes).toEqual([
        { node: 'node-a', version: '0.1.0', startedAt: expect.any(Number), seenAt: expect.any(Number), url: 'https://node-a.office.lan:8443' },
      ]);
      const human = await keyrack(data, ['store', 'status'], '', { env: { KEYRACK_STORE: database.url } });
      expect(human.stdout).toMatch(/Store:\s+PostgreSQL postgres:\/\/\S+ \(chosen by \$KEYRACK_STORE\)/);
      expect(human.stdout).toMatch(/Nodes \(last minute\):\s+1/);
      expect(human.stdout).toMatch(/node-a\s+0\.1\.0\s+https:\/\/node-a\.office\.lan:8443\s+.*\d+ s ago/);
      expect(human.stdout).not.toContain('node-gone');
    } finally {
      beat.stop();
      old.stop();
      await store.close();
    }
  });

  test('keyrack store use: the data folder then uses PostgreSQL without a flag, until store use sqlite', async () => {
    const used = await keyrackJson<Record<string, unknown>>(data, ['store', 'use', database.url]);
    expect(used).toMatchObject({ store: 'postgres', describe: database.url });
    const file = join(data, STORE_SETTING_FILE);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ store: database.url });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(names(await keyrackJson<Named>(data, ['api-users', 'list']))).toEqual(['CRM Sync', 'Website feed']);
    expect(await keyrackJson(data, ['store', 'status'])).toMatchObject({ engine: 'postgres', chosenBy: 'setting' });
    // KEYRACK_STORE and --store still win over the setting.
    expect(names(await keyrackJson<Named>(data, ['api-users', 'list'], '', { KEYRACK_STORE: 'sqlite' }))).toEqual([]);

    // A store that does not open is not written: the setting stays as it was.
    const unreachable = await keyrack(data, ['store', 'use', 'postgres://nobody@127.0.0.1:1/keyrack']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^error: The PostgreSQL server at 127\.0\.0\.1:1 cannot be reached/);
    const malformed = await keyrack(data, ['store', 'use', 'mysql://db/keyrack']);
    expect(malformed.code).toBe(2);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ store: database.url });

    const back = await keyrack(data, ['store', 'use', 'sqlite']);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toContain('uses its SQLite store again');
    expect(existsSync(file)).toBe(false);
    expect(names(await keyrackJson<Named>(data, ['api-users', 'list']))).toEqual([]);
  });

  test('a broken store.json is refused in one line naming the file, not skipped', async () => {
    const file = join(data, STORE_SETTING_FILE);
    writeFileSync(file, '{"store": 5}');
    try {
      const run = await keyrack(data, ['api-users', 'list']);
      expect(run).toMatchObject({ code: 1, stderr: expect.stringMatching(/^error: The store setting .*store\.json is not usable: it has no "store" text/) });
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      rmSync(file);
    }
  });
});

describePostgres('bad store choices: each refused naming the problem, nothing written', () => {
  const scratch = postgresScratch();
  let data: string;

  beforeAll(() => {
    data = tempDir('keyrack-store-bad-');
  });
  afterAll(() => rmSync(data, { recursive: true, force: true }));

  /** Nothing in the data folder: no SQLite file was created. */
  const nothingWritten = () => expect(existsSync(join(data, DATABASE_FILE))).toBe(false);

  test.each([
    ['a malformed --store', ['--store', 'db.office.lan/keyrack', 'api-users', 'list'], {}, /not a URL/],
    ['a malformed KEYRACK_STORE', ['groups', 'list'], { KEYRACK_STORE: 'mysql://db/keyrack' }, /starts with "mysql:\/\/"/],
    ['a password in the URL', ['--store', 'postgres://keyrack:hunter2@127.0.0.1:1/keyrack', 'api-users', 'list'], {}, /contains a password/],
    ['a URL with no database', ['secrets', 'list', 'x'], { KEYRACK_STORE: 'postgres://keyrack@127.0.0.1' }, /names no database/],
  ])('%s: exit 2, the problem named, never the password', async (_, args, env, reason) => {
    const run = await keyrack(data, args, '', { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(reason);
    expect(run.stderr).not.toContain('hunter2');
    nothingWritten();
  });

  test('an unreachable server: one plain line within a few seconds, exit 1', async () => {
    const started = Date.now();
    const refused = await keyrack(data, ['--store', 'postgres://nobody@127.0.0.1:1/keyrack', 'api-users', 'list']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: The PostgreSQL server at 127\.0\.0\.1:1 cannot be reached \(ECONNREFUSED\)\. Check that it runs/);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    // 192.0.2.1 (TEST-NET-1) is never routed: no answer at all, given up after 5 seconds.
    const silent = await keyrack(data, ['api-users', 'list'], '', { env: { KEYRACK_STORE: 'postgres://nobody@192.0.2.1:5432/keyrack' } });
    expect(silent.code).toBe(1);
    expect(silent.stderr).toMatch(/^error: The PostgreSQL server at 192\.0\.2\.1:5432 cannot be reached/);
    expect(Date.now() - started).toBeLessThan(8_000);
    nothingWritten();
  }, 15_000);

  test('a port that takes the connection and closes it, or never answers: the same plain line, within the 5 s bound', async () => {
    const closing = createServer((socket) => socket.destroy());
    const held: Socket[] = [];
    const silent = createServer((socket) => held.push(socket));
    const listen = (server: Server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
    try {
      const closed = await keyrack(data, ['--store', `postgres://nobody@127.0.0.1:${await listen(closing)}/keyrack`, 'groups', 'list']);
      expect(closed.code).toBe(1);
      expect(closed.stderr).toMatch(/^error: The PostgreSQL server at 127\.0\.0\.1:\d+ cannot be reached \(the connection was closed before PostgreSQL answered\)/);
      const started = Date.now();
      const waited = await keyrack(data, ['--store', `postgres://nobody@127.0.0.1:${await listen(silent)}/keyrack`, 'groups', 'list']);
      expect(waited.code).toBe(1);
      expect(waited.stderr).toMatch(/^error: The PostgreSQL server at 127\.0\.0\.1:\d+ cannot be reached \(no answer in time\)/);
      expect(waited.stderr.trim().split('\n')).toHaveLength(1);
      expect(Date.now() - started).toBeLessThan(7_000);
      nothingWritten();
    } finally {
      closing.close();
      for (const socket of held) socket.destroy();
      silent.close();
    }
  }, 15_000);

  test("another application's database: refused, its tables untouched", async () => {
    const other = await foreignDatabase(scratch);
    const run = await keyrack(data, ['--store', other.database.url, 'people', 'list']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: This PostgreSQL database is not a Keyrack store/);
    expect(await other.relations()).toEqual(FOREIGN_RELATIONS);
    nothingWritten();
  });

  test('an older PostgreSQL store is upgraded when a command opens it, with the upgrade notice on stderr', async () => {
    const older = await scratch.database();
    const pool = await scratch.pool(older);
    await migratePostgres(pool, migrations.filter((m) => m.version < 80));
    // A folder of its own: a command that succeeds opens the data folder's SQLite file beside the store.
    const own = tempDir('keyrack-store-upgrade-');
    try {
      const run = await keyrack(own, ['--store', older.url, 'groups', 'list', '--json']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(new RegExp(`^Upgrading the store from schema 72 to ${PROGRAM_VERSION}, once: .*Please wait…\n$`));
      expect(Number((await pool.query('SELECT version FROM keyrack_schema')).rows[0].version)).toBe(PROGRAM_VERSION);
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });

  test('a schema newer than the program: refused, nothing written', async () => {
    const newer = await newerStore(scratch);
    const run = await keyrack(data, ['--store', newer.database.url, 'api-users', 'create', '--name', 'CRM Sync']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(newerSchemaRefusal(newer.version));
    const pool = await scratch.pool(newer.database);
    expect(Number((await pool.query('SELECT count(*) AS n FROM users')).rows[0].n)).toBe(0);
    nothingWritten();
  });

  test('a wrong password (PGPASSWORD): refused in one line that never holds it, nothing written', async () => {
    const login = await passwordLogin(await scratch.database(), 'right-horse');
    try {
      login.usePassword('wrong-horse');
      const wrong = await keyrack(data, ['--store', login.url, 'api-users', 'list']);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/^error: PostgreSQL at .* refused the login/);
      expect(wrong.stderr).not.toContain('wrong-horse');
      nothingWritten();
    } finally {
      await login.end();
    }
  });
});

describePostgres('the password prompt', () => {
  const scratch = postgresScratch();

  /** Runs the CLI with a terminal on stdin that types `typed`. */
  async function onTerminal(data: string, args: string[], typed: string, env: NodeJS.ProcessEnv): Promise<CliRun> {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    stdout.on('data', (c: Buffer) => out.push(c));
    stderr.on('data', (c: Buffer) => err.push(c));
    const stdin = Object.assign(Readable.from([Buffer.from(typed)]), { isTTY: true });
    const io: CliIo = { stdin, stdout, stderr, env: { ...env, KEYRACK_DATA: data }, osUser: 'tester' };
    const code = await runCli(args, io);
    return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
  }

  test('asked on a terminal when PGPASSWORD and ~/.pgpass give none, never echoed; without a terminal a plain refusal', async () => {
    const data = tempDir('keyrack-store-prompt-');
    const login = await passwordLogin(await scratch.database(), 'typed-horse', { owner: true });
    try {
      login.usePassword(undefined);
      const run = await onTerminal(data, ['--store', login.url, 'api-users', 'list', '--json'], 'typed-horse\n', {});
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ rows: [] });
      expect(run.stderr).toContain(`PostgreSQL password for ${login.url}: `);
      expect(run.stderr + run.stdout).not.toContain('typed-horse');

      const script = await keyrack(data, ['--store', login.url, 'api-users', 'list']);
      expect(script.code).toBe(1);
      expect(script.stderr).toMatch(/^error: PostgreSQL at .* refused the login \(no password was given\)/);
    } finally {
      await login.end();
      rmSync(data, { recursive: true, force: true });
    }
  });
});

describe('store status on SQLite lists the heartbeat rows too', () => {
  test('a node seen in the last minute is listed; an older one is not', async () => {
    const data = tempDir('keyrack-store-nodes-');
    try {
      expect((await keyrack(data, ['init', '--name', 'alice', '--password-stdin'], 'correct horse battery')).code).toBe(0);
      const db = openDatabase(join(data, DATABASE_FILE));
      const store = sqliteStore(db);
      const beat = startHeartbeat(store, { node: 'desk', version: '0.1.0', url: null });
      await beat.first;
      beat.stop();
      await store.run('INSERT INTO store_nodes (node, version, started_at, seen_at) VALUES (?, ?, ?, ?)', ['old', '0.0.1', 0, Date.now() - 61_000]);
      db.close();
      const status = await keyrackJson<{ engine: string; nodes: { node: string; url: string | null }[] }>(data, ['store', 'status']);
      expect(status.engine).toBe('sqlite');
      expect(status.nodes.map((n) => [n.node, n.url])).toEqual([['desk', null]]);
      const human = await keyrack(data, ['store', 'status']);
      expect(human.stdout).toMatch(/desk\s+0\.1\.0\s+-\s+/);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });
});
