import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from 'vitest';
import { migrate } from '../../electron/db/migrate.js';
import { migrations } from '../../electron/db/migrations/index.js';
import { openDatabase } from '../../electron/db/open.js';
import { openPostgresStore } from '../../electron/db/postgres.js';
import { migratePostgres } from '../../electron/db/postgres-migrate.js';
import { tempDir } from '../support/core.js';
import { describePostgres, postgresScratch } from '../support/postgres.js';
import { postgresShape, sqliteShape } from '../support/schema-shape.js';

/**
 * Both dialects of every migration leave the same logical schema (support/schema-shape.ts says what that
 * covers and how the dialects' spellings map onto one shape).
 */
describePostgres('the PostgreSQL schema', () => {
  const scratch = postgresScratch();

  test('after every step, SQLite and PostgreSQL hold the same tables, columns, keys, indexes, checks and triggers', async () => {
    const pool = await scratch.pool();
    const sqlite = new Database(':memory:');
    for (let i = 0; i < migrations.length; i++) {
      const upTo = migrations.slice(0, i + 1);
      migrate(sqlite, upTo);
      await migratePostgres(pool, upTo);
      expect(await postgresShape(pool), `after migration ${upTo.at(-1)!.version}`).toEqual(sqliteShape(sqlite));
    }
    sqlite.close();
  });

  test('a store opened by each engine ends with the same schema', async () => {
    const store = scratch.keep(await openPostgresStore((await scratch.database()).url));
    const folder = tempDir();
    const sqlite = openDatabase(join(folder, 'keyrack.db'));
    const expected = sqliteShape(sqlite);
    sqlite.close();
    rmSync(folder, { recursive: true, force: true });
    expect(await postgresShape(store)).toEqual(expected);
    // The comparison sees what matters: the search index and the NOCASE keys are in it.
    expect(expected.search).toEqual({ audit_fts: { documents: ['filters', 'text'], keyedByEventId: true, indexed: true } });
    expect(expected.tables.users!.uniques).toEqual(['lower(name)']);
    expect(expected.tables.login_throttle!.primaryKey).toEqual(['lower(name)']);
  });

  test('a column, an index or a check in one dialect only fails the comparison', async () => {
    const pool = await scratch.pool();
    await migratePostgres(pool, migrations);
    const sqlite = new Database(':memory:');
    migrate(sqlite, migrations);
    const same = sqliteShape(sqlite);
    sqlite.close();
    expect(await postgresShape(pool)).toEqual(same);
    // Each change on one connection, in a transaction rolled back after the comparison.
    const client = await pool.connect();
    try {
      for (const change of [
        'ALTER TABLE users ADD COLUMN nickname TEXT',
        'CREATE INDEX users_email ON users (email)',
        "ALTER TABLE mailboxes ADD CHECK (display_name <> 'x')",
        'ALTER TABLE audit_fts ADD COLUMN extra tsvector',
      ]) {
        await client.query('BEGIN');
        await client.query(change);
        expect(await postgresShape(client), change).not.toEqual(same);
        await client.query('ROLLBACK');
      }
    } finally {
      client.release();
    }
  });

});


