import { existsSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Channel, InputOf } from '../../shared/contract.js';
import { latestVersion } from '../../electron/db/migrate.js';
import { migrations } from '../../electron/db/migrations/index.js';
import { STORE_SETTING_FILE } from '../../electron/db/store-choice.js';
import { dispatch } from '../../electron/ipc/dispatch.js';
import { valueOf } from './support.js';
import { createHandlers, memorySessionSlot, type CallContext, type Handlers } from '../../electron/ipc/handlers.js';
import type { HandlerRuntime } from '../../electron/services/runtime.js';
import { DATABASE_FILE } from '../../electron/paths.js';
import { coreWithAdmin, type TestCore } from '../support/core.js';
import { events, powerlessPerson } from '../support/fixtures.js';
import { adminClient, describePostgres, postgresScratch, sharedCluster } from '../support/postgres.js';

/** The Store card's channels through dispatch, on a SQLite core (services/store-admin.ts). */

const PROGRAM = latestVersion(migrations);

let core: TestCore;
let admin: CallContext;
let bob: CallContext;

async function setUp(runtime: HandlerRuntime = {}): Promise<Handlers> {
  const made = await coreWithAdmin();
  core = made.core;
  core.clock.set(Date.now());
  await powerlessPerson(core, made.admin, 'bob');
  const handlers = createHandlers(core, runtime);
  admin = { session: memorySessionSlot() };
  bob = { session: memorySessionSlot() };
  await dispatch(handlers, 'auth.login', { name: 'alice', password: 'correct horse battery' }, admin);
  await dispatch(handlers, 'auth.login', { name: 'bob', password: 'another long password' }, bob);
  return handlers;
}

let handlers: Handlers;
afterEach(() => core.cleanup());

const call = <C extends Channel>(channel: C, input: InputOf<C>, who: CallContext = admin) => dispatch(handlers, channel, input, who);
const value = <C extends Channel>(channel: C, input: InputOf<C>, who: CallContext = admin) => valueOf(handlers, channel, input, who);
const settingFile = () => join(core.dataDir, STORE_SETTING_FILE);
const storeEvents = () => events(core).filter((e) => e.type === 'settings.changed');

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

describe('store.status', () => {
  beforeEach(async () => {
    handlers = await setUp();
  });

  test("names the core's SQLite file, chosen by default, its schema version and the program's; no nodes", async () => {
    const status = await value('store.status', {});
    expect(status).toMatchObject({
      engine: 'sqlite',
      store: join(core.dataDir, DATABASE_FILE),
      chosenBy: 'default',
      schemaVersion: PROGRAM,
      programSchemaVersion: PROGRAM,
      nodes: [],
      problem: null,
      next: { engine: 'sqlite', store: join(core.dataDir, DATABASE_FILE), chosenBy: 'default' },
      nextProblem: null,
      envOverrides: false,
    });
  });

  test('any logged-in person may read it; nobody logged in may not', async () => {
    expect((await call('store.status', {}, bob)).ok).toBe(true);
    const stranger = await call('store.status', {}, { session: memorySessionSlot() });
    expect(stranger).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });
});

describe('store.choose refuses before anything is written', () => {
  beforeEach(async () => {
    handlers = await setUp();
  });

  test.each([
    ['not a URL', 'keyrack on the server', /it is not a URL/],
    ['another scheme', 'mysql://alice@db.office.lan/keyrack', /starts with "mysql:\/\/", not postgres:\/\//],
    ['a password inside', 'postgres://alice:hunter2secret@db.office.lan/keyrack', /it contains a password; put the password in PGPASSWORD or ~\/\.pgpass/],
    ['no database', 'postgres://alice@db.office.lan', /names no database/],
  ])('a malformed URL (%s): a validation error on the url field, naming the problem', async (_, url, problem) => {
    const result = await call('store.choose', { kind: 'postgres', url });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('validation');
    expect(result.error.fields?.url).toMatch(problem);
    expect(JSON.stringify(result)).not.toContain('hunter2secret');
    expect(existsSync(settingFile())).toBe(false);
    expect(storeEvents()).toEqual([]);
  });

  test('an empty or overlong URL is refused by the contract', async () => {
    expect(await call('store.choose', { kind: 'postgres', url: '  ' })).toMatchObject({
      ok: false,
      error: { code: 'validation', fields: { url: 'Store URL is required' } },
    });
    expect(await call('store.choose', { kind: 'postgres', url: `postgres://a@b/${'x'.repeat(1100)}` })).toMatchObject({
      ok: false,
      error: { code: 'validation', fields: { url: 'Store URL can be at most 1024 characters' } },
    });
    expect(await call('store.choose', { kind: 'mysql' } as never)).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(existsSync(settingFile())).toBe(false);
  });

  test('an unreachable server: said on the url field, nothing written', async () => {
    const port = await closedPort();
    const result = await call('store.choose', { kind: 'postgres', url: `postgres://keyrack@127.0.0.1:${port}/keyrack` });
    expect(result).toMatchObject({ ok: false, error: { code: 'validation' } });
    if (result.ok) return;
    expect(result.error.fields?.url).toMatch(new RegExp(`The PostgreSQL server at 127\\.0\\.0\\.1:${port} cannot be reached`));
    expect(existsSync(settingFile())).toBe(false);
  });

  test('a person without server.manage is refused, the refusal logged, nothing written', async () => {
    const result = await call('store.choose', { kind: 'sqlite' }, bob);
    expect(result).toEqual({ ok: false, error: { code: 'forbidden', message: 'You need permission to run the token server to do this.' } });
    expect(existsSync(settingFile())).toBe(false);
    expect(storeEvents()).toMatchObject([{ actorName: 'bob', outcome: 'failure', reason: 'forbidden' }]);
  });
});

describe('KEYRACK_STORE in the environment', () => {
  test('wins over the setting: the card is told so, and the next start follows it', async () => {
    handlers = await setUp({ storeEnv: 'sqlite' });
    const status = await value('store.status', {});
    expect(status.envOverrides).toBe(true);
    expect(status.next).toMatchObject({ engine: 'sqlite', chosenBy: 'env' });
  });

  test('a malformed KEYRACK_STORE is said as the next start\'s problem, not thrown', async () => {
    handlers = await setUp({ storeEnv: 'postgres://alice:pw@db/keyrack' });
    const status = await value('store.status', {});
    expect(status.next).toBeNull();
    expect(status.nextProblem).toMatch(/contains a password/);
    expect(status.nextProblem).not.toContain(':pw@');
  });
});

describePostgres('store.choose on a real PostgreSQL server', () => {
  const scratch = postgresScratch();
  beforeEach(async () => {
    handlers = await setUp();
  });

  test('a reachable, empty database: its schema created, store.json written, the change logged', async () => {
    const database = await scratch.database();
    const chosen = await value('store.choose', { kind: 'postgres', url: database.url });
    expect(chosen).toMatchObject({ engine: 'postgres', store: database.url });
    expect(JSON.parse(readFileSync(settingFile(), 'utf8'))).toEqual({ store: database.url });
    // The app goes on with its SQLite store until its next start, which opens the one chosen.
    expect(chosen.status).toMatchObject({ engine: 'sqlite', chosenBy: 'default', next: { engine: 'postgres', store: database.url, chosenBy: 'setting' } });
    expect(storeEvents()).toMatchObject([
      { actorName: 'alice', outcome: 'success', details: { area: 'store', setting: STORE_SETTING_FILE, from: join(core.dataDir, DATABASE_FILE), to: database.url } },
    ]);
    const client = await adminClient(database.address.database);
    try {
      expect((await client.query('SELECT version FROM keyrack_schema')).rows).toEqual([{ version: PROGRAM }]);
    } finally {
      await client.end();
    }

    // And back to SQLite: store.json removed, logged too.
    const back = await value('store.choose', { kind: 'sqlite' });
    expect(back).toMatchObject({ engine: 'sqlite', store: join(core.dataDir, DATABASE_FILE) });
    expect(existsSync(settingFile())).toBe(false);
    expect(storeEvents()).toHaveLength(2);
  });

  test('a missing database, a refused login, another application\'s database, a newer schema: each said, nothing written', async () => {
    const cluster = await sharedCluster();
    const at = `${cluster.host}:${cluster.port}`;
    const refusal = async (url: string) => {
      const result = await call('store.choose', { kind: 'postgres', url });
      expect(result.ok, url).toBe(false);
      if (result.ok) return '';
      expect(result.error.code).toBe('validation');
      return result.error.fields?.url ?? '';
    };
    expect(await refusal(`postgres://${cluster.user}@${at}/keyrack_no_such_database`)).toMatch(/has no database "keyrack_no_such_database"/);
    expect(await refusal(`postgres://nobody_here@${at}/postgres`)).toMatch(/refused the login/);

    const foreign = await scratch.database();
    const client = await adminClient(foreign.address.database);
    await client.query('CREATE TABLE customers (id INTEGER PRIMARY KEY)');
    await client.end();
    expect(await refusal(foreign.url)).toMatch(/is not a Keyrack store/);

    const newer = await scratch.database();
    await value('store.choose', { kind: 'postgres', url: newer.url });
    await value('store.choose', { kind: 'sqlite' });
    const newerClient = await adminClient(newer.address.database);
    await newerClient.query(`UPDATE keyrack_schema SET version = ${PROGRAM + 10}`);
    await newerClient.end();
    expect(await refusal(newer.url)).toMatch(/newer than this Keyrack understands/);

    expect(existsSync(settingFile())).toBe(false);
  });
});
