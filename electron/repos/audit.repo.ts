import { chainHash, GENESIS_HASH, type ChainedRow } from '../crypto/audit-chain.js';
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

/**
 * Appends one event to the hash chain. The chain needs the previous event's hash, so the read and the
 * insert share one write transaction (the caller's, or an IMMEDIATE one of its own): two processes
 * writing at once queue on SQLite's lock instead of forking the chain.
 */
export function insertAuditEvent(db: Db, event: NewAuditEvent): number {
  const append = () => {
    const last = db.prepare<[], { id: number; hash: Buffer }>('SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1').get();
    const row: ChainedRow = {
      id: (last?.id ?? chainAnchor(db)?.id ?? 0) + 1,
      at: event.at,
      actor_kind: event.actorKind,
      actor_id: event.actorId,
      actor_name: event.actorName,
      type: event.type,
      target_user_id: event.targetUserId,
      target_name: event.targetName,
      outcome: event.outcome,
      reason: event.reason,
      source_ip: event.sourceIp,
      details: event.details === null ? null : JSON.stringify(event.details),
    };
    const prevHash = last?.hash ?? chainAnchor(db)?.hash ?? GENESIS_HASH;
    db.prepare(
      `INSERT INTO audit_events (id, at, actor_kind, actor_id, actor_name, type, target_user_id, target_name,
         outcome, reason, source_ip, details, prev_hash, hash)
       VALUES (@id, @at, @actor_kind, @actor_id, @actor_name, @type, @target_user_id, @target_name,
         @outcome, @reason, @source_ip, @details, @prevHash, @hash)`,
    ).run({ ...row, prevHash, hash: chainHash(prevHash, row) });
    return row.id;
  };
  return db.inTransaction ? append() : db.transaction(append).immediate();
}

/** Where the chain starts when older events were pruned into an archive: the last pruned event. */
export function chainAnchor(db: Db): { id: number; hash: Buffer } | undefined {
  const row = db.prepare<[], { value: string }>(`SELECT value FROM settings WHERE key = 'audit.chain_anchor'`).get();
  if (!row) return undefined;
  const anchor = JSON.parse(row.value) as { id: number; hash: string };
  return { id: anchor.id, hash: Buffer.from(anchor.hash, 'hex') };
}

export type ChainProblem =
  /** The row's content (or its stored hashes) no longer match: edited, or moved from elsewhere. */
  | 'edited'
  /** The row does not follow its predecessor: events were deleted, inserted or reordered before it. */
  | 'broken_link';

export interface ChainReport {
  checked: number;
  firstProblem: { id: number; problem: ChainProblem; previousId: number | null } | null;
}

/** Walks the whole log in id order, in constant memory. */
export function verifyAuditChain(db: Db, onProgress?: (checked: number) => void): ChainReport {
  const anchor = chainAnchor(db);
  let prevHash: Buffer = anchor?.hash ?? GENESIS_HASH;
  let previousId: number | null = anchor?.id ?? null;
  let checked = 0;
  const rows = db
    .prepare<[], ChainedRow & { prev_hash: Buffer | null; hash: Buffer | null }>('SELECT * FROM audit_events ORDER BY id')
    .iterate();
  for (const row of rows) {
    const linked = row.prev_hash !== null && row.prev_hash.equals(prevHash) && row.id === (previousId ?? 0) + 1;
    const intact = row.hash !== null && row.prev_hash !== null && chainHash(row.prev_hash, row).equals(row.hash);
    if (!intact || !linked) {
      return { checked, firstProblem: { id: row.id, problem: intact ? 'broken_link' : 'edited', previousId } };
    }
    prevHash = row.hash!;
    previousId = row.id;
    checked++;
    if (onProgress && checked % 10_000 === 0) onProgress(checked);
  }
  return { checked, firstProblem: null };
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
