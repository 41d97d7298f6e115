import { join } from 'node:path';
import { DatabaseTooNewError, latestVersion, type PostgresClient } from './migrate.js';
import { migrations } from './migrations/index.js';
import { storeNodes } from './migrations/0130-store-nodes.js';
import { nodesSeenSince, type StoreNode } from './node-heartbeat.js';
import { connectPostgres, describeStore, parseStoreUrl } from './postgres.js';
import { schemaVersion } from './postgres-migrate.js';
import { openSqliteReadOnly, sqliteSchemaVersion } from './sqlite-snapshot.js';
import { postgresStore } from './store-postgres.js';
import { sqliteStore } from './store-sqlite.js';
import type { Queryable } from './store.js';
import { DATABASE_FILE } from '../paths.js';

/**
 * `keyrack store status`: which store a command would use and what it holds, read without writing
 * anything (no migration, no file created), so it is safe beside a running app or node and on a store
 * this program is too old for. It lists the nodes whose heartbeat (node-heartbeat.ts) was seen in the
 * last minute.
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
  /** When the status was read (epoch ms): the nodes' "seen … ago" count from it. */
  at: number;
  /** The nodes seen in the last minute (NODES_WINDOW_MS), the most recent first. */
  nodes: StoreNode[];
}

/** "Seen in the last minute". */
export const NODES_WINDOW_MS = 60_000;

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
export async function readStoreStatus(store: string | undefined, dataDir: string, now = Date.now()): Promise<StoreStatus> {
  if (store === undefined || store === 'sqlite') return sqliteStatus(join(dataDir, DATABASE_FILE), now);
  return postgresStatus(store, now);
}

async function sqliteStatus(file: string, now: number): Promise<StoreStatus> {
  const db = openSqliteReadOnly(file);
  try {
    const version = sqliteSchemaVersion(db);
    const counts = version === 0 ? null : (db.prepare(COUNTS).get() as Counts);
    const result = status('sqlite', file, version, counts, now);
    result.nodes = await nodesOf(sqliteStore(db), version, now);
    return result;
  } finally {
    db.close();
  }
}

/** Before migration 0130 a store has no heartbeat table: no nodes. */
function nodesOf(store: Queryable, version: number, now: number): Promise<StoreNode[]> {
  return version >= storeNodes.version ? nodesSeenSince(store, now - NODES_WINDOW_MS) : Promise.resolve([]);
}

async function postgresStatus(url: string, now: number): Promise<StoreStatus> {
  const address = parseStoreUrl(url);
  const pool = await connectPostgres(address, { maxConnections: 1 });
  try {
    const client: PostgresClient = pool;
    // Refuses another application's database (ForeignDatabaseError) without writing.
    const version = await schemaVersion(client);
    // An empty database is a store not created yet: version 0, nothing in it.
    const counts = version === 0 ? null : ((await client.query(COUNTS)).rows[0] as unknown as Counts);
    const result = status('postgres', describeStore(address), version, counts, now);
    result.nodes = await nodesOf(postgresStore(pool), version, now);
    return result;
  } finally {
    await pool.end();
  }
}

function status(engine: StoreStatus['engine'], store: string, version: number, counts: Counts | null, now: number): StoreStatus {
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
    at: now,
    nodes: [],
  };
}
