import type { Db } from '../db/open.js';
import type { Store } from '../db/store.js';
import type { PasswordHasher } from '../crypto/password.js';

export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };

/** Who is acting. Every service call names one; its permissions and its audit trail follow from it. */
export type Actor =
  | { kind: 'person'; userId: number; name: string }
  /** The `keyrack` CLI: whoever can run it can read the data folder anyway, so it holds every permission. */
  | { kind: 'cli'; name: string }
  /** Keyrack itself (the token server, scheduled work). */
  | { kind: 'system'; name: string };

export const cliActor = (osUser: string): Actor => ({ kind: 'cli', name: `cli:${osUser}` });
export const systemActor: Actor = { kind: 'system', name: 'system' };

export interface ServiceDeps {
  /**
   * The better-sqlite3 connection, for the services not yet moved onto `store` (issue 10, phase 1). A
   * service uses one or the other, never both: a statement on `db` run while a `store` transaction waits
   * between two awaits would join that transaction.
   */
  db: Db;
  /** The data-access port over the same connection (db/store.ts): what repositories and services move onto. */
  store: Store;
  clock: Clock;
  passwords: PasswordHasher;
}
