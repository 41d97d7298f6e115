import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open.js';
import type { Queryable, Store } from '../db/store.js';

/**
 * The log's derived indexes: the full-text index (audit_fts) and the activity counts per hour and per day
 * (audit_activity, audit_activity_daily). They are not kept by triggers on insert (migration 0080): they
 * follow the log from a high-water mark, `audit_index_state.through_id`, the last event they cover.
 *
 * Events are appended in id order and never changed, so catching up is "index the events after the mark,
 * move the mark", in one transaction: a crash leaves the mark and the indexes in step. The work is done in
 * bulk (one INSERT … SELECT per index, the counts grouped per hour and user), off the token server's
 * response path; whoever reads an index first brings it up to date (catchUpAuditIndex), so a search never
 * misses an event that is in the log.
 */

/**
 * What the full-text index holds for an event (migration 0080 built it with the same expressions). `text`:
 * what a person may search for, the string values of `details` included (not its keys or numbers).
 * `filters`: one word per filter value, so free text and filters are one FTS5 query (filterWords in
 * audit-search.repo.ts spells the same words); hex keeps each value one word whatever its punctuation, and
 * lower() matches the actor filter's NOCASE (both ASCII only).
 */
export const FTS_TEXT = `concat_ws(' ', actor_name, type, target_name, reason, source_ip,
  (SELECT group_concat(value, ' ') FROM json_tree(details) WHERE json_tree.type = 'text'))`;
export const FTS_FILTERS = `concat_ws(' ', 'a' || hex(lower(actor_name)), 'u' || target_user_id, 't' || hex(type),
  'o' || hex(outcome), 'i' || hex(source_ip))`;

/**
 * The catch-up's statements, one text each for the connection's synchronous path (catchUpAuditIndex, the
 * token server's index follower) and the Store port's (bringAuditIndexUpToDate).
 * `WHERE … GROUP BY` before ON CONFLICT: SQLite needs the WHERE to tell the upsert from a join clause.
 */
const countsSql = (table: string, unit: string, ms: number) =>
  `INSERT INTO ${table} (${unit}, user_id, issued, denied)
           SELECT at / ${ms} * ${ms}, coalesce(target_user_id, 0), sum(type = 'token.issued'), sum(type = 'token.denied')
             FROM audit_events
            WHERE id > @after AND id <= @through AND type IN ('token.issued', 'token.denied')
            GROUP BY 1, 2
         ON CONFLICT (${unit}, user_id) DO UPDATE SET
           issued = issued + excluded.issued,
           denied = denied + excluded.denied`;
const MARK_SQL = 'SELECT through_id FROM audit_index_state';
const NEWEST_SQL = 'SELECT max(id) AS id FROM audit_events';
const FTS_SQL = `INSERT INTO audit_fts (rowid, text, filters)
           SELECT id, ${FTS_TEXT}, ${FTS_FILTERS} FROM audit_events WHERE id > @after AND id <= @through`;
const HOURLY_SQL = countsSql('audit_activity', 'hour', 3_600_000);
const DAILY_SQL = countsSql('audit_activity_daily', 'day', 86_400_000);
const MOVE_SQL = 'UPDATE audit_index_state SET through_id = ?';

/**
 * The same statements in PostgreSQL's words (migration 0080 defines audit_fts_text and audit_fts_filters,
 * FTS_TEXT and FTS_FILTERS there; a boolean is counted with FILTER; the upsert names its table's columns).
 */
const pgCountsSql = (table: string, unit: string, ms: number) =>
  `INSERT INTO ${table} (${unit}, user_id, issued, denied)
     SELECT at / ${ms} * ${ms}, coalesce(target_user_id, 0),
            count(*) FILTER (WHERE type = 'token.issued'), count(*) FILTER (WHERE type = 'token.denied')
       FROM audit_events
      WHERE id > @after AND id <= @through AND type IN ('token.issued', 'token.denied')
      GROUP BY 1, 2
   ON CONFLICT (${unit}, user_id) DO UPDATE SET
     issued = ${table}.issued + excluded.issued,
     denied = ${table}.denied + excluded.denied`;
const PG_CATCH_UP = {
  fts: `INSERT INTO audit_fts (event_id, text, filters)
          SELECT e.id, audit_fts_text(e), audit_fts_filters(e) FROM audit_events e WHERE e.id > @after AND e.id <= @through`,
  hourly: pgCountsSql('audit_activity', 'hour', 3_600_000),
  daily: pgCountsSql('audit_activity_daily', 'day', 86_400_000),
};

interface IndexStatements {
  mark: Statement<[], { through_id: number }>;
  newest: Statement<[], { id: number | null }>;
  fts: Statement<{ after: number; through: number }>;
  hourly: Statement<{ after: number; through: number }>;
  daily: Statement<{ after: number; through: number }>;
  move: Statement<[number]>;
}

const statements = new WeakMap<Db, IndexStatements>();

function statementsOf(db: Db): IndexStatements {
  let s = statements.get(db);
  if (!s) {
    s = {
      mark: db.prepare(MARK_SQL),
      newest: db.prepare(NEWEST_SQL),
      fts: db.prepare(FTS_SQL),
      hourly: db.prepare(HOURLY_SQL),
      daily: db.prepare(DAILY_SQL),
      move: db.prepare(MOVE_SQL),
    };
    statements.set(db, s);
  }
  return s;
}

/**
 * catchUpAuditIndex through the Store port, for the admin side's readers (overview, log search, export):
 * every event after the mark, in one write transaction of the store's (taken only when there is a lag).
 */
export async function bringAuditIndexUpToDate(store: Store): Promise<number> {
  if ((await auditIndexLagOn(store)) === 0) return 0;
  return store.transaction((tx) => catchUpOn(tx));
}

/** catchUpAuditIndex's work inside a transaction of the store's (`tx`): how many events it covered. */
export async function catchUpOn(tx: Queryable, maxEvents = Number.POSITIVE_INFINITY): Promise<number> {
  const after = Number((await tx.get<{ through_id: number }>(MARK_SQL))!.through_id);
  const newest = Number((await tx.get<{ id: number | null }>(NEWEST_SQL))?.id ?? 0);
  const through = Math.min(newest, after + maxEvents);
  if (through <= after) return 0;
  const range = { after, through };
  const sql = tx.dialect === 'postgres' ? PG_CATCH_UP : { fts: FTS_SQL, hourly: HOURLY_SQL, daily: DAILY_SQL };
  await tx.run(sql.fts, range);
  await tx.run(sql.hourly, range);
  await tx.run(sql.daily, range);
  await tx.run(MOVE_SQL, [through]);
  return through - after;
}

/** auditIndexLag through the port. */
export async function auditIndexLagOn(q: Queryable): Promise<number> {
  const newest = Number((await q.get<{ id: number | null }>(NEWEST_SQL))?.id ?? 0);
  const mark = Number((await q.get<{ through_id: number }>(MARK_SQL))!.through_id);
  return Math.max(0, newest - mark);
}

/** How many events the derived indexes do not cover yet. */
export function auditIndexLag(db: Db): number {
  const s = statementsOf(db);
  return Math.max(0, (s.newest.get()?.id ?? 0) - s.mark.get()!.through_id);
}

/**
 * Indexes up to `maxEvents` of the events after the mark, oldest first, and returns how many it covered
 * (0: the indexes were up to date). Runs in the caller's write transaction, or an IMMEDIATE one of its own,
 * so two processes catching up at once take turns instead of indexing an event twice.
 */
export function catchUpAuditIndex(db: Db, maxEvents = Number.POSITIVE_INFINITY): number {
  // Up to date (the usual case for a reader): no write transaction, no lock taken.
  if (!db.inTransaction && auditIndexLag(db) === 0) return 0;
  const run = () => {
    const s = statementsOf(db);
    const after = s.mark.get()!.through_id;
    const newest = s.newest.get()?.id ?? 0;
    const through = Math.min(newest, after + maxEvents);
    if (through <= after) return 0;
    const range = { after, through };
    s.fts.run(range);
    s.hourly.run(range);
    s.daily.run(range);
    s.move.run(through);
    return through - after;
  };
  return db.inTransaction ? run() : db.transaction(run).immediate();
}
