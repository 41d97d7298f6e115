import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'vitest';
import { openCore, type Core, type CoreOptions } from '../../electron/core.js';
import { createPasswordHasher } from '../../electron/crypto/password.js';
import { connectPostgres, openPostgresStore } from '../../electron/db/postgres.js';
import { openSqliteReadOnly } from '../../electron/db/sqlite-snapshot.js';
import { postgresStore } from '../../electron/db/store-postgres.js';
import { DATABASE_FILE } from '../../electron/paths.js';
import type { Actor } from '../../electron/services/context.js';
import { TEST_HASH_PARAMS, tempDir, testClock, type TestClock } from './core.js';
import { describePostgres, postgresScratch, type TestDatabase } from './postgres.js';

/**
 * The service suites on both engines (issue 10): a suite is a function of an Engine, called once under
 * `describe('on SQLite')` and once under `describePostgres('on PostgreSQL')` (skipped, with the reason said
 * once, where PostgreSQL is not installed). On PostgreSQL every core has a database of its own, copied from
 * one migrated per suite (CREATE DATABASE … TEMPLATE: far quicker than migrating each), and `deps.store` is a
 * PostgreSQL store over it; the core's SQLite file is still opened for what is not on the port yet (the
 * checkpoint key, the CLI, the token server), but the services on the port never read or write it.
 */

export type EngineName = 'sqlite' | 'postgres';

export interface EngineCore extends Core {
  clock: TestClock;
  /** The environment that points `keyrack` (test/support/cli.ts) at this core's store: KEYRACK_STORE on PostgreSQL. */
  cliEnv: NodeJS.ProcessEnv;
  /** Closes the core (and its PostgreSQL store) and removes its data folder (and its database). */
  cleanup(): Promise<void>;
}

/** What a suite may set of a core's options (the rest is the engine's). */
export type EngineCoreOptions = Pick<CoreOptions, 'keyWrapper'>;

export interface Engine {
  readonly name: EngineName;
  makeCore(options?: EngineCoreOptions): Promise<EngineCore>;
  /** A core with a first administrator; returns the admin as an actor. */
  coreWithAdmin(): Promise<{ core: EngineCore; admin: Actor }>;
}

function engineOf(name: EngineName, makeCore: (options?: EngineCoreOptions) => Promise<EngineCore>): Engine {
  return {
    name,
    makeCore,
    async coreWithAdmin() {
      const core = await makeCore();
      const session = await core.auth.setup({ name: 'alice', password: 'correct horse battery' });
      return { core, admin: { kind: 'person', userId: session.userId, name: session.name } };
    },
  };
}

export function sqliteEngine(): Engine {
  return engineOf('sqlite', async (options) => {
    const dataDir = tempDir();
    const clock = testClock();
    const core = openCore({ ...options, dataDir, clock, passwords: createPasswordHasher(TEST_HASH_PARAMS) });
    return Object.assign(core, {
      clock,
      cliEnv: {},
      async cleanup() {
        core.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    });
  });
}

/** Call in a describePostgres body: the scratch databases are dropped after the suite. */
export function postgresEngine(): Engine {
  const scratch = postgresScratch();
  let template: Promise<TestDatabase> | undefined;
  const migrated = async (): Promise<TestDatabase> => {
    const database = await scratch.database();
    // Migrated, then left: CREATE DATABASE … TEMPLATE needs a template nobody is connected to.
    await (await openPostgresStore(database.url)).end();
    return database;
  };
  return engineOf('postgres', async (options) => {
    const database = await scratch.database(await (template ??= migrated()));
    const store = postgresStore(await connectPostgres(database.address));
    const dataDir = tempDir();
    const clock = testClock();
    const core = openCore({ ...options, dataDir, clock, passwords: createPasswordHasher(TEST_HASH_PARAMS), store });
    return Object.assign(core, {
      clock,
      cliEnv: { KEYRACK_STORE: database.url },
      async cleanup() {
        // After the close, on a connection of its own: a test may have closed the core to run the CLI.
        core.close();
        const wrongly = sqliteRowsWritten(dataDir);
        await store.close();
        await database.drop();
        rmSync(dataDir, { recursive: true, force: true });
        if (wrongly > 0) throw new Error(`a service on the Store port wrote ${wrongly} rows to the SQLite file of a PostgreSQL core`);
      },
    });
  });
}

/**
 * What the services on the port (or a CLI command run on the core's store) would have left in the data
 * folder's SQLite file had one of them written through `deps.db` instead of `deps.store`: checked when a
 * PostgreSQL core is cleaned up, so such a write fails its test.
 */
function sqliteRowsWritten(dataDir: string): number {
  const tables = [
    'users', 'credentials', 'client_secrets', 'client_keys', 'allowlist_entries', 'memberships', 'mailboxes',
    'mailbox_assignments', 'activations', 'audit_events', 'login_throttle', "groups WHERE builtin = 0", "resources WHERE builtin = 0",
  ];
  const db = openSqliteReadOnly(join(dataDir, DATABASE_FILE));
  try {
    return tables.reduce((n, table) => n + (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n, 0);
  } finally {
    db.close();
  }
}

/** Defines `suite` on SQLite and on PostgreSQL. */
export function describeEngines(suite: (engine: Engine) => void): void {
  describe('on SQLite', () => suite(sqliteEngine()));
  describePostgres('on PostgreSQL', () => suite(postgresEngine()));
}
