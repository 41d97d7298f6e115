import { FTS_FILTERS, FTS_TEXT } from '../repos/audit-index.repo.js';
import type { Db } from './open.js';
import type { PostgresClient } from './migrate.js';

/**
 * What `keyrack store copy` copies, read from the two schemas themselves rather than from a list kept by
 * hand, so a table added by a later migration is copied without anyone remembering to: every table of the
 * SQLite store, parents before children (foreign-key order), each mapped onto the PostgreSQL table of the
 * same name with the same columns. The same plan serves both directions (`store copy --to` and `--from`):
 * the SQLite schema lists the tables either way, and only the rebuilt index is engine-specific. Anything the copy does not know how to map stops it before a row is
 * written: a SQLite table PostgreSQL lacks or the reverse, different columns, a virtual table other than
 * the ones below, a cycle of foreign keys.
 */

/** The copy's error for a schema it cannot map or a store it must not write into. Nothing was written. */
export class StoreCopyError extends Error {
  override name = 'StoreCopyError';
}

/** A table copied row by row: the same name and columns on both engines. */
export interface CopiedTable {
  name: string;
  columns: string[];
  /** The primary key columns (rows are read in this order, so the copy is deterministic). */
  primaryKey: string[];
  /** PostgreSQL identity columns, whose sequences are moved past the copied values. */
  identity: string[];
}

/** A table that is derived from others and rebuilt on the target rather than copied. */
export interface RebuiltTable {
  name: string;
  /** SQL that fills the target's table from the copied rows. */
  rebuild: string;
  /** SQL that counts the rows the rebuild must produce, for the check afterwards. */
  expected: string;
}

export interface CopyPlan {
  tables: CopiedTable[];
  rebuilt: RebuiltTable[];
}

/** Which engine the copy writes into: the rebuilt tables' SQL is the target's. */
export type CopyTargetEngine = 'postgres' | 'sqlite';

/**
 * SQLite's FTS5 search index holds words, not rows a copy could read (it is contentless), and PostgreSQL
 * keeps the same index as tsvectors (migration 0080). So it is rebuilt on the target from the copied log,
 * with the target's own expressions (PostgreSQL: the functions migration 0080 defines; SQLite: FTS_TEXT and
 * FTS_FILTERS, as catchUpAuditIndex indexes), for exactly the events the copied high-water mark says it
 * covers (audit-index.repo.ts), as the copied activity counts do. PostgreSQL's audit_fts rows are never
 * read. A new virtual table needs its entry here.
 */
const REBUILT: Record<string, Record<CopyTargetEngine, RebuiltTable>> = {
  audit_fts: {
    postgres: {
      name: 'audit_fts',
      rebuild: `INSERT INTO audit_fts (event_id, text, filters)
        SELECT e.id, audit_fts_text(e), audit_fts_filters(e) FROM audit_events e
         WHERE e.id <= (SELECT through_id FROM audit_index_state)`,
      expected: 'SELECT count(*) AS n FROM audit_events WHERE id <= (SELECT through_id FROM audit_index_state)',
    },
    sqlite: {
      name: 'audit_fts',
      rebuild: `INSERT INTO audit_fts (rowid, text, filters)
        SELECT id, ${FTS_TEXT}, ${FTS_FILTERS} FROM audit_events
         WHERE id <= (SELECT through_id FROM audit_index_state)`,
      expected: 'SELECT count(*) AS n FROM audit_events WHERE id <= (SELECT through_id FROM audit_index_state)',
    },
  },
};

/** PostgreSQL's schema mark (postgres-migrate.ts): written by the opener, never copied. */
const POSTGRES_ONLY = new Set(['keyrack_schema']);

interface SqliteTable {
  name: string;
  type: string;
}

/**
 * Reads both schemas and decides what to copy, in which order; throws StoreCopyError on anything unmapped.
 * `target`: the engine written into (the SQLite store is the source for 'postgres', the target for 'sqlite').
 */
export async function planCopy(sqlite: Db, pg: PostgresClient, target: CopyTargetEngine = 'postgres'): Promise<CopyPlan> {
  const list = (sqlite.prepare('PRAGMA table_list').all() as (SqliteTable & { schema: string })[]).filter(
    (t) => t.schema === 'main' && !t.name.startsWith('sqlite_'),
  );
  const pgTables = await postgresTables(pg);
  const problems: string[] = [];
  const rebuilt: RebuiltTable[] = [];
  const tables: CopiedTable[] = [];
  // Shadow tables are an FTS5 table's own storage; the virtual table stands for them.
  for (const table of list.filter((t) => t.type !== 'shadow')) {
    if (table.type === 'virtual') {
      const entry = REBUILT[table.name]?.[target];
      if (!entry) problems.push(`${table.name} is a virtual table the copy does not know how to rebuild`);
      else if (!pgTables.has(table.name)) problems.push(`${table.name} is missing on PostgreSQL`);
      else rebuilt.push(entry);
      continue;
    }
    if (table.type !== 'table') {
      problems.push(`${table.name} is a SQLite ${table.type} the copy does not know how to map`);
      continue;
    }
    const pgColumns = pgTables.get(table.name);
    if (!pgColumns) {
      problems.push(`${table.name} is missing on PostgreSQL`);
      continue;
    }
    const info = sqlite.prepare(`PRAGMA table_info(${quote(table.name)})`).all() as { name: string; pk: number }[];
    const columns = info.map((c) => c.name);
    const differ = [...columns.filter((c) => !pgColumns.names.includes(c)), ...pgColumns.names.filter((c) => !columns.includes(c))];
    if (differ.length > 0) problems.push(`${table.name} has different columns on the two engines (${differ.join(', ')})`);
    const primaryKey = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
    tables.push({ name: table.name, columns, primaryKey, identity: pgColumns.identity });
  }
  const known = new Set(list.map((t) => t.name));
  for (const name of pgTables.keys()) {
    if (!known.has(name) && !POSTGRES_ONLY.has(name)) problems.push(`${name} exists on PostgreSQL only`);
  }
  if (problems.length > 0) {
    throw new StoreCopyError(`The two stores' schemas differ, so nothing was copied: ${problems.join('; ')}.`);
  }
  return { tables: foreignKeyOrder(sqlite, tables), rebuilt };
}

/** The database's own tables (the current schema) with their columns and identity columns. */
async function postgresTables(pg: PostgresClient): Promise<Map<string, { names: string[]; identity: string[] }>> {
  const { rows } = await pg.query(`
    SELECT c.relname AS table, a.attname AS column, a.attidentity <> '' AS identity
      FROM pg_class c
      JOIN pg_namespace s ON s.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE s.nspname = current_schema() AND c.relkind IN ('r', 'p')
     ORDER BY c.relname, a.attnum`);
  const tables = new Map<string, { names: string[]; identity: string[] }>();
  for (const row of rows as { table: string; column: string; identity: boolean }[]) {
    let table = tables.get(row.table);
    if (!table) tables.set(row.table, (table = { names: [], identity: [] }));
    table.names.push(row.column);
    if (row.identity) table.identity.push(row.column);
  }
  return tables;
}

/**
 * Parents before children, from SQLite's own foreign keys, so every inserted row finds the rows it refers
 * to (PostgreSQL checks each foreign key at its INSERT). Ties keep name order; a table referring to itself
 * is copied in primary-key order, in which a row's parent comes first.
 */
function foreignKeyOrder(sqlite: Db, tables: CopiedTable[]): CopiedTable[] {
  const parents = new Map<string, Set<string>>();
  for (const table of tables) {
    const keys = sqlite.prepare(`PRAGMA foreign_key_list(${quote(table.name)})`).all() as { table: string }[];
    parents.set(table.name, new Set(keys.map((k) => k.table).filter((t) => t !== table.name)));
  }
  const ordered: CopiedTable[] = [];
  const placed = new Set<string>();
  let rest = [...tables].sort((a, b) => a.name.localeCompare(b.name));
  while (rest.length > 0) {
    const ready = rest.filter((t) => [...parents.get(t.name)!].every((p) => placed.has(p)));
    if (ready.length === 0) {
      throw new StoreCopyError(`The tables ${rest.map((t) => t.name).join(', ')} refer to each other in a cycle; the copy cannot order them.`);
    }
    for (const table of ready) {
      ordered.push(table);
      placed.add(table.name);
    }
    rest = rest.filter((t) => !placed.has(t.name));
  }
  return ordered;
}

/** An identifier quoted for either engine (`only` is a reserved word in PostgreSQL). */
export function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
