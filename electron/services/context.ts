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
   * The better-sqlite3 connection under `store`, for what the port does not offer yet: the log export's raw
   * rows, the checkpoint key held per connection, and the synchronous `…Now` readers of whoever cannot
   * await. Never used inside a `store` transaction's work: a statement on `db` run while that work waits
   * between two awaits would join the transaction.
   */
  db: Db;
  /** The data-access port over the same connection (db/store.ts): what repositories and services move onto. */
  store: Store;
  clock: Clock;
  passwords: PasswordHasher;
}
