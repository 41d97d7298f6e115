import Database from 'better-sqlite3';
import { expect, test } from 'vitest';
import { migrate, type Migration } from '../../electron/db/migrate.js';
import { migrations } from '../../electron/db/migrations/index.js';
import { migratePostgres } from '../../electron/db/postgres-migrate.js';
import { describePostgres, postgresScratch } from '../support/postgres.js';

/**
 * What the schema's own code does (the data steps of the migrations, the triggers, the search index's
 * words) gives the same rows on both engines, for one small sample of the log.
 */

const upTo = (version: number): Migration[] => migrations.filter((m) => m.version <= version);

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 15, 22, 30);

/** Events with what the derived tables and the search index care about: types, targets, hours, days, words. */
const SAMPLE_EVENTS = `
  INSERT INTO audit_events (id, at, actor_kind, actor_id, actor_name, type, target_user_id, target_name, outcome, reason, source_ip, details)
  VALUES
    (1, ${T0}, 'api', 5, 'website', 'token.issued', 5, 'website', 'success', NULL, '10.1.2.3',
       '{"client":"keyrack-website","scopes":["mail:send","addresses.read"],"n":777}'),
    (2, ${T0 + 1000}, 'api', 5, 'website', 'token.issued', 5, 'website', 'success', NULL, '10.1.2.3', NULL),
    (3, ${T0 + HOUR}, 'api', NULL, 'unknown', 'token.denied', NULL, NULL, 'failure', 'invalid_client', '192.168.7.9', NULL),
    (4, ${T0 + 2 * HOUR}, 'api', 6, 'Müller-Lüdenscheid', 'token.denied', 6, 'Müller-Lüdenscheid', 'failure', 'ip_not_allowed', '2001:db8::1',
       '{"nested":{"deep":["Straße","café au lait","Привет мир","東京"]}}'),
    (5, ${T0 + 2 * HOUR + 5}, 'person', 1, 'Alice', 'user.created', 6, 'Müller-Lüdenscheid', 'success', NULL, NULL,
       '"just a string"'),
    (6, ${T0 + 26 * HOUR}, 'api', 5, 'website', 'token.issued', 5, 'website', 'success', NULL, '10.1.2.4', '{}');
`;

/** Rows every engine must agree on; `only` is quoted for PostgreSQL, where it is a reserved word. */
const DERIVED_TABLES = [
  'SELECT * FROM audit_activity ORDER BY hour, user_id',
  'SELECT * FROM audit_activity_daily ORDER BY day, user_id',
];

/** One search, in each engine's query language (FTS5 MATCH; a tsquery over the tsvector documents). */
interface Search {
  words: string;
  fts5: string;
  tsquery: string;
  /** The index must not hold it: the search finds nothing on either engine. */
  absent?: true;
}

const SEARCHES_0060: Search[] = [
  { words: 'a type, kept whole', fts5: '"token.issued"', tsquery: `'token.issued'` },
  { words: 'an address, kept whole', fts5: '"10.1.2.3"', tsquery: `'10.1.2.3'` },
  { words: 'a prefix', fts5: 'webs*', tsquery: `'webs':*` },
  { words: 'a name with its hyphen', fts5: '"müller-lüdenscheid"', tsquery: `'muller-ludenscheid'` },
  { words: 'a reason', fts5: 'invalid_client', tsquery: `'invalid_client'` },
];

const SEARCHES_0080: Search[] = [
  { words: 'half a type', fts5: 'issued', tsquery: `'issued'` },
  { words: 'a prefix', fts5: 'den*', tsquery: `'den':*` },
  { words: 'an address typed whole is a phrase', fts5: '"10.1.2"', tsquery: `'10' <-> '1' <-> '2'` },
  { words: 'without its diacritics', fts5: 'muller', tsquery: `'muller'` },
  { words: 'a nested string of details', fts5: 'lait', tsquery: `'lait'` },
  { words: 'a letter without a diacritic to remove', fts5: 'straße', tsquery: `'straße'` },
  { words: 'another script, lowercased', fts5: 'ПРИВЕТ', tsquery: `'привет'` },
  { words: 'letters without spaces are one word', fts5: '東京', tsquery: `'東京'` },
  { words: 'a string in an array of details', fts5: 'send', tsquery: `'send'` },
  { words: 'details that are one string', fts5: 'just', tsquery: `'just'` },
  { words: 'no key of details', fts5: 'nested', tsquery: `'nested'`, absent: true },
  { words: 'no number of details', fts5: '777', tsquery: `'777'`, absent: true },
  { words: 'an actor filter word (hex of the lowercased name)', fts5: `a${hex('alice')}`, tsquery: `'a${hex('alice')}'` },
  { words: 'an API user filter word', fts5: 'u5', tsquery: `'u5'` },
  { words: 'a missing address filter word', fts5: 'i', tsquery: `'i'` },
  { words: 'a type filter word', fts5: `t${hex('token.denied')}`, tsquery: `'t${hex('token.denied')}'` },
];

function hex(text: string): string {
  return Buffer.from(text).toString('hex');
}

describePostgres('the schema behaves the same on PostgreSQL', () => {
  const scratch = postgresScratch();

  /** The same store on both engines, at one version. */
  async function bothAt(version: number) {
    const pool = await scratch.pool();
    const sqlite = new Database(':memory:');
    sqlite.pragma('foreign_keys = ON');
    migrate(sqlite, upTo(version));
    await migratePostgres(pool, upTo(version));
    return {
      sqlite,
      pool,
      async exec(sql: string) {
        sqlite.exec(sql);
        await pool.query(sql);
      },
      async migrateTo(to: number) {
        migrate(sqlite, upTo(to));
        await migratePostgres(pool, upTo(to));
      },
      async expectSameRows(sql: string) {
        const rows = sqlite.prepare(sql).all();
        expect(rows.length, sql).toBeGreaterThan(0);
        expect((await pool.query(sql)).rows, sql).toEqual(rows);
      },
      async expectSameSearch(searches: Search[], documents: string[]) {
        for (const search of searches) {
          const found = sqlite.prepare('SELECT rowid AS id FROM audit_fts WHERE audit_fts MATCH ? ORDER BY rowid').all(search.fts5);
          const where = documents.map((d) => `${d} @@ $1::tsquery`).join(' OR ');
          const { rows } = await pool.query(`SELECT event_id AS id FROM audit_fts WHERE ${where} ORDER BY event_id`, [search.tsquery]);
          expect(rows, search.words).toEqual(found);
          expect(found.length > 0, search.words).toBe(!search.absent);
        }
      },
    };
  }

  test('the triggers of 0060 to 0072 count and index new events alike', async () => {
    const both = await bothAt(72);
    await both.exec(SAMPLE_EVENTS);
    for (const sql of DERIVED_TABLES) await both.expectSameRows(sql);
    await both.expectSameSearch(SEARCHES_0060, ['text']);
    expect((await both.pool.query('SELECT count(*) AS n FROM audit_fts')).rows).toEqual([{ n: 6 }]);
  });

  test('the data steps bring an older store forward alike: chain, counts, search index, known addresses', async () => {
    const both = await bothAt(20);
    await both.exec(SAMPLE_EVENTS);
    await both.exec(`
      INSERT INTO users (id, kind, name, created_at, created_by, updated_at) VALUES (5, 'api', 'website', 1, 'cli', 1);
      INSERT INTO credentials (client_id, user_id, created_at) VALUES ('keyrack-website', 5, 1);
      INSERT INTO client_secrets (user_id, label, secret_hash, created_at, created_by, last_used_at, last_used_ip) VALUES
        (5, 'a', '$argon2id$x', 1, 'cli', 100, '10.1.2.3'),
        (5, 'b', '$argon2id$y', 1, 'cli', 200, '10.1.2.3'),
        (5, 'c', '$argon2id$z', 1, 'cli', 150, '10.1.2.4'),
        (5, 'd', '$argon2id$w', 1, 'cli', NULL, NULL);
    `);
    await both.migrateTo(72);
    for (const sql of DERIVED_TABLES) await both.expectSameRows(sql);
    await both.expectSameSearch(SEARCHES_0060, ['text']);

    await both.migrateTo(migrations.at(-1)!.version);
    await both.expectSameRows('SELECT * FROM audit_events ORDER BY id');
    await both.expectSameRows('SELECT "only", through_id FROM audit_index_state');
    await both.expectSameRows('SELECT * FROM client_addresses ORDER BY client_id, ip');
    for (const sql of DERIVED_TABLES) await both.expectSameRows(sql);
    await both.expectSameSearch(SEARCHES_0080, ['text', 'filters']);
  });

  test('a new store starts with the same built-in rows', async () => {
    const both = await bothAt(migrations.at(-1)!.version);
    for (const sql of [
      'SELECT id, name, description, builtin, created_at, updated_at FROM groups',
      'SELECT * FROM group_app_permissions ORDER BY permission',
      'SELECT * FROM resources',
      'SELECT * FROM resource_actions',
    ]) {
      await both.expectSameRows(sql);
    }
  });

  test('at the latest schema, no trigger indexes or counts a new event (audit-index.repo.ts catches up) on either engine', async () => {
    const both = await bothAt(migrations.at(-1)!.version);
    await both.exec(SAMPLE_EVENTS);
    for (const table of ['audit_fts', 'audit_activity', 'audit_activity_daily']) {
      expect(both.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get(), table).toEqual({ n: 0 });
      expect((await both.pool.query(`SELECT count(*) AS n FROM ${table}`)).rows, table).toEqual([{ n: 0 }]);
    }
  });

  test('the log stays append-only, except a pruning the authorisation row allows; checks refuse alike', async () => {
    const both = await bothAt(migrations.at(-1)!.version);
    await both.exec(SAMPLE_EVENTS);
    const refusedByBoth = async (sql: string, message: RegExp) => {
      expect(() => both.sqlite.exec(sql), sql).toThrow(message);
      await expect(both.pool.query(sql), sql).rejects.toThrow(message);
    };
    await refusedByBoth(`UPDATE audit_events SET reason = 'x' WHERE id = 1`, /append-only/);
    await refusedByBoth('DELETE FROM audit_events WHERE id = 1', /append-only/);
    await expect(both.pool.query('TRUNCATE audit_events')).rejects.toThrow(/append-only/);
    await refusedByBoth(
      `INSERT INTO audit_events (at, actor_kind, actor_name, type, outcome, details) VALUES (1, 'cli', 'x', 'y', 'success', '{no json')`,
      /CHECK constraint|check constraint/,
    );
    await refusedByBoth(`INSERT INTO credentials (client_id, created_at) VALUES ('other-website', 1)`, /CHECK constraint|check constraint/);
    await refusedByBoth(
      `INSERT INTO users (kind, name, created_at, created_by, updated_at) VALUES ('api', 'WEBSITE', 1, 'cli', 1);
       INSERT INTO users (kind, name, created_at, created_by, updated_at) VALUES ('api', 'website', 1, 'cli', 1)`,
      /UNIQUE constraint|duplicate key/,
    );

    await both.exec(`
      INSERT INTO audit_prune_authorization (through_id) VALUES (2);
      DELETE FROM audit_events WHERE id <= 2;
      DELETE FROM audit_prune_authorization;
    `);
    await both.expectSameRows('SELECT id FROM audit_events ORDER BY id');
    await refusedByBoth('DELETE FROM audit_events WHERE id = 3', /append-only/);
  });
});
