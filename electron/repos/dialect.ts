import type { Queryable } from '../db/store.js';

/**
 * The few places where SQLite and PostgreSQL need different SQL for the same meaning (issue 10), each said
 * once here and chosen by the Queryable's dialect; everything else the repositories write in the subset both
 * engines speak. SQLite's SQL is the one it always was, so its plans (and the EXPLAIN tests) are unchanged.
 */

/**
 * `column = ?` for a name that is unique case-insensitively: SQLite's NOCASE column compares that way by
 * itself (and uses its unique index); PostgreSQL's unique index is on lower(column), which `lower(column) =
 * lower(?)` uses. NOCASE folds ASCII only and lower() all of Unicode: a difference only for names that
 * differ in a non-ASCII letter's case.
 */
export function sameName(q: Queryable, column: string, placeholder = '?'): string {
  return q.dialect === 'postgres' ? `lower(${column}) = lower(${placeholder})` : `${column} = ${placeholder}`;
}

/**
 * An ORDER BY key for a name sorted case-insensitively, as SQLite sorts a NOCASE column (or one said `COLLATE
 * NOCASE`): `Bob` beside `bob`, both before `Carol`. `column` is what SQLite sorts by (with its COLLATE when
 * the column is not NOCASE itself); PostgreSQL sorts by lower() of the bare column, the column itself breaking ties.
 */
export function byName(q: Queryable, column: string, direction: '' | 'ASC' | 'DESC' = ''): string {
  const dir = direction === '' ? '' : ` ${direction}`;
  if (q.dialect === 'sqlite') return `${column}${dir}`;
  const bare = column.replace(/\s+COLLATE\s+NOCASE$/i, '');
  return `lower(${bare})${dir}, ${bare}${dir}`;
}

/** LIKE as SQLite's: case-insensitive (ASCII there, all of Unicode on PostgreSQL's ILIKE). */
export function likeOperator(q: Pick<Queryable, 'dialect'>): 'LIKE' | 'ILIKE' {
  return q.dialect === 'postgres' ? 'ILIKE' : 'LIKE';
}

/**
 * A subquery of the ids in one JSON array placeholder (`[1, 2, 3]`): `id IN ${idsIn(q)}`. One statement for
 * any number of ids, on SQLite through json_each, on PostgreSQL through json_array_elements_text (typed as
 * BIGINT, the ids' type).
 */
export function idsIn(q: Queryable): string {
  return q.dialect === 'postgres' ? '(SELECT json_array_elements_text(?::json)::bigint)' : '(SELECT value FROM json_each(?))';
}

/** The same for a JSON array of strings. */
export function textsIn(q: Queryable): string {
  return q.dialect === 'postgres' ? '(SELECT json_array_elements_text(?::json))' : '(SELECT value FROM json_each(?))';
}

/**
 * `column = placeholder` case-insensitively for a column that is not NOCASE itself but has an index on it
 * that is (the log's actor name: `audit_events_actor`, migration 0060): SQLite says `COLLATE NOCASE` on the
 * comparison, PostgreSQL compares lower() of both, which its index on lower(column) serves.
 */
export function equalsIgnoringCase(q: Pick<Queryable, 'dialect'>, column: string, placeholder: string): string {
  return q.dialect === 'postgres' ? `lower(${column}) = lower(${placeholder})` : `${column} = ${placeholder} COLLATE NOCASE`;
}

/**
 * The text of a list of values joined by `separator` (an aggregate): SQLite's group_concat, PostgreSQL's
 * string_agg (which wants text).
 */
export function joinedText(q: Pick<Queryable, 'dialect'>, expression: string, separator: string): string {
  return q.dialect === 'postgres' ? `string_agg(${expression}::text, ${separator})` : `group_concat(${expression}, ${separator})`;
}

/** `a IS b` (equal, NULL equal to NULL): SQLite's IS, PostgreSQL's IS NOT DISTINCT FROM. */
export function sameOrBothNull(q: Pick<Queryable, 'dialect'>, a: string, b: string): string {
  return q.dialect === 'postgres' ? `${a} IS NOT DISTINCT FROM ${b}` : `${a} IS ${b}`;
}
