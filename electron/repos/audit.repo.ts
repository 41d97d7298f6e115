import type { Db } from '../db/open.js';
import type { ActorKind, EventType, Outcome } from '../../shared/domain.js';
import type { AuditEvent } from '../../shared/dto.js';

export type NewAuditEvent = Omit<AuditEvent, 'id'>;

interface AuditRow {
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

const rowToEvent = (r: AuditRow): AuditEvent => ({
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

export function insertAuditEvent(db: Db, event: NewAuditEvent): number {
  return Number(
    db
      .prepare(
        `INSERT INTO audit_events (at, actor_kind, actor_id, actor_name, type, target_user_id, target_name,
           outcome, reason, source_ip, details)
         VALUES (@at, @actorKind, @actorId, @actorName, @type, @targetUserId, @targetName,
           @outcome, @reason, @sourceIp, @details)`,
      )
      .run({ ...event, details: event.details === null ? null : JSON.stringify(event.details) }).lastInsertRowid,
  );
}

export interface AuditQuery {
  since?: number | undefined;
  until?: number | undefined;
  actor?: string | undefined;
  targetUserId?: number | undefined;
  type?: EventType | undefined;
  outcome?: Outcome | undefined;
  text?: string | undefined;
  before?: number | undefined;
  limit: number;
}

/** Newest first, keyset-paged on id (ids only grow, and follow time). */
export function searchAuditEvents(db: Db, q: AuditQuery): { rows: AuditEvent[]; nextCursor: number | null } {
  const rows = db
    .prepare<Record<string, unknown>, AuditRow>(
      `SELECT * FROM audit_events
       WHERE (@before IS NULL OR id < @before)
         AND (@since IS NULL OR at >= @since)
         AND (@until IS NULL OR at <= @until)
         AND (@actor IS NULL OR actor_name = @actor COLLATE NOCASE)
         AND (@target IS NULL OR target_user_id = @target)
         AND (@type IS NULL OR type = @type)
         AND (@outcome IS NULL OR outcome = @outcome)
         AND (@pattern IS NULL OR actor_name LIKE @pattern ESCAPE '\\' OR target_name LIKE @pattern ESCAPE '\\'
           OR reason LIKE @pattern ESCAPE '\\' OR source_ip LIKE @pattern ESCAPE '\\'
           OR type LIKE @pattern ESCAPE '\\' OR details LIKE @pattern ESCAPE '\\')
       ORDER BY id DESC LIMIT @limit`,
    )
    .all({
      before: q.before ?? null,
      since: q.since ?? null,
      until: q.until ?? null,
      actor: q.actor ?? null,
      target: q.targetUserId ?? null,
      type: q.type ?? null,
      outcome: q.outcome ?? null,
      pattern: q.text ? `%${q.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null,
      limit: q.limit + 1,
    });
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  return { rows: page.map(rowToEvent), nextCursor: more ? page.at(-1)!.id : null };
}
