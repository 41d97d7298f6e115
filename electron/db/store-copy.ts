import { existsSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { StoredChainRow } from '../repos/audit.repo.js';
import { DatabaseTooNewError, latestVersion, migrate, type MigrationPlan, type PostgresClient } from './migrate.js';
import { migrations } from './migrations/index.js';
import { openDatabase, type Db } from './open.js';
import { connectPostgres, parseStoreUrl, queryExactRows, type StoreConnection, type StorePool } from './postgres.js';
import { migratePostgres, schemaVersion } from './postgres-migrate.js';
import type { KeyCopyPlan, RowRewrite, WrappedKeyOutcome } from './store-copy-keys.js';
import { planCopy, quote, StoreCopyError, type CopiedTable, type CopyPlan } from './store-copy-plan.js';
import { verifyCopiedChain, type CopiedChain } from './store-copy-verify.js';
import { sqliteSchemaVersion } from './sqlite-snapshot.js';

/**
 * `keyrack store copy`: one store, read as one snapshot, into an empty store of the other engine at the same
 * schema version, in ONE transaction on the target: it holds all of it, checked, or none of it. `--to`:
 * the data folder's SQLite store into PostgreSQL (copyStore); `--from`: a PostgreSQL store back into the
 * data folder's SQLite store (copyStoreToSqlite). One engine-neutral copy (copyBetween) over a source
 * reader and a target writer per engine; the plan (store-copy-plan.ts), the wrapped keys' decisions
 * (store-copy-keys.ts) and the chain check (store-copy-verify.ts) are shared by both directions.
 *
 * The steps, in the target's transaction: (PostgreSQL: lock the target's tables, so no node writes while it
 * fills) check it holds nothing a new store does not, replace the rows its migrations seeded with the
 * source's, copy every table in foreign-key order in batches (constant memory: the source is iterated,
 * never loaded), rebuild the search index, (PostgreSQL: move identity sequences past the copied ids) then
 * compare row counts and walk the copied log's hash chain. Only then COMMIT. Wrapped private keys are
 * decided before any of this (kept, re-wrapped under the master key, or left out) and rewritten as their
 * rows pass.
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
      const plan = await planCopy(sqlite, client, 'postgres');
      await lockTables(client, plan);
      const summary = await copyBetween(sqliteSource(sqlite), postgresTarget(client), plan, keys, options);
      await client.query('COMMIT');
      return { ...summary, seconds: (Date.now() - started) / 1000 };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    client.release();
  }
}

/**
 * `keyrack store copy --from`: the way back. `pg` is a connection inside a REPEATABLE READ transaction
 * (openCopySource), so every table is read from one snapshot while the nodes go on writing; `sqlite` is the
 * data folder's store, new or freshly migrated (openSqliteCopyTarget). The same steps as copyStore, in ONE
 * SQLite transaction (BEGIN IMMEDIATE: no other writer meanwhile, and a failure leaves the file as it was).
 */
export async function copyStoreToSqlite(pg: StoreConnection, sqlite: Db, keys: KeyCopyPlan, options: CopyOptions = {}): Promise<CopySummary> {
  const started = Date.now();
  assertSourceCurrent(sqlite); // the target was migrated by this program; a mismatch here is a bug
  try {
    sqlite.exec('BEGIN IMMEDIATE');
  } catch (error) {
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
    throw new StoreCopyError(
      'The SQLite store is in use by another writer (the desktop app or keyrack serve on this data folder); stop it, then copy. Nothing was written.',
    );
  }
  try {
    const plan = await planCopy(sqlite, pg, 'sqlite');
    const summary = await copyBetween(postgresSource(pg), sqliteTarget(sqlite), plan, keys, options);
    sqlite.exec('COMMIT');
    return { ...summary, seconds: (Date.now() - started) / 1000 };
  } catch (error) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    throw error;
  }
}

/**
 * The engine-neutral copy, inside the caller's transaction on the target: check the target holds nothing a
 * new store does not, replace the rows its migrations seeded with the source's, copy every table in
 * foreign-key order in batches, rebuild the derived index, then compare row counts and walk the copied
 * log's hash chain.
 */
async function copyBetween(source: CopySource, target: CopyTarget, plan: CopyPlan, keys: KeyCopyPlan, options: CopyOptions): Promise<Omit<CopySummary, 'seconds'>> {
  await assertTargetEmpty(target, plan);
  for (const table of [...plan.tables].reverse()) await target.clear(table.name);
  const tables: CopySummary['tables'] = [];
  for (const table of plan.tables) {
    const rewrite = keys.rewriteFor(table.name, table.columns);
    tables.push({ table: table.name, rows: await copyTable(source, target, table, rewrite, options).catch(refusedRow(target.engine, table.name)) });
    await target.afterTable(table);
  }
  const rebuilt: CopySummary['rebuilt'] = [];
  for (const table of plan.rebuilt) {
    options.onStep?.(`rebuilding ${table.name} (the log's search index) from the copied events`);
    await target.exec(table.rebuild);
    rebuilt.push({ table: table.name, rows: await target.count(table.name) });
  }
  options.onStep?.('verifying the copy: row counts and the log\'s hash chain');
  await verifyCounts(target, plan, tables, rebuilt);
  const events = tables.find((t) => t.table === 'audit_events')?.rows ?? 0;
  const chainVerified = await verifyCopiedChain(target.chain, await source.chainHead(), `the ${source.engine} store`, (checked) =>
    options.onVerifyProgress?.(checked, events),
  );
  return { tables, rebuilt, chainVerified, keys: keys.outcomes };
}

/** The store a copy reads, as one snapshot. */
interface CopySource {
  engine: EngineName;
  count(table: string): Promise<number>;
  /** The table's rows in primary-key order, values in `table.columns` order, every integer a BigInt. */
  batches(table: CopiedTable, batchRows: number): AsyncIterable<unknown[][]>;
  /** The newest event's hash, null for an empty log. */
  chainHead(): Promise<Buffer | null>;
}

/** The store a copy writes, inside the caller's transaction. */
interface CopyTarget {
  engine: EngineName;
  /** The most rows one insert takes for a table this wide. */
  maxBatchRows(width: number): number;
  insert(table: CopiedTable, rows: unknown[][]): Promise<void>;
  count(table: string): Promise<number>;
  clear(table: string): Promise<void>;
  exec(sql: string): Promise<void>;
  /** A number the SQL's one row holds as `n` (the rebuilt index's expected count). */
  countBy(sql: string): Promise<number>;
  /** After a table is copied (PostgreSQL moves its identity sequences). */
  afterTable(table: CopiedTable): Promise<void>;
  chain: CopiedChain;
}

type EngineName = 'SQLite' | 'PostgreSQL';

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

/** `store copy --from`'s source: one connection in a read-only REPEATABLE READ transaction, a snapshot. */
export interface PostgresSnapshot {
  client: StoreConnection;
  /** Ends the read transaction and the connection. */
  close(): Promise<void>;
}

/**
 * Opens the PostgreSQL store to copy back to SQLite, as one snapshot: a read-only REPEATABLE READ
 * transaction (the nodes go on writing; the copy sees the store as of its first read, every table alike).
 * Refused before anything is written: another application's database (schemaVersion), an empty database,
 * a schema other than this program's (the copy never migrates the store it reads).
 */
export async function openCopySource(url: string): Promise<PostgresSnapshot> {
  const pool = await connectPostgres(parseStoreUrl(url), { maxConnections: 1 });
  let client: StoreConnection | undefined;
  const close = async () => {
    if (client) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
    await pool.end();
  };
  try {
    client = await pool.connect();
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const version = await schemaVersion(client);
    const program = latestVersion(migrations);
    if (version > program) throw new DatabaseTooNewError(version, program);
    if (version === 0) {
      throw new StoreCopyError('This PostgreSQL database holds no Keyrack store yet (it is empty): there is nothing to copy. Nothing was written.');
    }
    if (version !== program) {
      throw new StoreCopyError(
        `The PostgreSQL store has schema version ${version}, older than this Keyrack's (${program}). Upgrade it first ` +
          '(a node of this version upgrades it at start, as does any keyrack command given --store), then copy. Nothing was written.',
      );
    }
    return { client, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

/**
 * `store copy --from`'s target: the data folder's SQLite store, created and migrated when there is none.
 * An existing file at another schema version is refused before it is opened for writing (openDatabase would
 * upgrade it); one at this version is checked for rows inside the copy's transaction. `created` says whether
 * this call made the file, so a failed copy can take it away again (discardSqliteStore).
 */
export function openSqliteCopyTarget(file: string, onMigrate?: (plan: MigrationPlan) => void): { db: Db; created: boolean } {
  const created = !existsSync(file);
  if (!created) {
    const peek = new Database(file, { readonly: true, fileMustExist: true });
    let version: number;
    try {
      version = sqliteSchemaVersion(peek);
    } finally {
      peek.close();
    }
    const program = latestVersion(migrations);
    if (version > program) throw new DatabaseTooNewError(version, program);
    if (version !== 0 && version !== program) {
      throw new StoreCopyError(
        `The SQLite store ${file} has schema version ${version}, not this Keyrack's (${program}), so it is not a new store. ` +
          'The copy goes only into a new store: give it a new data folder (--data). Nothing was written.',
      );
    }
  }
  return { db: openDatabase(file, { onMigrate }), created };
}

/** Removes a SQLite store this copy created (with its WAL files), after the copy failed: nothing is left behind. */
export function discardSqliteStore(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
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
async function assertTargetEmpty(target: CopyTarget, plan: CopyPlan): Promise<void> {
  const fresh = newStoreCounts();
  const used: string[] = [];
  for (const name of [...plan.tables.map((t) => t.name), ...plan.rebuilt.map((t) => t.name)]) {
    const rows = await target.count(name);
    if (rows !== (fresh.get(name) ?? 0)) used.push(`${name} (${rows} rows)`);
  }
  if (used.length > 0) {
    throw new StoreCopyError(
      `The ${target.engine} store is not empty: ${used.join(', ')}. The copy goes only into a new store; ` +
        (target.engine === 'PostgreSQL' ? 'create an empty database for it.' : 'give it a new data folder (--data).') +
        ' Nothing was written.',
    );
  }
}

/**
 * One table, read in primary-key order and written in multi-row inserts; `rewrite` replaces a row holding a
 * wrapped key (or leaves it out: the row counts compared later are those written). One insert is in flight
 * while the next batch is read, so the two engines' work overlaps. The loop between two awaits is
 * synchronous, so a failed insert is always awaited before it could go unhandled.
 */
async function copyTable(source: CopySource, target: CopyTarget, table: CopiedTable, rewrite: RowRewrite | undefined, options: CopyOptions): Promise<number> {
  const total = await source.count(table.name);
  const batchRows = Math.max(1, Math.min(options.batchRows ?? DEFAULT_BATCH_ROWS, target.maxBatchRows(table.columns.length)));
  let copied = 0;
  let inFlight: Promise<void> = Promise.resolve();
  const flush = async (rows: unknown[][]) => {
    await inFlight;
    inFlight = target.insert(table, rows).then(() => {
      copied += rows.length;
      options.onProgress?.({ table: table.name, copied, total });
    });
  };
  for await (const read of source.batches(table, batchRows)) {
    const rows: unknown[][] = [];
    for (const row of read) {
      const written = rewrite ? rewrite(row) : row;
      if (written !== null) rows.push(written);
    }
    if (rows.length > 0) await flush(rows);
  }
  await inFlight;
  if (copied === 0) options.onProgress?.({ table: table.name, copied, total });
  return copied;
}

/**
 * The target refusing a row is the copy's failure, named by table; the transaction rolls back. PostgreSQL
 * refuses text holding a NUL character, which SQLite allows; either may read a CHECK differently.
 */
function refusedRow(engine: EngineName, table: string): (error: unknown) => never {
  return (error) => {
    if (error instanceof StoreCopyError || !(error as { code?: string }).code) throw error;
    throw new StoreCopyError(`${engine} refused a row of ${table} (${(error as Error).message}); nothing was kept.`);
  };
}

/**
 * A SQLite snapshot as a copy's source. Integers are read as BigInt (safeIntegers), so no value passes
 * through a double; BLOBs are Buffers; text and NULL as they are. The rows are iterated, never loaded.
 */
function sqliteSource(sqlite: Db): CopySource {
  return {
    engine: 'SQLite',
    count: async (table) => (sqlite.prepare(`SELECT count(*) AS n FROM ${quote(table)}`).get() as { n: number }).n,
    async *batches(table, batchRows) {
      const order = table.primaryKey.length > 0 ? ` ORDER BY ${table.primaryKey.map(quote).join(', ')}` : '';
      const select = `SELECT ${table.columns.map(quote).join(', ')} FROM ${quote(table.name)}${order}`;
      let batch: unknown[][] = [];
      for (const row of sqlite.prepare(select).raw(true).safeIntegers(true).iterate() as IterableIterator<unknown[]>) {
        batch.push(row);
        if (batch.length >= batchRows) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    },
    chainHead: async () => (sqlite.prepare('SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1').get() as { hash: Buffer | null } | undefined)?.hash ?? null,
  };
}

/**
 * A PostgreSQL store as a copy's source, on a connection inside the caller's REPEATABLE READ transaction.
 * A table is read through a cursor, `batchRows` rows per FETCH: constant memory for a log of millions.
 */
function postgresSource(client: StoreConnection): CopySource {
  let cursors = 0;
  return {
    engine: 'PostgreSQL',
    count: (table) => countRows(client, table),
    async *batches(table, batchRows) {
      const cursor = `keyrack_copy_${++cursors}`;
      const order = table.primaryKey.length > 0 ? ` ORDER BY ${table.primaryKey.map(quote).join(', ')}` : '';
      await client.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT ${table.columns.map(quote).join(', ')} FROM ${quote(table.name)}${order}`);
      try {
        for (;;) {
          const rows = await queryExactRows(client, `FETCH ${batchRows} FROM ${cursor}`);
          if (rows.length > 0) yield rows;
          if (rows.length < batchRows) break;
        }
      } finally {
        await client.query(`CLOSE ${cursor}`);
      }
    },
    async chainHead() {
      const { rows } = await client.query('SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1');
      return (rows[0]?.hash as Buffer | null | undefined) ?? null;
    },
  };
}

/** A PostgreSQL store as a copy's target, inside the caller's transaction. */
function postgresTarget(client: PostgresClient): CopyTarget {
  return {
    engine: 'PostgreSQL',
    maxBatchRows: (width) => Math.floor(MAX_PARAMETERS / width),
    async insert(table, rows) {
      // BigInts as their decimal text (pg sends it for any integer column); Buffers as BYTEA, unchanged.
      const values = rows.flatMap((row) => row.map((value) => (typeof value === 'bigint' ? value.toString() : value)));
      const columns = table.columns.map(quote).join(', ');
      await client.query(`INSERT INTO ${quote(table.name)} (${columns}) VALUES ${placeholders(rows.length, table.columns.length)}`, values);
    },
    count: (table) => countRows(client, table),
    clear: async (table) => void (await client.query(`DELETE FROM ${quote(table)}`)),
    exec: async (sql) => void (await client.query(sql)),
    countBy: async (sql) => Number((await client.query(sql)).rows[0]!.n),
    afterTable: (table) => moveSequences(client, table),
    chain: {
      async anchor() {
        const { rows } = await client.query(`SELECT value FROM settings WHERE key = 'audit.chain_anchor'`);
        return rows[0]?.value as string | undefined;
      },
      page: async (after, limit) =>
        (await client.query('SELECT * FROM audit_events WHERE id > $1 ORDER BY id LIMIT $2', [after, limit])).rows as unknown as StoredChainRow[],
    },
  };
}

/**
 * A SQLite store as a copy's target, inside the caller's BEGIN IMMEDIATE. One prepared single-row INSERT
 * run per row: SQLite has no round trip to save, and its statement cache makes that the fast way. BigInts
 * bind as INTEGER exactly, Buffers as BLOB, strings as TEXT (UTF-8, as PostgreSQL sent them).
 */
function sqliteTarget(sqlite: Db): CopyTarget {
  const count = async (table: string) => (sqlite.prepare(`SELECT count(*) AS n FROM ${quote(table)}`).get() as { n: number }).n;
  return {
    engine: 'SQLite',
    maxBatchRows: () => Number.POSITIVE_INFINITY,
    async insert(table, rows) {
      const insert = sqlite.prepare(`INSERT INTO ${quote(table.name)} (${table.columns.map(quote).join(', ')}) VALUES (${table.columns.map(() => '?').join(', ')})`);
      for (const row of rows) insert.run(row);
    },
    count,
    clear: async (table) => void sqlite.prepare(`DELETE FROM ${quote(table)}`).run(),
    exec: async (sql) => void sqlite.exec(sql),
    countBy: async (sql) => Number((sqlite.prepare(sql).get() as { n: number | bigint }).n),
    // INTEGER PRIMARY KEY takes the next id after the largest; AUTOINCREMENT's sqlite_sequence follows explicit ids.
    afterTable: async () => undefined,
    chain: {
      anchor: async () => (sqlite.prepare(`SELECT value FROM settings WHERE key = 'audit.chain_anchor'`).get() as { value: string } | undefined)?.value,
      page: async (after, limit) => sqlite.prepare('SELECT * FROM audit_events WHERE id > ? ORDER BY id LIMIT ?').all(after, limit) as StoredChainRow[],
    },
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

/** Every copied table holds as many rows on the target as were written; the rebuilt index covers its events. */
async function verifyCounts(target: CopyTarget, plan: CopyPlan, tables: CopySummary['tables'], rebuilt: CopySummary['rebuilt']): Promise<void> {
  const wrong: string[] = [];
  for (const { table, rows } of tables) {
    const there = await target.count(table);
    if (there !== rows) wrong.push(`${table}: ${rows} read, ${there} on ${target.engine}`);
  }
  for (const table of plan.rebuilt) {
    const expected = await target.countBy(table.expected);
    const there = rebuilt.find((r) => r.table === table.name)!.rows;
    if (there !== expected) wrong.push(`${table.name}: ${expected} expected, ${there} rebuilt`);
  }
  if (wrong.length > 0) throw new StoreCopyError(`The copy's row counts differ (${wrong.join('; ')}); nothing was kept.`);
}
