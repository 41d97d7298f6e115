import type { UserStatus } from './domain.js';

/**
 * When an account or a client secret stops counting: the one rule, for the app (login, sessions, the
 * permission check), the token server (authentication, introspection) and the page's badges alike.
 *
 * Changing the expiry rule: edit `hasExpired`, and the same comparison where SQL makes it (`expires_at <= ?`,
 * `expires_at > ?`): users.repo.ts (the list's status filters, next secret expiry), groups.repo.ts
 * (countActiveAdministrators), credentials.repo.ts (listLiveSecretsOfUser), token-clients.repo.ts
 * (secretsToCheck) and overview.repo.ts (what expires in a window).
 */

/** An expiry is reached at its instant: a secret that expires at 12:00 is refused at 12:00. */
export const hasExpired = (expiresAt: number | null, now: number): boolean => expiresAt !== null && expiresAt <= now;

export type AccountState = 'live' | 'disabled' | 'expired';

/** Whether a user (person or API user) may act at `now`; disabled wins over expired, as the log names it. */
export function accountState(account: { status: UserStatus; expiresAt: number | null }, now: number): AccountState {
  if (account.status !== 'active') return 'disabled';
  return hasExpired(account.expiresAt, now) ? 'expired' : 'live';
}

export const isAccountLive = (account: { status: UserStatus; expiresAt: number | null }, now: number): boolean =>
  accountState(account, now) === 'live';

export type SecretState = 'live' | 'expired' | 'revoked';

/** A client secret's state at `now`; revoked wins over expired, as the page and the log name it. */
export function secretState(secret: { revokedAt: number | null; expiresAt: number | null }, now: number): SecretState {
  if (secret.revokedAt !== null) return 'revoked';
  return hasExpired(secret.expiresAt, now) ? 'expired' : 'live';
}
