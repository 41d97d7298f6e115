import type { Db } from '../db/open.js';
import type { Dialect, Queryable, SqlValue } from '../db/store.js';
import { equalsIgnoringCase } from './dialect.js';
import { prepared } from './prepared.js';
import type { ActorKind, EventType, LogOrder, Outcome } from '../../shared/domain.js';
import type { AuditEvent } from '../../shared/dto.js';

/**
 * Reading the log: pages of events newest or oldest first under the log view's filters and free text, the count an
 * export announces, and the raw rows it streams. Only SELECTs; writing the log is audit.repo.ts (the chain).
 */

export interface AuditRow {
  id: number;
  at: number;
  actor_kind: ActorKind;
  actor_id: number | null;
  actor_name: string;
  type: EventType;
  target_user_id: number | null;
  target_name: string | null;
  outcome: Outcome;
  reason: string | null;
  source_ip: string | null;
  details: string | null;
}

export const rowToEvent = (r: AuditRow): AuditEvent => ({
  id: r.id,
  at: r.at,
  actorKind: r.actor_kind,
  actorId: r.actor_id,
  actorName: r.actor_name,
  type: r.type,
  targetUserId: r.target_user_id,
  targetName: r.target_name,
  outcome: r.outcome,
  reason: r.reason,
  sourceIp: r.source_ip,
  details: r.details === null ? null : (JSON.parse(r.details) as Record<string, unknown>),
});

/** An event as an array in EVENT_COLUMNS order: what the export reads (no object per row). */
export type RawAuditRow = [
  id: number,
  at: number,
  actorKind: string,
  actorId: number | null,
  actorName: string,
  type: string,
  targetUserId: number | null,
  targetName: string | null,
  outcome: string,
  reason: string | null,
  sourceIp: string | null,
  details: string | null,
];

/**
 * One page as arrays, newest first: the export streams a million of these, and arrays instead of objects
 * halve the reading cost.
 */
export function auditRawRowsPage(db: Db, q: AuditQuery): { rows: RawAuditRow[]; nextCursor: number | null } {
  const { sql, params } = buildAuditQuery(db, q);
  if (sql === null) return { rows: [], nextCursor: null };
  const rows = db.prepare<Record<string, unknown>, RawAuditRow>(sql).raw(true).all(params) as unknown as RawAuditRow[];
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  return { rows: page, nextCursor: more ? page.at(-1)![0] : null };
}

/** One page of rows, in the query's order. */
export function auditRowsPage(db: Db, q: AuditQuery): { rows: AuditRow[]; nextCursor: number | null } {
  const { sql, params } = buildAuditQuery(db, q);
  if (sql === null) return { rows: [], nextCursor: null };
  const rows = db.prepare<Record<string, unknown>, AuditRow>(sql).all(params);
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  return { rows: page, nextCursor: more ? page.at(-1)!.id : null };
}

export interface AuditQuery {
  since?: number | undefined;
  until?: number | undefined;
  actor?: string | undefined;
  targetUserId?: number | undefined;
  /** Done by or concerning this user (actor_id or target_user_id): "everything about this user". */
  involving?: number | undefined;
  type?: EventType | undefined;
  outcome?: Outcome | undefined;
  sourceIp?: string | undefined;
  text?: string | undefined;
  /** Newest first (the default) or oldest first: ids grow with time, so this is the id order. */
  order?: LogOrder | undefined;
  /** Only events older than this id: the cursor paging newest first. */
  before?: number | undefined;
  /** Only events newer than this id: the cursor paging oldest first. */
  after?: number | undefined;
  limit: number;
}

/**
 * Newest first, or oldest first, keyset-paged on id. The SQL is assembled only from the fixed fragments below, one per
 * filter present, so SQLite can pick the (filter, id) index for it; values are always bound parameters.
 * `EXPLAIN QUERY PLAN` for every filter is checked in test/log/query-plans.test.ts.
 */
export function searchAuditEvents(db: Db, q: AuditQuery): { rows: AuditEvent[]; nextCursor: number | null } {
  const { rows, nextCursor } = auditRowsPage(db, q);
  return { rows: rows.map(rowToEvent), nextCursor };
}

/**
 * searchAuditEvents through the Store port (the log service's search), on either engine: the same
 * statement on SQLite, built by the same code; on PostgreSQL the same filters in its words (the tsquery
 * over audit_fts of migration 0080 for free text, lower(actor_name) for the actor), giving the same events
 * in the same order.
 */
export async function findAuditEvents(store: Queryable, q: AuditQuery): Promise<{ rows: AuditEvent[]; nextCursor: number | null }> {
  const { rows, nextCursor } = await findAuditRows(store, q);
  return { rows: rows.map(rowToEvent), nextCursor };
}

/** One page of rows through the Store port, in the query's order (the export's PostgreSQL path reads these). */
export async function findAuditRows(store: Queryable, q: AuditQuery): Promise<{ rows: AuditRow[]; nextCursor: number | null }> {
  const { sql, params } = await buildAuditQueryOn(store, q);
  if (sql === null) return { rows: [], nextCursor: null };
  const rows = await store.all<AuditRow>(sql, params as Record<string, SqlValue>);
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  return { rows: page, nextCursor: more ? page.at(-1)!.id : null };
}

/** buildAuditQuery through the Store port, in the store's dialect. Exported for the query-plan tests. */
export async function buildAuditQueryOn(store: Queryable, q: AuditQuery): Promise<{ sql: string | null; params: Record<string, unknown> }> {
  return auditQueryFor(store.dialect, await timeRangeToIdsOn(store, q.since, q.until), q);
}

/**
 * The statement searchAuditEvents runs (null when nothing can match). Exported for the query-plan tests.
 *
 * Without free text, the (filter, id) index of the filters drives, walked newest first (or oldest first:
 * an index is walked either way, so neither order sorts). With free text, text and filters are one FTS5
 * query (the filters as words of the index's `filters` column, see ftsMatchExpression), walked in the
 * asked order with the id range inside it: FTS5 steps through the lists of
 * all the words together, so a common word with a rare filter, or the other way round, still answers with
 * its newest page without collecting every match.
 *
 * On PostgreSQL (auditQueryFor's other branch) free text is two tsqueries over audit_fts's `text` and
 * `filters` documents, answered by their GIN index (audit_fts_words); a GIN index is not ordered, so the
 * matches are sorted by id before the page is cut.
 */
export function buildAuditQuery(db: Db, q: AuditQuery): { sql: string | null; params: Record<string, unknown> } {
  return auditQueryFor('sqlite', timeRangeToIds(db, q.since, q.until), q);
}

/** buildAuditQuery once the time range is an id range (null: no event in it). */
function auditQueryFor(dialect: Dialect, ids: IdRange | null, q: AuditQuery): { sql: string | null; params: Record<string, unknown> } {
  const filter = buildAuditFilter(dialect, ids, q);
  if (filter === null) return { sql: null, params: { limit: q.limit + 1 } };
  const limit = q.limit + 1;
  const direction = q.order === 'oldest' ? 'ASC' : 'DESC';
  const { from, to, involving } = filter.params;
  const bounds = { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }), ...(involving === undefined ? {} : { involving }) };
  if (filter.params.match !== undefined) {
    const where = ['audit_fts MATCH @match', ...filter.idRange.map((f) => f.replace('id', 'f.rowid'))];
    // "Involving" has no word in the index (actor ids are not indexed there): it is checked on each match
    // as the FTS walk goes, newest first, so it still stops after a page.
    if (q.involving !== undefined) where.push(INVOLVING.replace(/(actor_id|target_user_id)/g, 'e.$1'));
    const sql = `SELECT ${EVENT_COLUMNS.map((c) => `e.${c}`).join(', ')} FROM audit_fts f JOIN audit_events e ON e.id = f.rowid WHERE ${where.join(' AND ')} ORDER BY f.rowid ${direction} LIMIT @limit`;
    return { sql, params: { match: filter.params.match, limit, ...bounds } };
  }
  if (filter.params.words !== undefined) {
    const { words, filterWords: wordsOfFilters } = filter.params;
    const where = [...TS_MATCH(wordsOfFilters !== undefined), ...filter.idRange.map((f) => f.replace('id', 'f.event_id'))];
    if (q.involving !== undefined) where.push(INVOLVING.replace(/(actor_id|target_user_id)/g, 'e.$1'));
    const sql = `SELECT ${EVENT_COLUMNS.map((c) => `e.${c}`).join(', ')} FROM audit_fts f JOIN audit_events e ON e.id = f.event_id WHERE ${where.join(' AND ')} ORDER BY f.event_id ${direction} LIMIT @limit`;
    return { sql, params: { words, ...(wordsOfFilters === undefined ? {} : { filterWords: wordsOfFilters }), limit, ...bounds } };
  }
  if (q.involving !== undefined) {
    // Done by OR concerning: an OR over two indexes would collect every match and sort them. Instead each
    // side walks its own (column, id) index in the asked order, and the compound SELECT merges the two ordered
    // streams (MERGE (UNION)), stopping at the page's end: two short index walks, like any other filter.
    // PostgreSQL does not stop a UNION early by itself: each side there is cut at the page's end first.
    const side = (column: string) =>
      `SELECT ${EVENT_COLUMNS.join(', ')} FROM audit_events WHERE ${[...filter.base, `${column} = @involving`].join(' AND ')}`;
    const sql =
      dialect === 'postgres'
        ? `(${side('actor_id')} ORDER BY id ${direction} LIMIT @limit) UNION (${side('target_user_id')} ORDER BY id ${direction} LIMIT @limit) ORDER BY id ${direction} LIMIT @limit`
        : `${side('actor_id')} UNION ${side('target_user_id')} ORDER BY id ${direction} LIMIT @limit`;
    return { sql, params: { ...filter.params, limit } };
  }
  const sql = `SELECT ${EVENT_COLUMNS.join(', ')} FROM audit_events ${filter.where} ORDER BY id ${direction} LIMIT @limit`;
  return { sql, params: { ...filter.params, limit } };
}

/** PostgreSQL's full-text conditions on audit_fts (alias f): the text's words, and the filters' words when given. */
const TS_MATCH = (withFilters: boolean): string[] => [
  'f.text @@ CAST(@words AS tsquery)',
  ...(withFilters ? ['f.filters @@ CAST(@filterWords AS tsquery)'] : []),
];

/** What a page needs: every column but the chain's two hashes (two buffers a row that nobody reads). */
const EVENT_COLUMNS = [
  'id', 'at', 'actor_kind', 'actor_id', 'actor_name', 'type', 'target_user_id', 'target_name', 'outcome', 'reason', 'source_ip', 'details',
] as const;

export type AuditFilters = Omit<AuditQuery, 'limit' | 'before' | 'after' | 'order'>;

/** How many events match the filters (an export's total). Null-safe: 0 when nothing can match. */
export function countAuditEvents(db: Db, q: AuditFilters): number {
  const filter = buildAuditFilter('sqlite', timeRangeToIds(db, q.since, q.until), q);
  if (filter === null) return 0;
  return db.prepare<Record<string, unknown>, { n: number }>(`SELECT count(*) AS n FROM audit_events ${filter.where}`).get(filter.params)!.n;
}

/** countAuditEvents through the Store port, on either engine. */
export async function countAuditEventsOn(store: Queryable, q: AuditFilters): Promise<number> {
  const filter = buildAuditFilter(store.dialect, await timeRangeToIdsOn(store, q.since, q.until), q);
  if (filter === null) return 0;
  const row = await store.get<{ n: number }>(`SELECT count(*) AS n FROM audit_events ${filter.where}`, filter.params as Record<string, SqlValue>);
  return Number(row!.n);
}

/** Done by or concerning one user (audit_events_actor_id, migration 0091, and the target indexes). */
const INVOLVING = '(actor_id = @involving OR target_user_id = @involving)';

/**
 * The WHERE clause (from fixed fragments only) and its bound values; null when nothing can match. `base`
 * is the conditions without "involving", for the query that splits it in two (buildAuditQuery).
 */
function buildAuditFilter(
  dialect: Dialect,
  ids: IdRange | null,
  q: AuditFilters & { before?: number | undefined; after?: number | undefined },
): { where: string; base: string[]; idRange: string[]; params: Record<string, unknown> } | null {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (ids === null) return null;
  let upper = ids.to;
  if (q.before !== undefined) upper = upper === undefined ? q.before - 1 : Math.min(upper, q.before - 1);
  let lower = ids.from;
  if (q.after !== undefined) lower = lower === undefined ? q.after + 1 : Math.max(lower, q.after + 1);
  const filters: [fragment: string, name: string, value: unknown][] = [
    ['id >= @from', 'from', lower],
    ['id <= @to', 'to', upper],
    [equalsIgnoringCase({ dialect }, 'actor_name', '@actor'), 'actor', q.actor],
    ['target_user_id = @target', 'target', q.targetUserId],
    ['type = @type', 'type', q.type],
    ['outcome = @outcome', 'outcome', q.outcome],
    ['source_ip = @sourceIp', 'sourceIp', q.sourceIp],
  ];
  for (const [fragment, name, value] of filters) {
    if (value === undefined) continue;
    where.push(fragment);
    params[name] = value;
  }
  if (q.text !== undefined && dialect === 'postgres') {
    const query = tsQueryExpressions(q.text, q);
    if (query === null) return null;
    const matches = TS_MATCH(query.filters !== null).map((m) => m.replace(/f\./g, ''));
    where.push(`id IN (SELECT event_id FROM audit_fts WHERE ${matches.join(' AND ')})`);
    params.words = query.words;
    if (query.filters !== null) params.filterWords = query.filters;
  } else if (q.text !== undefined) {
    const match = ftsMatchExpression(q.text, q);
    if (match === null) return null;
    where.push('id IN (SELECT rowid FROM audit_fts WHERE audit_fts MATCH @match)');
    params.match = match;
  }
  const idRange = where.filter((w) => w.startsWith('id >=') || w.startsWith('id <='));
  const base = [...where];
  if (q.involving !== undefined) {
    where.push(INVOLVING);
    params.involving = q.involving;
  }
  return { where: where.length ? `WHERE ${where.join(' AND ')}` : '', base, idRange, params };
}

type IdRange = { from?: number; to?: number };

const FIRST_AT_OR_AFTER_SQL = 'SELECT id FROM audit_events WHERE at >= ? ORDER BY at, id LIMIT 1';
const LAST_AT_OR_BEFORE_SQL = 'SELECT id FROM audit_events WHERE at <= ? ORDER BY at DESC, id DESC LIMIT 1';

/**
 * [from, to] ids of the events inside the time range, from the `at` index (times are non-decreasing in
 * id); null when the range holds no event at all.
 */
function timeRangeToIds(db: Db, since?: number, until?: number): IdRange | null {
  const first = since === undefined ? undefined : prepared<[number], { id: number }>(db, FIRST_AT_OR_AFTER_SQL).get(since) ?? null;
  const last = until === undefined ? undefined : prepared<[number], { id: number }>(db, LAST_AT_OR_BEFORE_SQL).get(until) ?? null;
  return idRangeOf(first, last);
}

/** timeRangeToIds through the Store port. */
async function timeRangeToIdsOn(q: Queryable, since?: number, until?: number): Promise<IdRange | null> {
  const first = since === undefined ? undefined : ((await q.get<{ id: number }>(FIRST_AT_OR_AFTER_SQL, [since])) ?? null);
  const last = until === undefined ? undefined : ((await q.get<{ id: number }>(LAST_AT_OR_BEFORE_SQL, [until])) ?? null);
  return idRangeOf(first, last);
}

/** undefined: no bound asked for; null: a bound asked for, and no event there. */
function idRangeOf(first: { id: number } | null | undefined, last: { id: number } | null | undefined): IdRange | null {
  if (first === null || last === null) return null;
  const range: IdRange = {};
  if (first) range.from = first.id;
  if (last) range.to = last.id;
  return range;
}

/**
 * Free text (and the other filters) → an FTS5 query. In the `text` column every word must appear, each as
 * a prefix, each quoted so the user's text is never FTS syntax; a word with punctuation is a phrase of its
 * parts, the last a prefix: "10.1.2" finds 10.1.2.3, "token.iss" finds token.issued (migration 0080's
 * tokenizer). In the `filters` column, the exact word of each filter given. Null when nothing is searchable.
 */
export function ftsMatchExpression(text: string, filters: Omit<AuditFilters, 'text' | 'since' | 'until'> = {}): string | null {
  const terms = text
    .split(/\s+/)
    .filter((t) => /[\p{L}\p{N}]/u.test(t))
    .map((t) => `"${t.replace(/"/g, '""')}"*`);
  if (terms.length === 0) return null;
  const words = filterWords(filters);
  const inText = `text : (${terms.join(' ')})`;
  return words.length > 0 ? `${inText} AND filters : (${words.join(' ')})` : inText;
}

/**
 * ftsMatchExpression for PostgreSQL: tsqueries (cast from text, so no parser of PostgreSQL's touches the
 * words) over audit_fts's `text` and `filters` documents, which migration 0080's search_words made. Each
 * whitespace-separated term of the user's is split into words as search_words splits a document
 * (searchWords), and is a phrase of them (`<->`), the last word a prefix (`:*`): the same as FTS5's quoted
 * term with `*`. All terms must match (`&`). The filters are the exact words filterWords spells, in
 * lowercase hex as the index holds them. Null when nothing is searchable.
 */
export function tsQueryExpressions(
  text: string,
  filters: Omit<AuditFilters, 'text' | 'since' | 'until'> = {},
): { words: string; filters: string | null } | null {
  const phrases = text
    .split(/\s+/)
    .filter((t) => /[\p{L}\p{N}]/u.test(t))
    .map(searchWords)
    .filter((words) => words.length > 0)
    .map((words) => `(${words.map((w, i) => (i === words.length - 1 ? `'${w}':*` : `'${w}'`)).join(' <-> ')})`);
  if (phrases.length === 0) return null;
  const words = filterWords(filters).map((w) => `'${w.toLowerCase()}'`);
  return { words: phrases.join(' & '), filters: words.length > 0 ? words.join(' & ') : null };
}

/**
 * A text's words as search_words (migration 0060, PostgreSQL) makes them for the index, and as FTS5's
 * unicode61 does: lowercased, decomposed with the combining marks dropped (`Müller` is `muller`), split at
 * anything but letters and digits. No word holds a quote or a backslash, so each is a tsquery lexeme as is.
 */
export function searchWords(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
}

/**
 * The `filters` words of the values asked for, spelled as FTS_FILTERS (audit-index.repo.ts) writes them:
 * a letter per filter, then the value (hex for text, so punctuation never splits it; the actor lowercased
 * in ASCII only, like SQLite's lower() and NOCASE).
 */
export function filterWords(f: Omit<AuditFilters, 'text' | 'since' | 'until'>): string[] {
  const hex = (value: string) => Buffer.from(value, 'utf8').toString('hex').toUpperCase();
  const words: string[] = [];
  if (f.actor !== undefined) words.push(`a${hex(f.actor.replace(/[A-Z]+/g, (c) => c.toLowerCase()))}`);
  if (f.targetUserId !== undefined) words.push(`u${f.targetUserId}`);
  if (f.type !== undefined) words.push(`t${hex(f.type)}`);
  if (f.outcome !== undefined) words.push(`o${hex(f.outcome)}`);
  if (f.sourceIp !== undefined) words.push(`i${hex(f.sourceIp)}`);
  return words;
}
