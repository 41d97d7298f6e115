import { pendingMigrations, type Migration, type MigrationPlan, type PostgresClient } from './migrate.js';

/**
 * The migration runner for a PostgreSQL store: the same steps as SQLite's (migrate.ts), each step's
 * `postgres` part, with the same plan, order check and refusal of a newer schema (pendingMigrations).
 *
 * What SQLite keeps in PRAGMA user_version lives in `keyrack_schema`, one row naming the application and
 * the version. That row is also the mark of a Keyrack store: a database that has tables but no mark belongs
 * to something else, and is refused before anything is written.
 *
 * Several nodes may start at once over one database: every runner takes the same transaction-level
 * advisory lock first, so one migrates and the others, once it commits, find the schema current.
 */

/** The lock every runner takes (any fixed number; it only has to be the same on every node). */
const MIGRATION_LOCK = 0x6b72_6d69_6772; // "krmigr"

const APPLICATION = 'keyrack';

/** The database holds something that is not a Keyrack store. Nothing was written. */
export class ForeignDatabaseError extends Error {
  constructor(detail: string) {
    super(
      `This PostgreSQL database is not a Keyrack store (${detail}). Keyrack creates its store only in an ` +
        'empty database: create one for it (for example `createdb -O keyrack keyrack`) and point the store URL there.',
    );
    this.name = 'ForeignDatabaseError';
  }
}

/** Where the runner takes the one connection its transaction needs (a pg Pool). */
export interface PostgresConnections {
  connect(): Promise<PostgresClient & { release(): void }>;
}

/**
 * Brings the schema to the newest version of `list`. All pending steps run in one transaction, on one
 * connection of `pool`, under the migration lock: a failure leaves the database exactly as it was.
 */
export async function migratePostgres(
  pool: PostgresConnections,
  list: readonly Migration[],
  onStart?: (plan: MigrationPlan) => void,
): Promise<{ from: number; to: number }> {
  const client = await pool.connect();
  try {
    return await migrateInTransaction(client, list, onStart);
  } finally {
    client.release();
  }
}

async function migrateInTransaction(
  client: PostgresClient,
  list: readonly Migration[],
  onStart?: (plan: MigrationPlan) => void,
): Promise<{ from: number; to: number }> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    const from = await schemaVersion(client);
    const { plan, steps } = pendingMigrations(list, from);
    if (from === 0) await assertUnicode(client);
    if (steps.length > 0) {
      onStart?.(plan);
      if (from === 0) {
        await client.query(`CREATE TABLE keyrack_schema (
          application TEXT NOT NULL CHECK (application = '${APPLICATION}'),
          version     INTEGER NOT NULL
        )`);
        await client.query('INSERT INTO keyrack_schema (application, version) VALUES ($1, 0)', [APPLICATION]);
      }
      for (const step of steps) await runStep(client, step);
      await client.query('UPDATE keyrack_schema SET version = $1', [plan.to]);
    }
    await client.query('COMMIT');
    return { from, to: plan.to };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function runStep(client: PostgresClient, step: Migration): Promise<void> {
  if (typeof step.postgres === 'string') await client.query(step.postgres);
  else if (step.postgres) await step.postgres(client);
}

/**
 * The database cannot hold a store: it does not know Unicode letters (encoding other than UTF8, or the C
 * locale, where PostgreSQL's regular expressions and lower() see only ASCII letters and the log's search
 * would drop every other word). Nothing was written.
 */
export class DatabaseEncodingError extends Error {
  constructor(detail: string) {
    super(
      `This PostgreSQL database ${detail}; Keyrack's log search needs Unicode letters. Create the database ` +
        'with `createdb -E UTF8 -l C.UTF-8 -T template0 …` (or another UTF-8 locale) and point the store URL there.',
    );
    this.name = 'DatabaseEncodingError';
  }
}

/** Checked when a store is created; neither can change afterwards. datlocprovider is PostgreSQL 15's. */
async function assertUnicode(client: PostgresClient): Promise<void> {
  const { rows } = await client.query(`
    SELECT current_setting('server_encoding') AS encoding, d.datctype AS ctype, to_jsonb(d) ->> 'datlocprovider' AS provider
    FROM pg_database d WHERE d.datname = current_database()`);
  const { encoding, ctype, provider } = rows[0] as { encoding: string; ctype: string; provider: string | null };
  if (encoding !== 'UTF8') throw new DatabaseEncodingError(`is encoded in ${encoding}, not UTF8`);
  if (provider !== 'i' && (ctype === 'C' || ctype === 'POSIX')) {
    throw new DatabaseEncodingError(`has the ${ctype} locale (LC_CTYPE), which knows only ASCII letters`);
  }
}

/**
 * The store's schema version: 0 for an empty database, the marked version for a Keyrack store; anything
 * else is refused. Only the database's own schemas count (not pg_catalog, information_schema, pg_toast).
 * Reads only: `keyrack store status` asks it without migrating.
 */
export async function schemaVersion(client: PostgresClient): Promise<number> {
  const { rows } = await client.query(`SELECT to_regclass('keyrack_schema') IS NOT NULL AS marked`);
  if (rows[0]!.marked) {
    const mark = await client.query('SELECT application, version FROM keyrack_schema').catch(() => null);
    const row = mark?.rows.length === 1 ? mark.rows[0]! : null;
    if (row?.application !== APPLICATION || typeof row.version !== 'number') {
      throw new ForeignDatabaseError('its keyrack_schema table is not the one Keyrack writes');
    }
    return row.version;
  }
  const { rows: found } = await client.query(`
    SELECT count(*) AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
    WHERE s.nspname NOT IN ('pg_catalog', 'information_schema') AND s.nspname NOT LIKE 'pg\\_%'`);
  const relations = Number(found[0]!.n);
  if (relations > 0) throw new ForeignDatabaseError(`it holds ${relations} tables, indexes or sequences, and no Keyrack schema mark`);
  return 0;
}
