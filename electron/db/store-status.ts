import { join } from 'node:path';
import { DatabaseTooNewError, latestVersion, type PostgresClient } from './migrate.js';
import { migrations } from './migrations/index.js';
import { connectPostgres, describeStore, parseStoreUrl } from './postgres.js';
import { schemaVersion } from './postgres-migrate.js';
import { openSqliteReadOnly, sqliteSchemaVersion } from './sqlite-snapshot.js';
import { DATABASE_FILE } from '../paths.js';

/**
 * `keyrack store status`: which store a command would use and what it holds, read without writing
 * anything (no migration, no file created), so it is safe beside a running app or node and on a store
 * this program is too old for. (Nodes seen in the last minute come with the serve work of issue 10.)
 */
export interface StoreStatus {
  engine: 'sqlite' | 'postgres';
  /** The SQLite file, or the PostgreSQL URL without a password (there never is one). */
  store: string;
  schemaVersion: number;
  programSchemaVersion: number;
  apiUsers: number;
  people: number;
  logEvents: number;
}

/** The same SQL on both engines. */
const COUNTS = `SELECT (SELECT count(*) FROM users WHERE kind = 'api') AS api_users,
  (SELECT count(*) FROM users WHERE kind = 'person') AS people,
  (SELECT count(*) FROM audit_events) AS log_events`;

interface Counts {
  api_users: number;
  people: number;
  log_events: number;
}

/** `store`: a postgres:// URL, or absent / `sqlite` for the data folder's SQLite file. */
export async function readStoreStatus(store: string | undefined, dataDir: string): Promise<StoreStatus> {
  if (store === undefined || store === 'sqlite') return sqliteStatus(join(dataDir, DATABASE_FILE));
  return postgresStatus(store);
}

function sqliteStatus(file: string): StoreStatus {
  const db = openSqliteReadOnly(file);
  try {
    const version = sqliteSchemaVersion(db);
    const counts = version === 0 ? null : (db.prepare(COUNTS).get() as Counts);
    return status('sqlite', file, version, counts);
  } finally {
    db.close();
  }
}

async function postgresStatus(url: string): Promise<StoreStatus> {
  const address = parseStoreUrl(url);
  const pool = await connectPostgres(address, { maxConnections: 1 });
  try {
    const client: PostgresClient = pool;
    // Refuses another application's database (ForeignDatabaseError) without writing.
    const version = await schemaVersion(client);
    // An empty database is a store not created yet: version 0, nothing in it.
    const counts = version === 0 ? null : ((await client.query(COUNTS)).rows[0] as unknown as Counts);
    return status('postgres', describeStore(address), version, counts);
  } finally {
    await pool.end();
  }
}

function status(engine: StoreStatus['engine'], store: string, version: number, counts: Counts | null): StoreStatus {
  const program = latestVersion(migrations);
  // Counting in a newer schema could mislead; the message says to update Keyrack.
  if (version > program) throw new DatabaseTooNewError(version, program);
  return {
    engine,
    store,
    schemaVersion: version,
    programSchemaVersion: program,
    apiUsers: Number(counts?.api_users ?? 0),
    people: Number(counts?.people ?? 0),
    logEvents: Number(counts?.log_events ?? 0),
  };
}
