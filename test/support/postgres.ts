import { existsSync, mkdirSync, openSync, closeSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, describe, inject } from 'vitest';
import { connectPostgres, type StoreAddress, type StorePool } from '../../electron/db/postgres.js';
import { postgresUnavailable, startPostgresCluster, type PostgresCluster } from '../../devkit/postgres-cluster.js';

/**
 * PostgreSQL for a test file: the run's shared throwaway cluster (started by the first file that asks,
 * under a lock, and removed by postgres-global-setup.ts), and a fresh empty database per file.
 */

/** Why this machine cannot run the PostgreSQL tests, or null. */
export const postgresSkipReason: string | null = postgresUnavailable();

/**
 * `describe` for tests that need PostgreSQL. Without it the tests are skipped, and the run says once why
 * (not once per file, and not as a wall of failures).
 */
export function describePostgres(name: string, body: () => void): void {
  if (postgresSkipReason === null) {
    describe(name, body);
    return;
  }
  if (firstToSay()) console.warn(`PostgreSQL tests skipped: ${postgresSkipReason}.`);
  describe.skip(`${name} (skipped: ${postgresSkipReason})`, body);
}

function firstToSay(): boolean {
  try {
    closeSync(openSync(join(inject('postgresRunDir'), 'skip-note'), 'wx'));
    return true;
  } catch {
    return false;
  }
}

const LOCK_WAIT_MS = 90_000;

/** The run's cluster, started here if no file has started it yet. */
export async function sharedCluster(): Promise<PostgresCluster> {
  const runDir = inject('postgresRunDir');
  const record = join(runDir, 'cluster.json');
  const failure = join(runDir, 'failed.txt');
  const lock = join(runDir, 'lock');
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    if (existsSync(record)) return JSON.parse(readFileSync(record, 'utf8')) as PostgresCluster;
    if (existsSync(failure)) throw new Error(readFileSync(failure, 'utf8'));
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`no PostgreSQL cluster after ${LOCK_WAIT_MS / 1000} s (lock ${lock})`);
      await sleep(100);
    }
  }
  try {
    if (existsSync(record)) return JSON.parse(readFileSync(record, 'utf8')) as PostgresCluster;
    const cluster = await startPostgresCluster();
    writeFileSync(record, JSON.stringify(cluster));
    return cluster;
  } catch (error) {
    // The other files fail with the same reason instead of each trying again.
    writeFileSync(failure, `the test PostgreSQL cluster did not start: ${(error as Error).message}`);
    throw error;
  } finally {
    rmdirSync(lock);
  }
}

/** A connected superuser client to one database of the run's cluster; the caller ends it. */
export async function adminClient(database = 'postgres'): Promise<pg.Client> {
  const cluster = await sharedCluster();
  const client = new pg.Client({ host: cluster.host, port: cluster.port, user: cluster.user, database });
  await client.connect();
  return client;
}

export interface TestDatabase {
  /** Superuser access, as the tests' store address. */
  address: StoreAddress;
  url: string;
  drop(): Promise<void>;
}

/**
 * A new database with a random name, empty or a copy of `template` (a database nobody is connected to);
 * drop() removes it, connections and all.
 */
export async function createTestDatabase(template?: TestDatabase): Promise<TestDatabase> {
  const cluster = await sharedCluster();
  const database = `keyrack_test_${randomBytes(6).toString('hex')}`;
  const admin = await adminClient();
  try {
    await admin.query(`CREATE DATABASE ${database}${template ? ` TEMPLATE ${template.address.database}` : ''}`);
  } finally {
    await admin.end();
  }
  const address = { host: cluster.host, port: cluster.port, database, user: cluster.user };
  return {
    address,
    url: `postgres://${cluster.user}@${cluster.host}:${cluster.port}/${database}`,
    async drop() {
      const client = await adminClient();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** What a test file opens on PostgreSQL, all of it closed and dropped after the file. */
export interface PostgresScratch {
  /** A new empty database, or a copy of `template` (which nobody may be connected to meanwhile). */
  database(template?: TestDatabase): Promise<TestDatabase>;
  /** A pool on `database`, or on a new empty database. */
  pool(database?: TestDatabase): Promise<StorePool>;
  /** A pool the test opened itself, to be ended with the others. */
  keep(pool: StorePool): StorePool;
}

/** Call in a describePostgres body: registers the afterAll that ends the pools, then drops the databases. */
export function postgresScratch(): PostgresScratch {
  const databases: TestDatabase[] = [];
  const pools: StorePool[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await Promise.all(databases.map((d) => d.drop()));
  });
  const scratch: PostgresScratch = {
    async database(template) {
      const database = await createTestDatabase(template);
      databases.push(database);
      return database;
    },
    async pool(database) {
      return scratch.keep(await connectPostgres((database ?? (await scratch.database())).address));
    },
    keep(pool) {
      pools.push(pool);
      return pool;
    },
  };
  return scratch;
}
