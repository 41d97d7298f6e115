import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open.js';

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
    // `WHERE … GROUP BY` before ON CONFLICT: SQLite needs the WHERE to tell the upsert from a join clause.
    const counts = (table: string, unit: string, ms: number) =>
      db.prepare<{ after: number; through: number }>(
        `INSERT INTO ${table} (${unit}, user_id, issued, denied)
           SELECT at / ${ms} * ${ms}, coalesce(target_user_id, 0), sum(type = 'token.issued'), sum(type = 'token.denied')
             FROM audit_events
            WHERE id > @after AND id <= @through AND type IN ('token.issued', 'token.denied')
            GROUP BY 1, 2
         ON CONFLICT (${unit}, user_id) DO UPDATE SET
           issued = issued + excluded.issued,
           denied = denied + excluded.denied`,
      );
    s = {
      mark: db.prepare('SELECT through_id FROM audit_index_state'),
      newest: db.prepare('SELECT max(id) AS id FROM audit_events'),
      fts: db.prepare(
        `INSERT INTO audit_fts (rowid, text, filters)
           SELECT id, ${FTS_TEXT}, ${FTS_FILTERS} FROM audit_events WHERE id > @after AND id <= @through`,
      ),
      hourly: counts('audit_activity', 'hour', 3_600_000),
      daily: counts('audit_activity_daily', 'day', 86_400_000),
      move: db.prepare('UPDATE audit_index_state SET through_id = ?'),
    };
    statements.set(db, s);
  }
  return s;
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
