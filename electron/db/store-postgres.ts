import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import type { StoreConnection, StorePool, StoreQueryResult } from './postgres.js';
import { StoreUnavailableError, type Queryable, type RunResult, type SqlParams, type SqlValue, type Store, type StoreObserver, type ViewOptions } from './store.js';

/**
 * Every write transaction of every node takes this lock first (pg_advisory_xact_lock, released at commit or
 * rollback), so writes run one at a time across the store as they do on SQLite (store.ts says why). Not
 * the migration lock's key (postgres-migrate.ts).
 */
export const WRITE_LOCK = 0x6b72_7772_6974; // "krwrit"

/**
 * The Store port on a pg pool (store.ts). SQL is written with `?` placeholders as for SQLite and numbered
 * here (`$1`, `$2`, …), once per distinct text; a `?` inside a quoted literal or identifier, or a comment, is
 * left alone. A statement outside a transaction runs on any pooled connection; a transaction holds one
 * connection from BEGIN to COMMIT. As on SQLite, the store's own methods are refused inside its own
 * transaction's work (there they would read around the transaction, and on SQLite wait for it forever).
 */
export function postgresStore(pool: StorePool, observer?: StoreObserver, options: ViewOptions = {}): Store {
  return new PostgresStore(pool, observer, true, options.deadlineMs);
}

class PostgresStore implements Store {
  readonly dialect = 'postgres' as const;
  private readonly inside = new AsyncLocalStorage<true>();
  private readonly outside: Queryable;

  constructor(
    private readonly pool: StorePool,
    private readonly observer: StoreObserver | undefined,
    /** False for a view made by observed(): the pool belongs to the store it was made from. */
    private readonly ownsPool = true,
    /** How long a statement (or getting a connection) may take before it counts as unavailable. */
    private readonly deadlineMs: number | undefined = undefined,
  ) {
    this.outside = queryableOn(pool, observer, deadlineMs);
  }

  observed(observer: StoreObserver, options: ViewOptions = {}): Store {
    const inner = this.observer;
    const both: StoreObserver = inner
      ? { roundTrip: (seconds, failed) => (inner.roundTrip(seconds, failed), observer.roundTrip(seconds, failed)) }
      : observer;
    return new PostgresStore(this.pool, both, false, options.deadlineMs ?? this.deadlineMs);
  }

  get<R>(sql: string, params?: SqlParams): Promise<R | undefined> {
    return this.notInside(() => this.outside.get<R>(sql, params));
  }

  all<R>(sql: string, params?: SqlParams): Promise<R[]> {
    return this.notInside(() => this.outside.all<R>(sql, params));
  }

  run(sql: string, params?: SqlParams): Promise<RunResult> {
    return this.notInside(() => this.outside.run(sql, params));
  }

  private notInside<V>(call: () => Promise<V>): Promise<V> {
    if (this.inside.getStore()) {
      return Promise.reject(new Error('the store was called from inside its own transaction: use the transaction\'s Queryable'));
    }
    return call();
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    if (this.inside.getStore()) {
      throw new Error('the store was called from inside its own transaction: use the transaction\'s Queryable');
    }
    // A connection that arrives after the deadline went back to the pool at once (withinDeadline).
    const client = await withinDeadline(this.pool.connect(), this.deadlineMs, (late) => late.release());
    let usable = true;
    let broken: Error | undefined;
    const on = queryableOn(client, this.observer, this.deadlineMs);
    const control = (sql: string, params?: SqlValue[]) => withinDeadline(client.query(sql, params), this.deadlineMs);
    const guarded = <V>(call: () => Promise<V>): Promise<V> =>
      usable ? call() : Promise.reject(new Error('a transaction\'s Queryable was used after the transaction ended'));
    const tx: Queryable = {
      dialect: 'postgres',
      get: (sql, params) => guarded(() => on.get(sql, params)),
      all: (sql, params) => guarded(() => on.all(sql, params)),
      run: (sql, params) => guarded(() => on.run(sql, params)),
    };
    try {
      await control('BEGIN');
      await control('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK]);
      const result = await this.inside.run(true, () => work(tx));
      await control('COMMIT');
      return result;
    } catch (error) {
      if (error instanceof StoreUnavailableError) {
        // The connection is gone or stuck: a ROLLBACK would queue behind the stuck statement. Destroying the
        // connection (release with an error) ends the transaction on the server, uncommitted.
        broken = error;
      } else {
        await client.query('ROLLBACK').catch((rollbackFailed: Error) => (broken = rollbackFailed));
      }
      throw error;
    } finally {
      usable = false;
      // A connection whose rollback failed is not given back to the pool: it may still be in the transaction.
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }
}

function queryableOn(target: StorePool | StoreConnection, observer: StoreObserver | undefined, deadlineMs: number | undefined): Queryable {
  const query = async (sql: string, params: SqlParams = []): Promise<StoreQueryResult> => {
    const started = observer && performance.now();
    try {
      const statement = numberedPlaceholders(sql);
      const result = await withinDeadline(target.query(statement.text, valuesFor(statement, params)), deadlineMs);
      if (observer) observer.roundTrip((performance.now() - started!) / 1000, false);
      return result;
    } catch (error) {
      if (observer) observer.roundTrip((performance.now() - started!) / 1000, true);
      throw error;
    }
  };
  return {
    dialect: 'postgres',
    get: async <R>(sql: string, params?: SqlParams) => (await query(sql, params)).rows[0] as R | undefined,
    all: async <R>(sql: string, params?: SqlParams) => (await query(sql, params)).rows as R[],
    run: async (sql, params) => ({ changes: (await query(sql, params)).rowCount ?? 0 }),
  };
}

/**
 * Node's and PostgreSQL's ways of saying the server is not there (refused, dropped, unreachable, shutting
 * down or starting up, out of connections): SQLSTATE class 08 (connection exception), 57P01-57P03, 53300.
 * Anything else (a constraint, a syntax error) is the statement's own failure and passes unchanged.
 */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', '57P01', '57P02', '57P03', '53300']);
const UNAVAILABLE_MESSAGES = /Connection terminated|Connection ended unexpectedly|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i;

/** The error as a StoreUnavailableError when it means the server is not reachable; otherwise unchanged. */
export function asUnavailable(error: unknown): unknown {
  if (error instanceof StoreUnavailableError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : '';
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) {
    return new StoreUnavailableError(`${code}: ${message}`, { cause: error });
  }
  if (UNAVAILABLE_MESSAGES.test(message)) return new StoreUnavailableError(message, { cause: error });
  return error;
}

/**
 * `work`, or a StoreUnavailableError once `deadlineMs` passed (no deadline: `work` as it is, its connection
 * errors translated). A server that stops answering (a cut network drops packets rather than refusing)
 * would otherwise hold a request until TCP gives up, minutes later. A late result is handed to `late`
 * (a pooled connection goes back to the pool); a late failure is dropped.
 */
export function withinDeadline<V>(work: Promise<V>, deadlineMs: number | undefined, late?: (value: V) => void): Promise<V> {
  if (deadlineMs === undefined) return work.catch((error: unknown) => Promise.reject(asUnavailable(error)));
  return new Promise<V>((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      reject(new StoreUnavailableError(`no answer within ${deadlineMs} ms`));
    }, deadlineMs);
    work.then(
      (value) => {
        clearTimeout(timer);
        if (timedOut) late?.(value);
        else resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (!timedOut) reject(asUnavailable(error));
      },
    );
  });
}

interface Numbered {
  text: string;
  /** For `@name` placeholders: the name each `$n` stands for, in order. */
  names: readonly string[] | undefined;
}

const numberedTexts = new Map<string, Numbered>();

/**
 * `?` and `@name` placeholders as PostgreSQL's `$n`, outside quotes ('…', "…") and comments (-- …, /* … *\/).
 * A name used twice is one `$n`. `@@` (full-text match) and `@>` are operators, not placeholders.
 */
export function numbered(sql: string): string {
  return numberedPlaceholders(sql).text;
}

function numberedPlaceholders(sql: string): Numbered {
  let found = numberedTexts.get(sql);
  if (found !== undefined) return found;
  let out = '';
  let n = 0;
  const names: string[] = [];
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = closingQuote(sql, i, c);
      out += sql.slice(i, end + 1);
      i = end;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length - 1 : end;
      out += sql.slice(i, stop + 1);
      i = stop;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end < 0 ? sql.length - 1 : end + 1;
      out += sql.slice(i, stop + 1);
      i = stop;
    } else if (c === '@' && sql[i - 1] !== '@' && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i + 1))![0];
      let index = names.indexOf(name);
      if (index < 0) index = names.push(name) - 1;
      out += `$${index + 1}`;
      i += name.length;
    } else {
      out += c === '?' ? `$${++n}` : c;
    }
  }
  if (n > 0 && names.length > 0) throw new Error('a statement uses both `?` and `@name` placeholders');
  found = { text: out, names: names.length > 0 ? names : undefined };
  if (numberedTexts.size < 10_000) numberedTexts.set(sql, found);
  return found;
}

/** The values in `$n` order. */
function valuesFor(sql: Numbered, params: SqlParams): SqlValue[] {
  if (Array.isArray(params)) return params as SqlValue[];
  const named = params as Readonly<Record<string, SqlValue>>;
  return (sql.names ?? []).map((name) => {
    const value = named[name];
    if (value === undefined) throw new Error(`no value for the placeholder @${name}`);
    return value;
  });
}

/** Where a quoted literal or identifier starting at `start` ends (a doubled quote is part of it). */
function closingQuote(sql: string, start: number, quote: string): number {
  for (let i = start + 1; i < sql.length; i++) {
    if (sql[i] !== quote) continue;
    if (sql[i + 1] === quote) {
      i++;
      continue;
    }
    return i;
  }
  return sql.length - 1;
}
