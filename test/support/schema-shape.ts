import type Database from 'better-sqlite3';
import type { PostgresClient } from '../../electron/db/migrate.js';

/**
 * One shape for a store's logical schema, read from SQLite (sqlite_schema and its pragmas) or from
 * PostgreSQL (pg_catalog), so that the two dialects of every migration can be compared with toEqual
 * (test/db/postgres-schema.test.ts). What the shape keeps, and how each dialect's spelling maps onto it:
 *
 * - column types by family: INTEGER/BIGINT/SMALLINT → integer, TEXT → text, BLOB/BYTEA → blob;
 * - NOT NULL, whether a default exists, and `autoId`: SQLite's INTEGER PRIMARY KEY of a rowid table, which
 *   numbers itself, is PostgreSQL's identity column. A primary key column counts as NOT NULL on both (SQLite
 *   lets a non-integer one hold NULL, an old quirk no Keyrack table relies on);
 * - keys, unique sets and index columns as text, a case-insensitive column as `lower(col)`: SQLite's COLLATE
 *   NOCASE is PostgreSQL's index on lower(col). PostgreSQL has no expression primary keys, so a unique index
 *   named `<table>_pkey` stands for a NOCASE primary key (login_throttle);
 * - foreign keys with their ON DELETE; partial index predicates without parentheses or case;
 * - CHECK constraints by the columns each one reads (their expressions differ in spelling: GLOB is LIKE);
 * - trigger names per table, except PostgreSQL's TRUNCATE guard (SQLite has no TRUNCATE);
 * - full-text search apart, in `search`: SQLite's FTS5 table and PostgreSQL's table of tsvectors with a GIN
 *   index, each as the names of the documents it indexes, keyed by event id.
 *
 * Not compared: PostgreSQL's keyrack_schema (SQLite's PRAGMA user_version) and its functions (SQLite's are
 * built in: json_valid) — the behaviour tests in postgres-schema.test.ts cover what the functions do.
 */

export interface ColumnShape {
  type: string;
  notNull: boolean;
  hasDefault: boolean;
  autoId: boolean;
}

export interface TableShape {
  columns: Record<string, ColumnShape>;
  primaryKey: string[];
  foreignKeys: string[];
  uniques: string[];
  indexes: string[];
  checks: string[];
  triggers: string[];
}

export interface SearchShape {
  documents: string[];
  keyedByEventId: boolean;
  indexed: boolean;
}

export interface SchemaShape {
  tables: Record<string, TableShape>;
  search: Record<string, SearchShape>;
}

/** PostgreSQL-only guards with no SQLite twin (see the list above). */
const POSTGRES_ONLY_TRIGGERS = new Set(['audit_events_no_truncate']);
/** The table that holds PostgreSQL's schema version and application mark (postgres-migrate.ts). */
const POSTGRES_SCHEMA_MARK = 'keyrack_schema';

const TYPE_FAMILIES: Record<string, string> = {
  integer: 'integer', bigint: 'integer', smallint: 'integer',
  text: 'text', blob: 'blob', bytea: 'blob', real: 'real', 'double precision': 'real', tsvector: 'tsvector',
};

function family(type: string): string {
  return TYPE_FAMILIES[type.toLowerCase()] ?? `unmapped:${type}`;
}

const sorted = (values: Iterable<string>) => [...values].sort();
/** `((a IS NOT NULL) AND (b IS NULL))` and `a IS NOT NULL AND b IS NULL` alike. */
const predicate = (sql: string) => sql.replace(/[()]/g, '').replace(/\s+/g, ' ').trim().toLowerCase();
const foreignKey = (from: string[], table: string, to: string[], onDelete: string) =>
  `(${from.join(', ')}) → ${table} (${to.join(', ')}) ON DELETE ${onDelete}`;
const indexText = (name: string, columns: string[], where: string | null) =>
  `${name}: ${columns.join(', ')}${where ? ` WHERE ${predicate(where)}` : ''}`;

// ---------------------------------------------------------------------------------------------- SQLite

interface SqliteIndexColumn {
  seqno: number;
  name: string | null;
  coll: string;
  key: number;
}

export function sqliteShape(db: Database.Database): SchemaShape {
  const list = db.prepare(`PRAGMA table_list`).all() as { schema: string; name: string; type: string; wr: number }[];
  const shape: SchemaShape = { tables: {}, search: {} };
  for (const table of list.filter((t) => t.schema === 'main' && !t.name.startsWith('sqlite_'))) {
    const sql = (db.prepare(`SELECT sql FROM sqlite_schema WHERE name = ?`).get(table.name) as { sql: string }).sql;
    if (table.type === 'virtual') {
      if (!/USING fts5/i.test(sql)) throw new Error(`unmapped virtual table ${table.name}`);
      const columns = db.prepare(`PRAGMA table_info(${table.name})`).all() as { name: string }[];
      shape.search[table.name] = { documents: sorted(columns.map((c) => c.name)), keyedByEventId: true, indexed: true };
    } else if (table.type === 'table') {
      shape.tables[table.name] = sqliteTable(db, table.name, sql, table.wr === 1);
    }
  }
  return shape;
}

function sqliteTable(db: Database.Database, name: string, sql: string, withoutRowid: boolean): TableShape {
  const info = db.prepare(`PRAGMA table_info(${name})`).all() as
    { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }[];
  const pkColumns = info.filter((c) => c.pk > 0);
  const rowidAlias = !withoutRowid && pkColumns.length === 1 && pkColumns[0]!.type.toUpperCase() === 'INTEGER';
  const indexes = db.prepare(`PRAGMA index_list(${name})`).all() as
    { name: string; unique: number; origin: string; partial: number }[];
  const keyColumns = (index: string) =>
    (db.prepare(`PRAGMA index_xinfo(${index})`).all() as SqliteIndexColumn[])
      .filter((c) => c.key === 1)
      .sort((a, b) => a.seqno - b.seqno)
      .map((c) => (c.coll.toUpperCase() === 'NOCASE' ? `lower(${c.name})` : c.name!));
  const pkIndex = indexes.find((i) => i.origin === 'pk');
  const fks = db.prepare(`PRAGMA foreign_key_list(${name})`).all() as
    { id: number; seq: number; table: string; from: string; to: string; on_delete: string }[];
  const fkIds = [...new Set(fks.map((f) => f.id))];
  const indexSql = (index: string) =>
    (db.prepare(`SELECT sql FROM sqlite_schema WHERE name = ?`).get(index) as { sql: string }).sql;
  const triggers = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ?`).all(name) as { name: string }[];
  return {
    columns: Object.fromEntries(
      info.map((c) => [c.name, {
        type: family(c.type),
        notNull: c.notnull === 1 || c.pk > 0,
        hasDefault: c.dflt_value !== null,
        autoId: rowidAlias && c.pk > 0,
      }]),
    ),
    primaryKey: pkIndex ? keyColumns(pkIndex.name) : pkColumns.sort((a, b) => a.pk - b.pk).map((c) => c.name),
    foreignKeys: sorted(fkIds.map((id) => {
      const parts = fks.filter((f) => f.id === id).sort((a, b) => a.seq - b.seq);
      return foreignKey(parts.map((p) => p.from), parts[0]!.table, parts.map((p) => p.to), parts[0]!.on_delete);
    })),
    uniques: sorted(indexes.filter((i) => i.unique === 1 && i.origin !== 'pk').map((i) => keyColumns(i.name).join(', '))),
    indexes: sorted(indexes.filter((i) => i.unique === 0).map((i) =>
      indexText(i.name, keyColumns(i.name), i.partial ? indexSql(i.name).replace(/^[\s\S]*?\bWHERE\b/i, '') : null))),
    checks: sorted(sqliteChecks(sql, info.map((c) => c.name))),
    triggers: sorted(triggers.map((t) => t.name)),
  };
}

/** The columns each CHECK of a CREATE TABLE reads, as "a, b" per CHECK. */
function sqliteChecks(sql: string, columns: string[]): string[] {
  const checks: string[] = [];
  const text = sql.replace(/'(?:[^']|'')*'/g, "''").replace(/--[^\n]*/g, '');
  for (const match of text.matchAll(/\bCHECK\s*\(/gi)) {
    let depth = 1;
    let end = match.index + match[0].length;
    for (; depth > 0 && end < text.length; end++) {
      if (text[end] === '(') depth++;
      if (text[end] === ')') depth--;
    }
    const body = text.slice(match.index + match[0].length, end - 1);
    const words = new Set(body.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []);
    checks.push(columns.filter((c) => words.has(c)).sort().join(', '));
  }
  return checks;
}

// ------------------------------------------------------------------------------------------ PostgreSQL

export async function postgresShape(client: PostgresClient): Promise<SchemaShape> {
  const q = async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[];
  const tables = await q<{ name: string; oid: number }>(
    `SELECT c.relname AS name, c.oid::bigint AS oid FROM pg_class c
     WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace ORDER BY 1`,
  );
  const shape: SchemaShape = { tables: {}, search: {} };
  for (const table of tables.filter((t) => t.name !== POSTGRES_SCHEMA_MARK)) {
    const shaped = await postgresTable(q, table.name, table.oid);
    const documents = Object.entries(shaped.columns).filter(([, c]) => c.type === 'tsvector').map(([n]) => n);
    if (documents.length === 0) {
      shape.tables[table.name] = shaped;
      continue;
    }
    const gin = await q<{ columns: string[] }>(
      `SELECT array(SELECT a.attname FROM unnest(i.indkey) k JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k)::text[] AS columns
       FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_am m ON m.oid = x.relam
       WHERE i.indrelid = $1 AND m.amname = 'gin'`,
      [table.oid],
    );
    shape.search[table.name] = {
      documents: sorted(documents),
      keyedByEventId: shaped.primaryKey.join() === 'event_id' && Object.keys(shaped.columns).length === documents.length + 1,
      indexed: gin.some((index) => documents.every((d) => index.columns.includes(d))),
    };
  }
  return shape;
}

type Query = <T>(sql: string, params?: unknown[]) => Promise<T[]>;

const ON_DELETE: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

async function postgresTable(q: Query, name: string, oid: number): Promise<TableShape> {
  const columns = await q<{ name: string; type: string; not_null: boolean; has_default: boolean; identity: boolean }>(
    `SELECT column_name AS name, data_type AS type, is_nullable = 'NO' AS not_null,
            column_default IS NOT NULL AS has_default, is_identity = 'YES' AS identity
     FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [name],
  );
  const constraints = await q<{ type: string; columns: string[]; ref_table: string | null; ref_columns: string[] | null; on_delete: string }>(
    `SELECT c.contype AS type,
       array(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k (n, o)
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS columns,
       c.confrelid::regclass::text AS ref_table,
       array(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k (n, o)
             JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS ref_columns,
       c.confdeltype AS on_delete
     FROM pg_constraint c WHERE c.conrelid = $1`,
    [oid],
  );
  const indexes = await q<{ name: string; unique: boolean; primary: boolean; constraint: boolean; columns: string[]; predicate: string | null }>(
    `SELECT x.relname AS name, i.indisunique AS unique, i.indisprimary AS primary,
       EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) AS constraint,
       array(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) k)::text[] AS columns,
       pg_get_expr(i.indpred, i.indrelid, true) AS predicate
     FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_am m ON m.oid = x.relam
     WHERE i.indrelid = $1 AND m.amname = 'btree'`,
    [oid],
  );
  const triggers = await q<{ name: string }>(`SELECT tgname AS name FROM pg_trigger WHERE tgrelid = $1 AND NOT tgisinternal`, [oid]);
  const primary = constraints.find((c) => c.type === 'p')?.columns;
  const standInKey = primary ? undefined : indexes.find((i) => i.unique && i.name === `${name}_pkey`);
  const uniqueSets = [
    ...constraints.filter((c) => c.type === 'u').map((c) => c.columns),
    ...indexes.filter((i) => i.unique && !i.primary && !i.constraint && i !== standInKey).map((i) => i.columns),
  ];
  return {
    columns: Object.fromEntries(
      columns.map((c) => [c.name, { type: family(c.type), notNull: c.not_null, hasDefault: c.has_default, autoId: c.identity }]),
    ),
    primaryKey: primary ?? standInKey?.columns ?? [],
    foreignKeys: sorted(constraints.filter((c) => c.type === 'f')
      .map((c) => foreignKey(c.columns, c.ref_table!, c.ref_columns!, ON_DELETE[c.on_delete]!))),
    uniques: sorted(uniqueSets.map((columns) => columns.join(', '))),
    indexes: sorted(indexes.filter((i) => !i.unique).map((i) => indexText(i.name, i.columns, i.predicate))),
    checks: sorted(constraints.filter((c) => c.type === 'c').map((c) => [...c.columns].sort().join(', '))),
    triggers: sorted(triggers.map((t) => t.name).filter((t) => !POSTGRES_ONLY_TRIGGERS.has(t))),
  };
}
