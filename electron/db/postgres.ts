import pg from 'pg';
import type { MigrationPlan } from './migrate.js';
import { migrations } from './migrations/index.js';
import { migratePostgres } from './postgres-migrate.js';

/**
 * Opens a PostgreSQL store: the only importer of `pg` (STYLE §8). It reads the store URL, connects with a
 * bounded wait, says in plain words why it could not, and migrates the schema (postgres-migrate.ts).
 *
 * A password never travels in the URL (it would sit in shell history and process lists): it comes from
 * PGPASSWORD or ~/.pgpass, which `pg` reads by itself, or from the caller (a prompt). No error or log line
 * here contains it; PostgreSQL's own messages name the user at most.
 */

/** The store URL cannot be used. The message says what is wrong without repeating the URL. */
export class StoreUrlError extends Error {
  constructor(problem: string) {
    super(`The store URL is not usable: ${problem}. Expected postgres://user@host:port/database.`);
    this.name = 'StoreUrlError';
  }
}

/** The server is not there or did not answer in time. */
export class StoreUnreachableError extends Error {
  constructor(where: string, detail: string) {
    super(`The PostgreSQL server at ${where} cannot be reached (${detail}). Check that it runs and that the host and port are right.`);
    this.name = 'StoreUnreachableError';
  }
}

/** The server refused the login: a wrong or missing password, or a user it does not know. */
export class StoreLoginError extends Error {
  constructor(
    where: string,
    detail: string,
    /** The server asked for a password and none was given (a prompt may supply one). */
    readonly noPassword = false,
  ) {
    super(`PostgreSQL at ${where} refused the login (${detail}). Check the user, and the password in PGPASSWORD or ~/.pgpass.`);
    this.name = 'StoreLoginError';
  }
}

/** The server answered, but has no database of that name. */
export class StoreDatabaseMissingError extends Error {
  constructor(where: string, database: string) {
    super(`The PostgreSQL server at ${where} has no database "${database}". Create it first (createdb ${database}).`);
    this.name = 'StoreDatabaseMissingError';
  }
}

/** Where a store lives; a password is never part of it. */
export interface StoreAddress {
  host: string;
  port: number;
  database: string;
  /** Absent: `pg`'s default (PGUSER, else the operating system user). */
  user?: string;
}

export interface PostgresConnectOptions {
  /** From a prompt; without it `pg` reads PGPASSWORD or ~/.pgpass. */
  password?: string;
  /**
   * Asked once, only when the server wants a password and neither `password`, PGPASSWORD nor ~/.pgpass gave
   * one (the CLI's hidden prompt on a terminal). The answer is used for this pool and never kept elsewhere.
   */
  askPassword?: () => Promise<string>;
  /** How long a connection attempt may take before the server counts as unreachable. */
  connectTimeoutMs?: number;
  /** Connections the pool may hold. */
  maxConnections?: number;
}

export interface OpenPostgresOptions extends PostgresConnectOptions {
  /** Hears an upgrade's plan before it runs (upgradeNotice in migrate.ts words it). */
  onMigrate?: (plan: MigrationPlan) => void;
}

export type StorePool = pg.Pool;
/** One connection of the pool, held for a transaction (store-postgres.ts). */
export type StoreConnection = pg.PoolClient;
export type StoreQueryResult = pg.QueryResult;

const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
const DEFAULT_PORT = 5432;

/** Reads `postgres://user@host:port/database` (or `postgresql://`); refuses anything else with a reason. */
export function parseStoreUrl(text: string): StoreAddress {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new StoreUrlError('it is not a URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new StoreUrlError(`it starts with "${url.protocol}//", not postgres:// or postgresql://`);
  }
  if (url.password) {
    throw new StoreUrlError('it contains a password; put the password in PGPASSWORD or ~/.pgpass instead');
  }
  if (!url.hostname) throw new StoreUrlError('it names no host');
  const port = url.port ? Number(url.port) : DEFAULT_PORT;
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database) throw new StoreUrlError('it names no database (the path after the host)');
  if (database.includes('/')) throw new StoreUrlError('the database name contains "/"');
  if (url.search || url.hash) throw new StoreUrlError('it has options after the database name, which Keyrack does not read');
  const user = url.username ? decodeURIComponent(url.username) : undefined;
  // URL keeps IPv6 addresses in brackets; pg wants them bare.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { host, port, database, ...(user ? { user } : {}) };
}

/** The store URL without anything secret, for messages and logs. */
export function describeStore(address: StoreAddress): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return `postgres://${address.user ? `${address.user}@` : ''}${host}:${address.port}/${address.database}`;
}

/**
 * A pool of connections to the store, after one connection proved the address, the login and the database.
 * Does not migrate (openPostgresStore does).
 */
export async function connectPostgres(address: StoreAddress, options: PostgresConnectOptions = {}): Promise<StorePool> {
  const config: pg.PoolConfig = {
    host: address.host,
    port: address.port,
    database: address.database,
    user: address.user,
    password: options.password,
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    max: options.maxConnections ?? 10,
    application_name: 'keyrack',
    // Every event durable before the answer, whatever the database's default (issue 10).
    options: '-c synchronous_commit=on',
    types: { getTypeParser: typeParser as typeof pg.types.getTypeParser },
  };
  // The first connection on its own: when it fails halfway (pg gives up when the server asks for a password
  // it does not have), end() closes the socket, which a pool leaves open until the server's own
  // authentication timeout.
  try {
    await probeConnection(config, address);
  } catch (error) {
    if (!(error instanceof StoreLoginError && error.noPassword && options.askPassword && options.password === undefined)) throw error;
    config.password = await options.askPassword();
    await probeConnection(config, address);
  }
  const pool = new pg.Pool(config);
  // An idle connection the server dropped (a restart) is discarded by the pool, and the next query opens a
  // new one; without a listener the error would end the process.
  pool.on('error', () => undefined);
  return pool;
}

async function probeConnection(config: pg.ClientConfig, address: StoreAddress): Promise<void> {
  const probe = new pg.Client(config);
  try {
    await probe.connect();
  } catch (error) {
    void probe.end().catch(() => undefined);
    throw connectError(address, error);
  }
  await probe.end();
}

/** Connects to the store and brings its schema to this program's version. */
export async function openPostgresStore(url: string, options: OpenPostgresOptions = {}): Promise<StorePool> {
  const pool = await connectPostgres(parseStoreUrl(url), options);
  try {
    await migratePostgres(pool, migrations, options.onMigrate);
    return pool;
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * BIGINT as a JavaScript number: ids, epoch milliseconds and counts are far below 2^53, and the repositories
 * expect numbers as SQLite gives them. NUMERIC (what sum() of BIGINTs returns) likewise. A value beyond the
 * safe range fails loudly rather than coming back rounded.
 */
function typeParser(oid: number, format?: string): (text: string) => unknown {
  if (format === 'binary') return pg.types.getTypeParser(oid, 'binary');
  if (oid === INT8_OID) return parseSafeInteger;
  if (oid === NUMERIC_OID) return Number;
  return pg.types.getTypeParser(oid, 'text');
}

/** PostgreSQL's integer types (int2, int4, int8) and boolean (none in the schema today; 0/1 as SQLite keeps them). */
const EXACT_INTEGER_OIDS = new Set([20, 21, 23]);
const BOOL_OID = 16;

const exactTypes = {
  getTypeParser(oid: number, format?: string): (text: string) => unknown {
    if (format !== 'binary' && EXACT_INTEGER_OIDS.has(oid)) return (text: string) => BigInt(text);
    if (format !== 'binary' && oid === BOOL_OID) return (text: string) => (text === 't' ? 1n : 0n);
    return pg.types.getTypeParser(oid, format === 'binary' ? 'binary' : 'text');
  },
};

/**
 * A query's rows as arrays of values with every integer exact, a BigInt (the pool's parser above makes
 * BIGINT a number and refuses one beyond 2^53); BYTEA a Buffer, text a string. For `keyrack store copy
 * --from` (store-copy.ts), which writes the values into SQLite as they are.
 */
export async function queryExactRows(client: StoreConnection, text: string): Promise<unknown[][]> {
  const result = await client.query({ text, rowMode: 'array', types: exactTypes as typeof pg.types });
  return result.rows as unknown[][];
}

function parseSafeInteger(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`a BIGINT beyond JavaScript's safe integers: ${text}`);
  return value;
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET']);
// SQLSTATE 28000 invalid_authorization_specification (no pg_hba entry, unknown user), 28P01 invalid_password.
const LOGIN_CODES = new Set(['28000', '28P01']);
const MISSING_DATABASE_CODE = '3D000';

/** Names the problem behind a failed first connection; anything unforeseen passes through unchanged. */
function connectError(address: StoreAddress, error: unknown): Error {
  const where = `${address.host}:${address.port}`;
  const { code, message } = error as { code?: string; message?: string };
  const detail = message ?? String(error);
  if (code && UNREACHABLE_CODES.has(code)) return new StoreUnreachableError(where, code);
  if (/timeout/i.test(detail)) return new StoreUnreachableError(where, 'no answer in time');
  // Something took the connection and closed it before a PostgreSQL server answered (a proxy, a firewall, a
  // server shutting down, another service on that port).
  if (/connection terminated unexpectedly/i.test(detail)) return new StoreUnreachableError(where, 'the connection was closed before PostgreSQL answered');
  if (code && LOGIN_CODES.has(code)) return new StoreLoginError(where, detail);
  // pg's own words when the server asks for a password and none was given.
  if (/password must be a string|no password/i.test(detail)) return new StoreLoginError(where, 'no password was given', true);
  if (code === MISSING_DATABASE_CODE) return new StoreDatabaseMissingError(where, address.database);
  return error instanceof Error ? error : new Error(detail);
}
