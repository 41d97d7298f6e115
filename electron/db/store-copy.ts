import Database from 'better-sqlite3';
import { DatabaseTooNewError, latestVersion, migrate, type MigrationPlan, type PostgresClient } from './migrate.js';
import { migrations } from './migrations/index.js';
import type { Db } from './open.js';
import { connectPostgres, parseStoreUrl, type StorePool } from './postgres.js';
import { migratePostgres, schemaVersion } from './postgres-migrate.js';
import type { KeyCopyPlan, RowRewrite, WrappedKeyOutcome } from './store-copy-keys.js';
import { planCopy, quote, StoreCopyError, type CopiedTable, type CopyPlan } from './store-copy-plan.js';
import { verifyCopiedChain } from './store-copy-verify.js';
import { sqliteSchemaVersion } from './sqlite-snapshot.js';

/**
 * `keyrack store copy`: one SQLite store, read as one snapshot, into an empty PostgreSQL store at the same
 * schema version, in ONE PostgreSQL transaction: the target holds all of it, checked, or none of it.
 *
 * The steps, in the transaction: lock the target's tables (no node writes while it fills), check it holds
 * nothing a new store does not, replace the rows its migrations seeded with the source's, copy every table
 * in foreign-key order in batches (constant memory: the source is iterated, never loaded), rebuild the
 * search index, move identity sequences past the copied ids, then compare row counts and walk the copied
 * log's hash chain. Only then COMMIT. Wrapped private keys are decided before any of this (store-copy-keys.ts:
 * kept, re-wrapped under the nodes' master key, or left out) and rewritten as their rows pass.
 */

export interface CopyProgress {
  table: string;
  copied: number;
  total: number;
}

export interface CopyOptions {
  /** After every batch (and once per table when it is done). */
  onProgress?: (progress: CopyProgress) => void;
  /** A step without a row count: rebuilding the search index, verifying. */
  onStep?: (text: string) => void;
  /** Events of the copied log whose chain has been verified so far, of `total`. */
  onVerifyProgress?: (checked: number, total: number) => void;
  /** Rows per INSERT (at most what PostgreSQL's 65 535 parameters allow for the widest table). */
  batchRows?: number;
}

export interface CopySummary {
  tables: { table: string; rows: number }[];
  /** Derived tables rebuilt on PostgreSQL rather than copied, with the rows they hold. */
  rebuilt: { table: string; rows: number }[];
  /** Events whose hash chain was verified on the copy. */
  chainVerified: number;
  /** Each wrapped private key of the source: kept as it was, re-wrapped for the nodes, or left out. */
  keys: WrappedKeyOutcome[];
  seconds: number;
}

const DEFAULT_BATCH_ROWS = 1000;
const MAX_PARAMETERS = 65_535;

/**
 * Copies the snapshot `sqlite` (sqlite-snapshot.ts) into the migrated PostgreSQL store `pool`, its wrapped
 * keys as `keys` (planKeyCopy, on the same snapshot) decided.
 */
export async function copyStore(sqlite: Db, pool: StorePool, keys: KeyCopyPlan, options: CopyOptions = {}): Promise<CopySummary> {
  const started = Date.now();
  assertSourceCurrent(sqlite);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    try {
      const plan = await planCopy(sqlite, client);
      await lockTables(client, plan);
      await assertTargetEmpty(client, plan);
      await removeSeedRows(client, plan);
      const tables: CopySummary['tables'] = [];
      for (const table of plan.tables) {
        const rewrite = keys.rewriteFor(table.name, table.columns);
        tables.push({ table: table.name, rows: await copyTable(sqlite, client, table, rewrite, options).catch(refusedRow(table.name)) });
        await moveSequences(client, table);
      }
      const rebuilt: CopySummary['rebuilt'] = [];
      for (const table of plan.rebuilt) {
        options.onStep?.(`rebuilding ${table.name} (the log's search index) from the copied events`);
        await client.query(table.rebuild);
        rebuilt.push({ table: table.name, rows: await countRows(client, table.name) });
      }
      options.onStep?.('verifying the copy: row counts and the log\'s hash chain');
      await verifyCounts(client, plan, tables, rebuilt);
      const events = tables.find((t) => t.table === 'audit_events')?.rows ?? 0;
      const chainVerified = await verifyCopiedChain(sqlite, client, (checked) => options.onVerifyProgress?.(checked, events));
      await client.query('COMMIT');
      return { tables, rebuilt, chainVerified, keys: keys.outcomes, seconds: (Date.now() - started) / 1000 };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    client.release();
  }
}

/**
 * The copy's target, migrated to this program's schema when it is a new database. Unlike
 * openPostgresStore it never upgrades an existing store: a store at another version is refused before
 * anything is written (and one at this version is checked for rows inside the copy's transaction).
 * Another application's database is refused by schemaVersion, a newer schema by DatabaseTooNewError.
 */
export async function openCopyTarget(url: string, onMigrate?: (plan: MigrationPlan) => void): Promise<StorePool> {
  const pool = await connectPostgres(parseStoreUrl(url), { maxConnections: 2 });
  try {
    const version = await schemaVersion(pool);
    const program = latestVersion(migrations);
    if (version > program) throw new DatabaseTooNewError(version, program);
    if (version !== 0 && version !== program) {
      throw new StoreCopyError(
        `The PostgreSQL store has schema version ${version}, not this Keyrack's (${program}), so it is not a new store. ` +
          'The copy goes only into an empty database. Nothing was written.',
      );
    }
    await migratePostgres(pool, migrations, onMigrate);
    return pool;
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
}

/** The source must be at this program's schema, which the target is brought to. */
export function assertSourceCurrent(sqlite: Db): void {
  const version = sqliteSchemaVersion(sqlite);
  const program = latestVersion(migrations);
  if (version !== program) {
    throw new StoreCopyError(
      version > program
        ? `The SQLite store has schema version ${version}, newer than this Keyrack (${program}). Update Keyrack first.`
        : `The SQLite store has schema version ${version}, older than this Keyrack's (${program}). Open it once with ` +
          'this version (the app, or any keyrack command such as `keyrack api-users list`) to upgrade it, then copy.',
    );
  }
}

/** No node (or second copy) writes into the target while it fills; readers wait for the commit too. */
async function lockTables(client: PostgresClient, plan: CopyPlan): Promise<void> {
  const names = [...plan.tables.map((t) => t.name), ...plan.rebuilt.map((t) => t.name)].map(quote);
  await client.query(`LOCK TABLE ${names.join(', ')} IN ACCESS EXCLUSIVE MODE`);
}

/**
 * What a new store holds before anyone used it: the rows the migrations seed (the Administrators group and
 * its permissions, the built-in `keyrack` resource, the log index's mark). Counted on a store migrated in
 * memory by the same migrations, so a seed added later is known here without a list to keep.
 */
function newStoreCounts(): Map<string, number> {
  const fresh = new Database(':memory:');
  try {
    migrate(fresh, migrations);
    const counts = new Map<string, number>();
    const tables = fresh.prepare(`SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`).all() as { name: string }[];
    for (const { name } of tables) counts.set(name, (fresh.prepare(`SELECT count(*) AS n FROM ${quote(name)}`).get() as { n: number }).n);
    return counts;
  } finally {
    fresh.close();
  }
}

/** Refuses a target that holds anything beyond a new store's seed rows: the copy never merges. */
async function assertTargetEmpty(client: PostgresClient, plan: CopyPlan): Promise<void> {
  const fresh = newStoreCounts();
  const used: string[] = [];
  for (const name of [...plan.tables.map((t) => t.name), ...plan.rebuilt.map((t) => t.name)]) {
    const rows = await countRows(client, name);
    if (rows !== (fresh.get(name) ?? 0)) used.push(`${name} (${rows} rows)`);
  }
  if (used.length > 0) {
    throw new StoreCopyError(
      `The PostgreSQL store is not empty: ${used.join(', ')}. The copy goes only into a new store; ` +
        'create an empty database for it. Nothing was written.',
    );
  }
}

/** The seeded rows give way to the source's own (the same rows, with the source's ids and times). */
async function removeSeedRows(client: PostgresClient, plan: CopyPlan): Promise<void> {
  for (const table of [...plan.tables].reverse()) await client.query(`DELETE FROM ${quote(table.name)}`);
}

/**
 * One table, read in primary-key order and inserted in multi-row INSERTs. Integers are read as BigInt and
 * sent as their decimal text, so no value passes through a double; BLOBs are Buffers, which pg sends as
 * BYTEA unchanged (the log's hashes, wrapped keys the nodes can open); text and NULL as they are. `rewrite`
 * replaces a row holding a wrapped key (or leaves it out: the row counts compared later are those inserted).
 */
async function copyTable(sqlite: Db, client: PostgresClient, table: CopiedTable, rewrite: RowRewrite | undefined, options: CopyOptions): Promise<number> {
  const columns = table.columns.map(quote).join(', ');
  const order = table.primaryKey.length > 0 ? ` ORDER BY ${table.primaryKey.map(quote).join(', ')}` : '';
  const total = (sqlite.prepare(`SELECT count(*) AS n FROM ${quote(table.name)}`).get() as { n: number }).n;
  const batchRows = Math.max(1, Math.min(options.batchRows ?? DEFAULT_BATCH_ROWS, Math.floor(MAX_PARAMETERS / table.columns.length)));
  const rows = sqlite.prepare(`SELECT ${columns} FROM ${quote(table.name)}${order}`).raw(true).safeIntegers(true).iterate() as IterableIterator<unknown[]>;
  let batch: unknown[] = [];
  let copied = 0;
  // One INSERT in flight while the next batch is read: SQLite's reading and PostgreSQL's writing overlap.
  // The loop between two awaits is synchronous, so a failed INSERT is always awaited before it could go
  // unhandled.
  let inFlight: Promise<void> = Promise.resolve();
  const flush = async () => {
    await inFlight;
    const values = batch;
    const count = values.length / table.columns.length;
    batch = [];
    inFlight = client.query(`INSERT INTO ${quote(table.name)} (${columns}) VALUES ${placeholders(count, table.columns.length)}`, values).then(() => {
      copied += count;
      options.onProgress?.({ table: table.name, copied, total });
    });
  };
  for (const source of rows) {
    const row = rewrite ? rewrite(source) : source;
    if (row === null) continue;
    for (const value of row) batch.push(typeof value === 'bigint' ? value.toString() : value);
    if (batch.length >= batchRows * table.columns.length) await flush();
  }
  if (batch.length > 0) await flush();
  await inFlight;
  if (copied === 0) options.onProgress?.({ table: table.name, copied, total });
  return copied;
}

/**
 * PostgreSQL refusing a row (text holding a NUL character, which SQLite allows and PostgreSQL does not; a
 * CHECK the two engines read differently) is the copy's failure, named by table; the transaction rolls back.
 */
function refusedRow(table: string): (error: unknown) => never {
  return (error) => {
    if (error instanceof StoreCopyError || !(error as { code?: string }).code) throw error;
    throw new StoreCopyError(`PostgreSQL refused a row of ${table} (${(error as Error).message}); nothing was kept.`);
  };
}

/** `($1, $2), ($3, $4)` for `rows` rows of `width` values. */
function placeholders(rows: number, width: number): string {
  const groups: string[] = [];
  for (let r = 0; r < rows; r++) {
    const values: string[] = [];
    for (let c = 1; c <= width; c++) values.push(`$${r * width + c}`);
    groups.push(`(${values.join(', ')})`);
  }
  return groups.join(', ');
}

/**
 * Explicit ids do not advance an identity column's sequence; without this the first INSERT on PostgreSQL
 * after the copy would get id 1 and collide. An empty table's sequence starts at 1 again.
 */
async function moveSequences(client: PostgresClient, table: CopiedTable): Promise<void> {
  for (const column of table.identity) {
    await client.query(
      `SELECT setval(pg_get_serial_sequence($1, $2), coalesce(max(${quote(column)}), 1), max(${quote(column)}) IS NOT NULL) FROM ${quote(table.name)}`,
      [quote(table.name), column],
    );
  }
}

async function countRows(client: PostgresClient, table: string): Promise<number> {
  const { rows } = await client.query(`SELECT count(*) AS n FROM ${quote(table)}`);
  return Number(rows[0]!.n);
}

/** Every copied table holds as many rows on PostgreSQL as the snapshot did; the rebuilt index covers its events. */
async function verifyCounts(client: PostgresClient, plan: CopyPlan, tables: CopySummary['tables'], rebuilt: CopySummary['rebuilt']): Promise<void> {
  const wrong: string[] = [];
  for (const { table, rows } of tables) {
    const there = await countRows(client, table);
    if (there !== rows) wrong.push(`${table}: ${rows} read, ${there} on PostgreSQL`);
  }
  for (const table of plan.rebuilt) {
    const { rows } = await client.query(table.expected);
    const expected = Number(rows[0]!.n);
    const there = rebuilt.find((r) => r.table === table.name)!.rows;
    if (there !== expected) wrong.push(`${table.name}: ${expected} expected, ${there} rebuilt`);
  }
  if (wrong.length > 0) throw new StoreCopyError(`The copy's row counts differ (${wrong.join('; ')}); nothing was kept.`);
}
