import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open.js';

/**
 * The jti of every client assertion accepted, until the assertion expires (migration 0100): RFC 7523 §3
 * item 7 lets a server refuse a jti it has seen, RFC 7521 §4.2 asks that an assertion be used once. Kept in
 * the store, so a restart or another node over the same store refuses a replay as well.
 */

const statements = new WeakMap<Db, { claim: Statement<[string, string, number]>; prune: Statement<[number]> }>();

function prepared(db: Db) {
  let s = statements.get(db);
  if (!s) {
    s = {
      // The primary key decides: of two requests with one jti, exactly one inserts.
      claim: db.prepare('INSERT INTO client_assertion_jtis (client_id, jti, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
      prune: db.prepare('DELETE FROM client_assertion_jtis WHERE expires_at <= ?'),
    };
    statements.set(db, s);
  }
  return s;
}

/**
 * Records a jti as used until `expiresAt` (epoch ms). False: the client used it before and it has not
 * expired yet (a jti whose row has expired cannot come back: its assertion's exp has passed too).
 */
export function claimAssertionJti(db: Db, clientId: string, jti: string, expiresAt: number): boolean {
  return prepared(db).claim.run(clientId, jti, expiresAt).changes === 1;
}

/** Forgets jtis whose assertions have expired: nothing can replay them any more. Returns how many went. */
export function pruneAssertionJtis(db: Db, now: number): number {
  return prepared(db).prune.run(now).changes;
}
