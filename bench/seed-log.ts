import type { Db } from '../electron/db/open.js';
import { insertAuditEvent, type NewAuditEvent } from '../electron/repos/audit.repo.js';
import type { EventType } from '../shared/domain.js';

/**
 * Writes a realistic year of log: mostly token issuances from many API users and addresses, some
 * denials with their reasons, logins, and admin changes, with times rising through the period.
 * Used by `npm run bench:log`, the seeding script, and tests that need a populated log.
 */
export interface SeedOptions {
  count: number;
  /** The newest event's time; events spread evenly over `spanMs` before it. */
  end: number;
  spanMs?: number;
  apiUsers?: number;
  addresses?: number;
  /** Deterministic output for a given seed. */
  seed?: number;
  onProgress?: (written: number) => void;
}

export const DENIAL_REASONS = ['wrong_secret', 'unknown_client', 'ip_not_allowed', 'user_disabled', 'secret_expired', 'invalid_scope'];

export function seedLog(db: Db, options: SeedOptions): void {
  const { count, end } = options;
  const span = options.spanMs ?? 365 * 86_400_000;
  const users = options.apiUsers ?? 200;
  const addresses = options.addresses ?? 500;
  let state = options.seed ?? 42;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const ip = (n: number) => `10.${(n >> 8) & 255}.${n & 255}.${(n * 7) % 250 + 1}`;
  const start = end - span;
  const batch = 10_000;
  for (let done = 0; done < count; ) {
    const size = Math.min(batch, count - done);
    db.transaction(() => {
      for (let i = 0; i < size; i++) {
        const n = done + i;
        insertAuditEvent(db, event(start + Math.floor((span * n) / count), random, pick, ip, users, addresses));
      }
    }).immediate();
    done += size;
    options.onProgress?.(done);
  }
}

function event(
  at: number,
  random: () => number,
  pick: <T>(list: readonly T[]) => T,
  ip: (n: number) => string,
  users: number,
  addresses: number,
): NewAuditEvent {
  const user = Math.floor(random() * users) + 1;
  const name = `Integration ${user}`;
  const clientId = `keyrack-integration-${user}`;
  const sourceIp = ip(Math.floor(random() * addresses));
  const roll = random();
  const base = { at, targetUserId: user, targetName: name, sourceIp, reason: null };
  if (roll < 0.7) {
    return { ...base, actorKind: 'api', actorId: user, actorName: clientId, type: 'token.issued', outcome: 'success',
      details: { clientId, jti: random().toString(36).slice(2, 14), scope: pick(['properties:read', 'mail:send', 'addresses:read addresses:write']) } };
  }
  if (roll < 0.85) {
    return { ...base, actorKind: 'api', actorId: user, actorName: clientId, type: 'token.denied', outcome: 'failure',
      reason: pick(DENIAL_REASONS), details: { clientId } };
  }
  if (roll < 0.9) {
    const failed = random() < 0.3;
    return { at, actorKind: 'person', actorId: 1, actorName: pick(['alice', 'bob', 'carol']), type: 'auth.login',
      targetUserId: 1, targetName: 'alice', outcome: failed ? 'failure' : 'success', reason: failed ? 'wrong_password' : null,
      sourceIp: '127.0.0.1', details: null };
  }
  const type: EventType = pick(['user.updated', 'secret.added', 'secret.rotated', 'group.updated', 'allowlist.changed', 'mailbox.assigned']);
  return { ...base, sourceIp: null, actorKind: 'person', actorId: 1, actorName: pick(['alice', 'bob']), type, outcome: 'success', details: { note: 'seeded' } };
}
