import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import type { Statement } from 'better-sqlite3';
import type { Db } from './open.js';
import type { Queryable, RunResult, SqlParams, Store, StoreObserver } from './store.js';

/**
 * The Store port on better-sqlite3 (store.ts). Statements run synchronously in this process, so each one
 * is atomic by itself; what needs care is a transaction whose work awaits in between: on one connection,
 * any statement run meanwhile would join the open transaction (and see, or be rolled back with, its
 * uncommitted writes). So while a transaction is open the store's own methods wait for it to end, and only
 * the transaction's Queryable runs statements. A call to the store from inside its own transaction's work
 * would wait for itself forever: it is refused at once instead, naming the mistake.
 *
 * A transaction's work awaits only its Queryable's statements (the services hash, parse and read keys
 * before they open one). Those settle at once, so the whole transaction runs within one turn of the event
 * loop, and the token server's and the audit worker's own connections in this process never find the
 * write lock held by a transaction that is waiting for them (which would stall both until busy_timeout).
 */
export function sqliteStore(db: Db, observer?: StoreObserver): Store {
  return new SqliteStore(db, observer);
}

class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  private readonly statements = new Map<string, Statement>();
  /** The open transaction's end, while one is open. */
  private open: Promise<void> | undefined;
  private readonly inside = new AsyncLocalStorage<true>();

  constructor(
    private readonly db: Db,
    private readonly observer: StoreObserver | undefined,
  ) {}

  async get<R>(sql: string, params: SqlParams = []): Promise<R | undefined> {
    while (this.waitFor()) await this.open;
    return this.timed(() => this.prepared(sql).get(...bound(params)) as R | undefined);
  }

  async all<R>(sql: string, params: SqlParams = []): Promise<R[]> {
    while (this.waitFor()) await this.open;
    return this.timed(() => this.prepared(sql).all(...bound(params)) as R[]);
  }

  async run(sql: string, params: SqlParams = []): Promise<RunResult> {
    while (this.waitFor()) await this.open;
    return this.timed(() => ({ changes: this.prepared(sql).run(...bound(params)).changes }));
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    while (this.waitFor()) await this.open;
    // No await between the check above and taking the slot here: no other call can slip in between.
    let ended!: () => void;
    this.open = new Promise((resolve) => (ended = resolve));
    let usable = true;
    const run = <V>(fn: () => V): Promise<V> => {
      if (!usable) return Promise.reject(new Error('a transaction\'s Queryable was used after the transaction ended'));
      return Promise.resolve(this.timed(fn));
    };
    const tx: Queryable = {
      dialect: 'sqlite',
      get: <R>(sql: string, params: SqlParams = []) => run(() => this.prepared(sql).get(...bound(params)) as R | undefined),
      all: <R>(sql: string, params: SqlParams = []) => run(() => this.prepared(sql).all(...bound(params)) as R[]),
      run: (sql, params = []) => run(() => ({ changes: this.prepared(sql).run(...bound(params)).changes })),
    };
    try {
      // IMMEDIATE: the write lock is taken now, so a second writer (the CLI beside the app) waits here
      // (busy_timeout) rather than failing at its first write after reading.
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await this.inside.run(true, () => work(tx));
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    } finally {
      usable = false;
      this.open = undefined;
      ended();
    }
  }

  async close(): Promise<void> {
    while (this.waitFor()) await this.open;
    this.db.close();
  }

  /**
   * Whether a call must wait for the open transaction (then it awaits `open` and asks again). Each caller
   * runs its statement in the same synchronous step as the answer `false`, so nothing joins a transaction
   * that began while it waited.
   */
  private waitFor(): boolean {
    if (this.inside.getStore()) {
      throw new Error('the store was called from inside its own transaction: use the transaction\'s Queryable');
    }
    return this.open !== undefined;
  }

  private prepared(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }

  private timed<V>(fn: () => V): V {
    if (!this.observer) return fn();
    const started = performance.now();
    try {
      const value = fn();
      this.observer.roundTrip((performance.now() - started) / 1000, false);
      return value;
    } catch (error) {
      this.observer.roundTrip((performance.now() - started) / 1000, true);
      throw error;
    }
  }
}

/** better-sqlite3 takes positional values spread and named ones as one object (keyed without the `@`). */
function bound(params: SqlParams): unknown[] {
  return Array.isArray(params) ? params : [params];
}
