import { describe, expect, test } from 'vitest';
import { accountState, hasExpired, isAccountLive, secretState } from '../../shared/liveness.js';

const NOW = 1_700_000_000_000;

describe('the one expiry rule (shared/liveness.ts)', () => {
  test('an expiry is reached at its instant, not a millisecond later', () => {
    expect(hasExpired(NOW, NOW)).toBe(true);
    expect(hasExpired(NOW + 1, NOW)).toBe(false);
    expect(hasExpired(null, NOW)).toBe(false);
  });

  test('an account is live while active and before its expiry; disabled is named before expired', () => {
    expect(accountState({ status: 'active', expiresAt: null }, NOW)).toBe('live');
    expect(accountState({ status: 'active', expiresAt: NOW }, NOW)).toBe('expired');
    expect(accountState({ status: 'disabled', expiresAt: NOW }, NOW)).toBe('disabled');
    expect(isAccountLive({ status: 'active', expiresAt: NOW + 1 }, NOW)).toBe(true);
    expect(isAccountLive({ status: 'disabled', expiresAt: null }, NOW)).toBe(false);
  });

  test('a secret is live until revoked or expired; revoked is named before expired', () => {
    expect(secretState({ revokedAt: null, expiresAt: null }, NOW)).toBe('live');
    expect(secretState({ revokedAt: null, expiresAt: NOW }, NOW)).toBe('expired');
    expect(secretState({ revokedAt: NOW - 1, expiresAt: NOW }, NOW)).toBe('revoked');
  });
});
