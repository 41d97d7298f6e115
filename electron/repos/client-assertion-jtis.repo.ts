import type { Queryable } from '../db/store.js';

/**
 * The jti of every client assertion accepted, until the assertion expires (migration 0100): RFC 7523 §3
 * item 7 lets a server refuse a jti it has seen, RFC 7521 §4.2 asks that an assertion be used once. Kept in
 * the store, so a restart or another node over the same store refuses a replay as well.
 */

/**
 * Records a jti as used until `expiresAt` (epoch ms). False: the client used it before and it has not
 * expired yet (a jti whose row has expired cannot come back: its assertion's exp has passed too). The
 * primary key decides: of two requests with one jti, on any node, exactly one inserts.
 */
export async function claimAssertionJti(tx: Queryable, clientId: string, jti: string, expiresAt: number): Promise<boolean> {
  const inserted = await tx.run('INSERT INTO client_assertion_jtis (client_id, jti, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [
    clientId,
    jti,
    expiresAt,
  ]);
  return inserted.changes === 1;
}

/** Forgets jtis whose assertions have expired: nothing can replay them any more. Returns how many went. */
export async function pruneAssertionJtis(q: Queryable, now: number): Promise<number> {
  return (await q.run('DELETE FROM client_assertion_jtis WHERE expires_at <= ?', [now])).changes;
}
