import type { Db } from '../db/open.js';
import { insertAuditEvent, type NewAuditEvent } from './audit.repo.js';

/** A successful authentication: the secret's last use, recorded with the batch that logs it. */
export interface SecretUse {
  secretId: number;
  at: number;
  ip: string;
}

/**
 * Writes a batch of token-server audit events and secret last uses in one transaction: one commit (one
 * fsync under synchronous=FULL) for the whole batch. The secret update is prepared once per batch. Several uses
 * of one secret in a batch collapse to the latest.
 */
export function appendTokenEvents(db: Db, events: readonly NewAuditEvent[], uses: readonly SecretUse[]): void {
  const latest = new Map<number, SecretUse>();
  for (const use of uses) {
    const seen = latest.get(use.secretId);
    if (!seen || seen.at <= use.at) latest.set(use.secretId, use);
  }
  const touch = latest.size > 0
    ? db.prepare(
        `UPDATE client_secrets SET last_used_at = ?, last_used_ip = ?
         WHERE id = ? AND (last_used_at IS NULL OR last_used_at <= ?)`,
      )
    : undefined;
  db.transaction(() => {
    // insertAuditEvent keeps the log's hash chain; inside this transaction it joins it.
    for (const e of events) insertAuditEvent(db, e);
    for (const use of latest.values()) touch!.run(use.at, use.ip, use.secretId, use.at);
  }).immediate();
}
