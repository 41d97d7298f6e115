import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Store } from '../../electron/db/store.js';
import { sqliteStore } from '../../electron/db/store-sqlite.js';
import { numbered, postgresStore } from '../../electron/db/store-postgres.js';
import { tempDir } from '../support/core.js';
import { describePostgres, postgresScratch } from '../support/postgres.js';

/**
 * The Store port's contract (electron/db/store.ts), the same suite on both engines: statements with `?`
 * placeholders, RETURNING, transactions that commit or roll back whole, write transactions one at a time,
 * and no read of another transaction's uncommitted rows.
 */
function contract(open: () => Promise<Store>, close: () => Promise<void>): void {
  let store: Store;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(close);

  const count = async (name: string) => (await store.get<{ n: number }>('SELECT count(*) AS n FROM items WHERE name = ?', [name]))!.n;

  test('statements with placeholders; RETURNING gives the new id; get is undefined without a row', async () => {
    const inserted = await store.get<{ id: number }>('INSERT INTO items (name, n) VALUES (?, ?) RETURNING id', ['alpha', 3]);
    expect(inserted!.id).toBeGreaterThan(0);
    expect(await store.get('SELECT name, n FROM items WHERE id = ?', [inserted!.id])).toEqual({ name: 'alpha', n: 3 });
    expect(await store.get('SELECT name FROM items WHERE name = ?', ['nobody'])).toBeUndefined();
    expect(await store.run('UPDATE items SET n = n + 1 WHERE name = ?', ['alpha'])).toEqual({ changes: 1 });
    // A `?` in a literal is text, not a placeholder.
    expect(await store.all("SELECT n FROM items WHERE name = ? AND '?' = '?'", ['alpha'])).toEqual([{ n: 4 }]);
  });

  test('named placeholders: one value used in several places, optional filters as NULL, a missing one refused', async () => {
    await store.run('INSERT INTO items (name, n) VALUES (@name, @n)', { name: 'named', n: 7 });
    // PostgreSQL types a placeholder where it first meets it, and `IS NULL` says nothing: hence the CAST.
    const sql = 'SELECT name, n FROM items WHERE (CAST(@name AS TEXT) IS NULL OR name = @name) AND n >= @least ORDER BY name';
    expect(await store.all(sql, { name: 'named', least: 7 })).toEqual([{ name: 'named', n: 7 }]);
    expect(await store.all(sql, { name: null, least: 7 })).toEqual([{ name: 'named', n: 7 }]);
    await store.transaction(async (tx) => {
      expect(await tx.run('UPDATE items SET n = @n WHERE name = @name', { name: 'named', n: 8 })).toEqual({ changes: 1 });
    });
    expect(await store.get('SELECT n FROM items WHERE name = ?', ['named'])).toEqual({ n: 8 });
    await expect(store.get('SELECT n FROM items WHERE name = @name', {})).rejects.toThrow(/name/);
  });

  test('a transaction commits whole, or rolls back whole and passes the error on', async () => {
    await store.transaction(async (tx) => {
      await tx.run('INSERT INTO items (name) VALUES (?)', ['beta']);
      await sleep(5);
      await tx.run('INSERT INTO items (name) VALUES (?)', ['gamma']);
    });
    expect(await count('beta')).toBe(1);
    expect(await count('gamma')).toBe(1);

    await expect(
      store.transaction(async (tx) => {
        await tx.run('INSERT INTO items (name) VALUES (?)', ['delta']);
        await tx.run('INSERT INTO items (name) VALUES (?)', ['beta']); // unique: fails
      }),
    ).rejects.toThrow(/unique/i);
    expect(await count('delta')).toBe(0);
  });

  test('a read outside a transaction never sees its uncommitted rows, committed or not in the end', async () => {
    let inside!: () => void;
    const written = new Promise<void>((resolve) => (inside = resolve));
    const rolledBack = store.transaction(async (tx) => {
      await tx.run('INSERT INTO items (name) VALUES (?)', ['epsilon']);
      inside();
      await sleep(20);
      throw new Error('changed my mind');
    });
    await written;
    expect(await count('epsilon')).toBe(0);
    await expect(rolledBack).rejects.toThrow('changed my mind');
    expect(await count('epsilon')).toBe(0);
  });

  test('write transactions run one at a time: a read-modify-write with awaits in between loses no update', async () => {
    await store.run('INSERT INTO items (name, n) VALUES (?, 0)', ['counter']);
    const increment = () =>
      store.transaction(async (tx) => {
        const { n } = (await tx.get<{ n: number }>('SELECT n FROM items WHERE name = ?', ['counter']))!;
        await sleep(2);
        await tx.run('UPDATE items SET n = ? WHERE name = ?', [n + 1, 'counter']);
      });
    await Promise.all(Array.from({ length: 8 }, increment));
    expect(await store.get('SELECT n FROM items WHERE name = ?', ['counter'])).toEqual({ n: 8 });
  });

  test("the store's own methods inside its transaction are refused; the transaction's Queryable dies with it", async () => {
    let kept: Parameters<Parameters<Store['transaction']>[0]>[0] | undefined;
    await expect(
      store.transaction(async (tx) => {
        kept = tx;
        await store.get('SELECT 1 AS one');
      }),
    ).rejects.toThrow("the store was called from inside its own transaction: use the transaction's Queryable");
    await expect(kept!.get('SELECT 1 AS one')).rejects.toThrow('used after the transaction ended');
    // The store is still usable.
    expect(await store.get('SELECT 1 AS one')).toEqual({ one: 1 });
  });
}

describe('on SQLite (better-sqlite3)', () => {
  const dir = tempDir('keyrack-store-port-');
  contract(
    async () => {
      const db = new Database(join(dir, 'store.db'));
      db.pragma('journal_mode = WAL');
      db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, n INTEGER NOT NULL DEFAULT 0)');
      return (stores.sqlite = sqliteStore(db));
    },
    async () => {
      await stores.sqlite?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  );
});

describePostgres('on PostgreSQL (pg)', () => {
  const scratch = postgresScratch();
  contract(
    async () => {
      const pool = await scratch.pool();
      await pool.query('CREATE TABLE items (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name TEXT NOT NULL UNIQUE, n BIGINT NOT NULL DEFAULT 0)');
      return postgresStore(pool);
    },
    async () => undefined, // the scratch ends the pool and drops the database
  );
});

const stores: { sqlite?: Store } = {};

describe('numbered: `?` and `@name` placeholders as $n', () => {
  test.each([
    ['SELECT a FROM t WHERE (@b IS NULL OR b = @b) AND c = @c', 'SELECT a FROM t WHERE ($1 IS NULL OR b = $1) AND c = $2'],
    ["SELECT '@b', \"@c\" FROM t WHERE d @@ to_tsquery(@q) AND e @> '{}'", "SELECT '@b', \"@c\" FROM t WHERE d @@ to_tsquery($1) AND e @> '{}'"],
    ['SELECT a FROM t WHERE b = ? AND c = ?', 'SELECT a FROM t WHERE b = $1 AND c = $2'],
    ["SELECT '?', 'it''s ?' FROM t WHERE b = ?", "SELECT '?', 'it''s ?' FROM t WHERE b = $1"],
    ['SELECT "odd?name" FROM t WHERE b = ?', 'SELECT "odd?name" FROM t WHERE b = $1'],
    ['SELECT a -- why?\nFROM t WHERE b = ?', 'SELECT a -- why?\nFROM t WHERE b = $1'],
    ['SELECT /* ? */ a FROM t WHERE b IN (?, ?)', 'SELECT /* ? */ a FROM t WHERE b IN ($1, $2)'],
    ['SELECT 1', 'SELECT 1'],
  ])('%s', (sql, expected) => {
    expect(numbered(sql)).toBe(expected);
  });

  test('one statement never mixes the two kinds', () => {
    expect(() => numbered('SELECT a FROM t WHERE b = ? AND c = @c')).toThrow('both `?` and `@name`');
  });
});
