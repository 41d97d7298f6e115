import { chainHash, GENESIS_HASH, type ChainedRow } from '../electron/crypto/audit-chain.js';
import type { Db } from '../electron/db/open.js';
import { chainAnchor } from '../electron/repos/audit.repo.js';
import type { EventType } from '../shared/domain.js';

/**
 * Writes a realistic year of log: mostly token issuances from many API users and addresses, some
 * denials with their reasons, logins, and admin changes, with times rising through the period.
 * Used by `npm run bench:log`, `npm run seed:log`, and tests that need a populated log.
 *
 * Fast on purpose (a million events in well under a minute): one prepared INSERT, one transaction per
 * 50 000 rows, and the hash chain computed here in process, continuing from the store's newest event, so
 * the result verifies exactly like events written by insertAuditEvent.
 */
export interface SeedOptions {
  count: number;
  /** The newest event's time; events spread evenly over `spanMs` before it. */
  end: number;
  spanMs?: number;
  /** The API users events are about: real ones from the store, or (default) 200 made-up ids and names. */
  apiUsers?: number | ReadonlyArray<{ id: number; name: string; clientId: string }>;
  addresses?: number;
  /** Deterministic output for a given seed. */
  seed?: number;
  onProgress?: (written: number) => void;
}

export const DENIAL_REASONS = ['wrong_secret', 'unknown_client', 'ip_not_allowed', 'user_disabled', 'secret_expired', 'invalid_scope'];
export const SEED_BATCH = 50_000;

type SeedUser = { id: number; name: string; clientId: string };

export function seedLog(db: Db, options: SeedOptions): void {
  const { count, end } = options;
  const span = options.spanMs ?? 365 * 86_400_000;
  const users: readonly SeedUser[] =
    typeof options.apiUsers === 'object'
      ? options.apiUsers
      : Array.from({ length: options.apiUsers ?? 200 }, (_, i) => ({
          id: i + 1,
          name: `Integration ${i + 1}`,
          clientId: `keyrack-integration-${i + 1}`,
        }));
  const addresses = options.addresses ?? 500;
  let state = options.seed ?? 42;
  const random = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const ip = (n: number) => `10.${(n >> 8) & 255}.${n & 255}.${((n * 7) % 250) + 1}`;
  const start = end - span;

  const insert = db.prepare(
    `INSERT INTO audit_events (id, at, actor_kind, actor_id, actor_name, type, target_user_id, target_name,
       outcome, reason, source_ip, details, prev_hash, hash)
     VALUES (@id, @at, @actor_kind, @actor_id, @actor_name, @type, @target_user_id, @target_name,
       @outcome, @reason, @source_ip, @details, @prev_hash, @hash)`,
  );
  const last = db.prepare<[], { id: number; at: number; hash: Buffer }>('SELECT id, at, hash FROM audit_events ORDER BY id DESC LIMIT 1').get();
  const anchor = chainAnchor(db);
  let id = last?.id ?? anchor?.id ?? 0;
  let prevHash: Buffer = last?.hash ?? anchor?.hash ?? GENESIS_HASH;
  let lastAt = last?.at ?? 0;

  for (let done = 0; done < count; ) {
    const size = Math.min(SEED_BATCH, count - done);
    db.transaction(() => {
      for (let i = 0; i < size; i++) {
        const row = event(start + Math.floor((span * (done + i)) / count), random, pick, ip, users, addresses);
        row.id = ++id;
        // Times never go back (the time-range search relies on it), as in insertAuditEvent.
        row.at = lastAt = Math.max(row.at, lastAt);
        const hash = chainHash(prevHash, row);
        insert.run({ ...row, prev_hash: prevHash, hash });
        prevHash = hash;
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
  users: readonly SeedUser[],
  addresses: number,
): ChainedRow {
  const user = pick(users);
  const sourceIp = ip(Math.floor(random() * addresses));
  const roll = random();
  const base = { id: 0, at, target_user_id: user.id, target_name: user.name, source_ip: sourceIp, reason: null };
  const api = { actor_kind: 'api', actor_id: user.id, actor_name: user.clientId };
  if (roll < 0.7) {
    const details = { clientId: user.clientId, jti: random().toString(36).slice(2, 14), scope: pick(['properties:read', 'mail:send', 'addresses:read addresses:write']) };
    return { ...base, ...api, type: 'token.issued', outcome: 'success', details: JSON.stringify(details) };
  }
  if (roll < 0.85) {
    const reason = pick(DENIAL_REASONS);
    // An unknown client id names no API user.
    if (reason === 'unknown_client') {
      return { ...base, actor_kind: 'api', actor_id: null, actor_name: `keyrack-unknown-${Math.floor(random() * 50)}`, target_user_id: null,
        target_name: null, type: 'token.denied', outcome: 'failure', reason, details: null };
    }
    return { ...base, ...api, type: 'token.denied', outcome: 'failure', reason, details: JSON.stringify({ clientId: user.clientId }) };
  }
  if (roll < 0.9) {
    const failed = random() < 0.3;
    const name = pick(['alice', 'bob', 'carol']);
    return { id: 0, at, actor_kind: 'person', actor_id: 1, actor_name: name, type: 'auth.login', target_user_id: 1, target_name: 'alice',
      outcome: failed ? 'failure' : 'success', reason: failed ? 'wrong_password' : null, source_ip: `192.168.1.${Math.floor(random() * 20) + 2}`, details: null };
  }
  const type: EventType = pick(['user.updated', 'secret.added', 'secret.rotated', 'group.updated', 'allowlist.changed', 'mailbox.assigned']);
  return { ...base, source_ip: null, actor_kind: 'person', actor_id: 1, actor_name: pick(['alice', 'bob']), type, outcome: 'success',
    details: JSON.stringify({ note: 'seeded' }) };
}
