/**
 * The data-access port the repositories are moving onto (issue 10: one set of service rules over SQLite or
 * PostgreSQL). One repository per table writes its SQL once, in the subset both engines speak (`?`
 * placeholders, `RETURNING`, `ON CONFLICT`, integers for flags and epoch milliseconds), and runs it through
 * a Queryable; where the dialects differ a repository asks `dialect`. Two implementations:
 * store-sqlite.ts (better-sqlite3, in-process) and store-postgres.ts (a pg pool).
 *
 * Why this rather than a query builder (Kysely): the repositories are already plain SQL, tested and indexed
 * by EXPLAIN tests; keeping the SQL as it is keeps those, and the few dialect differences (case-insensitive
 * names, full-text search, JSON functions) are each one branch in one repository.
 *
 * Transactions have the same meaning on both engines, so no service rule ("the last administrator stays")
 * can race on one engine and not on the other: write transactions run one at a time across the whole store
 * (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction-level advisory lock every node takes first), and what
 * a transaction wrote is seen by others only once it committed.
 */

/** What a placeholder may carry: what both drivers bind the same way. */
export type SqlValue = string | number | bigint | Buffer | null;

/**
 * A statement's values: by position for `?` placeholders, or by name for `@name` placeholders (a query
 * that uses one value in several places, or many optional filters, reads better by name). One statement
 * uses one kind, never both.
 */
export type SqlParams = readonly SqlValue[] | Readonly<Record<string, SqlValue>>;

export interface RunResult {
  /** Rows the statement inserted, changed or deleted. */
  changes: number;
}

export type Dialect = 'sqlite' | 'postgres';

/** Statements, outside a transaction (each on its own) or inside one (on the transaction's connection). */
export interface Queryable {
  readonly dialect: Dialect;
  /** The first row, or undefined. */
  get<R>(sql: string, params?: SqlParams): Promise<R | undefined>;
  all<R>(sql: string, params?: SqlParams): Promise<R[]>;
  run(sql: string, params?: SqlParams): Promise<RunResult>;
}

export interface Store extends Queryable {
  /**
   * Runs `work` in one write transaction: committed when it resolves, rolled back when it rejects (the
   * rejection is passed on). Statements of the transaction go through the Queryable it is given; the store's
   * own methods called meanwhile wait for it to end (SQLite) or see only committed rows (PostgreSQL).
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * The same store (its connections, its write lock) with every statement also reported to `observer`; the
   * view's close() leaves the store open. PostgreSQL only: SQLite's transactions queue per store object, so
   * a second object over one connection would let statements join another's transaction (the token server
   * opens a connection of its own there instead: token-server/context.ts).
   */
  observed?(observer: StoreObserver, options?: ViewOptions): Store;
}

export interface ViewOptions {
  /**
   * How long a statement, or the wait for a connection, may take before it fails with StoreUnavailableError
   * (the token server's view: an answer within a second, never a hanging request). Default: none.
   */
  deadlineMs?: number;
}

/** Hears every statement a store runs, for /metrics: its time, and whether it failed. */
export interface StoreObserver {
  roundTrip(seconds: number, failed: boolean): void;
}

/**
 * The store could not be reached for a statement: the connection was refused, dropped or timed out, or the
 * database is shutting down or starting up. Nothing of the statement is known to have happened (a commit
 * may have landed just before the connection dropped: callers answer as for a failure, never as a success).
 * The token server answers 503 with Retry-After (errors.ts); the CLI and the app say it in these words.
 */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
  constructor(detail: string, options?: { cause?: unknown }) {
    super(`The store cannot be reached right now (${detail}); Keyrack reconnects by itself when it answers again.`, options);
  }
}
