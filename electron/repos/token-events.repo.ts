import type { Statement } from 'better-sqlite3';
import { chainHash, GENESIS_HASH, type ChainedRow } from '../crypto/audit-chain.js';
import type { Db } from '../db/open.js';
import { chainAnchor, type NewAuditEvent } from './audit.repo.js';

/** A successful authentication: the secret's last use, recorded with the batch that logs it. */
export interface SecretUse {
  secretId: number;
  at: number;
  ip: string;
}

interface Prepared {
  last: Statement<[], { id: number; at: number; hash: Buffer }>;
  insert: Statement<[Record<string, unknown>]>;
  touch: Statement<[number, string, number, number]>;
}

const statements = new WeakMap<Db, Prepared>();

function prepared(db: Db): Prepared {
  let p = statements.get(db);
  if (!p) {
    p = {
      last: db.prepare('SELECT id, at, hash FROM audit_events ORDER BY id DESC LIMIT 1'),
      insert: db.prepare(
        `INSERT INTO audit_events (id, at, actor_kind, actor_id, actor_name, type, target_user_id, target_name,
           outcome, reason, source_ip, details, prev_hash, hash)
         VALUES (@id, @at, @actor_kind, @actor_id, @actor_name, @type, @target_user_id, @target_name,
           @outcome, @reason, @source_ip, @details, @prevHash, @hash)`,
      ),
      touch: db.prepare(
        `UPDATE client_secrets SET last_used_at = ?, last_used_ip = ?
         WHERE id = ? AND (last_used_at IS NULL OR last_used_at <= ?)`,
      ),
    };
    statements.set(db, p);
  }
  return p;
}

/**
 * Writes a batch of token-server audit events and secret last uses in one IMMEDIATE transaction: one commit
 * (one fsync under synchronous=FULL) for the whole batch. Several uses of one secret in a batch collapse to
 * the latest.
 *
 * The events join the log's hash chain exactly as insertAuditEvent (audit.repo.ts) appends them, one after
 * the other, but the chain's tail is read once per batch and the statements are prepared once per
 * connection: on the token endpoint's hot path that is most of the cost of a row. Changing how
 * insertAuditEvent chains or stores a row: change it here too (test/token-server/audit.test.ts verifies the
 * chain after batches).
 */
export function appendTokenEvents(db: Db, events: readonly NewAuditEvent[], uses: readonly SecretUse[]): void {
  const latest = new Map<number, SecretUse>();
  for (const use of uses) {
    const seen = latest.get(use.secretId);
    if (!seen || seen.at <= use.at) latest.set(use.secretId, use);
  }
  const p = prepared(db);
  db.transaction(() => {
    const last = p.last.get();
    const anchor = last ? undefined : chainAnchor(db);
    let id = last?.id ?? anchor?.id ?? 0;
    let at = last?.at ?? 0;
    let prevHash = last?.hash ?? anchor?.hash ?? GENESIS_HASH;
    for (const event of events) {
      id += 1;
      // Never earlier than the event before it: times follow ids (see insertAuditEvent).
      at = Math.max(event.at, at);
      const row: ChainedRow = {
        id,
        at,
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
      const hash = chainHash(prevHash, row);
      p.insert.run({ ...row, prevHash, hash });
      prevHash = hash;
    }
    for (const use of latest.values()) p.touch.run(use.at, use.ip, use.secretId, use.at);
  }).immediate();
}
