import type { Db } from '../db/open.js';
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
  db: Db;
  clock: Clock;
  passwords: PasswordHasher;
}
