import type { Store } from '../db/store.js';
import { claimAssertionJti } from '../repos/client-assertion-jtis.repo.js';

interface Claim {
  clientId: string;
  jti: string;
  expiresAt: number;
  settle: (claimed: boolean) => void;
  fail: (error: Error) => void;
}

/**
 * Group commit for client assertions' jtis (private_key_jwt): claims made during one turn of the event loop
 * are inserted in one transaction on the next, so a burst of requests costs one fsync instead of one each
 * (bench:token measured the per-request commit as most of a private_key_jwt request's time). Each claim
 * resolves only after its transaction committed: a jti is durable before the token it admits leaves, so a
 * restart cannot forget it. Within a batch the primary key still decides: of two requests with one jti,
 * the first inserts and the second is told it was used.
 */
export class JtiClaims {
  private pending: Claim[] = [];
  private scheduled = false;

  constructor(private readonly store: Store) {}

  /** True: the jti is now used until `expiresAt`; false: it was used before (a replay). */
  claim(clientId: string, jti: string, expiresAt: number): Promise<boolean> {
    return new Promise((settle, fail) => {
      this.pending.push({ clientId, jti, expiresAt, settle, fail });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.commit());
      }
    });
  }

  private commit(): void {
    const batch = this.pending;
    this.pending = [];
    this.scheduled = false;
    this.store
      .transaction(async (tx) => {
        const results: boolean[] = [];
        for (const c of batch) results.push(await claimAssertionJti(tx, c.clientId, c.jti, c.expiresAt));
        return results;
      })
      .then(
        (results) => batch.forEach((c, i) => c.settle(results[i]!)),
        (error: Error) => {
          for (const c of batch) c.fail(error);
        },
      );
  }
}
