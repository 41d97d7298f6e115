import type { Db } from '../../electron/db/open.js';
import type { Store } from '../../electron/db/store.js';
import { insertAuditEvent, insertAuditEventOnDb, type NewAuditEvent } from '../../electron/repos/audit.repo.js';
import type { Actor } from '../../electron/services/context.js';
import { RetentionService } from '../../electron/services/retention.js';
import { coreWithAdmin, type TestCore } from '../support/core.js';
import type { Engine, EngineCore } from '../support/engines.js';

/**
 * A deterministic mix of log events through the production insert path (insertAuditEventOnDb), evenly spread
 * over `spanMs` before `end`: issuances and denials for API users 1..apiUsers from a few addresses, some
 * logins (some failed), some admin changes. For tests; the benchmark's million come from bench/seed-log.ts.
 */
export function seedEvents(db: Db, options: { count: number; end: number; spanMs: number; apiUsers?: number }): void {
  const users = options.apiUsers ?? 5;
  const start = options.end - options.spanMs;
  db.transaction(() => {
    for (let n = 0; n < options.count; n++) {
      insertAuditEventOnDb(db, eventFor(n, start + Math.floor((options.spanMs * n) / options.count), users));
    }
  })();
}

const REASONS = ['wrong_secret', 'ip_not_allowed', 'secret_expired'];

function eventFor(n: number, at: number, users: number): NewAuditEvent {
  const user = (n % users) + 1;
  const clientId = `keyrack-integration-${user}`;
  const base = { at, targetUserId: user, targetName: `Integration ${user}`, sourceIp: `10.0.${n % 3}.${(n % 7) + 1}`, reason: null };
  switch (n % 10) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
      return { ...base, actorKind: 'api', actorId: user, actorName: clientId, type: 'token.issued', outcome: 'success', details: { clientId } };
    case 6:
    case 7:
      return { ...base, actorKind: 'api', actorId: user, actorName: clientId, type: 'token.denied', outcome: 'failure', reason: REASONS[n % 3]!, details: { clientId } };
    case 8:
      return { at, actorKind: 'person', actorId: null, actorName: n % 20 === 8 ? 'alice' : 'mallory', type: 'auth.login', targetUserId: null, targetName: null,
        outcome: 'failure', reason: 'wrong_password', sourceIp: '192.168.1.9', details: { failures: 1 } };
    default:
      return { ...base, sourceIp: null, actorKind: 'person', actorId: 1, actorName: 'alice', type: 'user.updated', outcome: 'success', details: { note: 'seeded' } };
  }
}

/**
 * What the retention tests start from: a store with an administrator, `count` events spread over the
 * `days` after its setup event, and the retention service over it. The clock is left at the setup; each
 * test sets "now" where its story needs it.
 */
export async function storeWithHistory(options: { count: number; days: number }): Promise<{
  core: TestCore;
  admin: Actor;
  retention: RetentionService;
  /** When the store was set up: the log runs from here to t0 + days. */
  t0: number;
}> {
  const { core, admin } = await coreWithAdmin();
  const t0 = core.clock.now();
  seedEvents(core.db, { count: options.count, end: t0 + options.days * DAY_MS, spanMs: options.days * DAY_MS });
  return { core, admin, retention: new RetentionService(core.deps, core.dataDir), t0 };
}

const DAY_MS = 86_400_000;

/**
 * seedEvents through the Store port, in one transaction: the same events with the same chain, on either
 * engine (insertAuditEvent, the services' append). For the suites that run on both engines.
 */
export async function seedEventsOn(store: Store, options: { count: number; end: number; spanMs: number; apiUsers?: number }): Promise<void> {
  const users = options.apiUsers ?? 5;
  const start = options.end - options.spanMs;
  await store.transaction(async (tx) => {
    for (let n = 0; n < options.count; n++) {
      await insertAuditEvent(tx, eventFor(n, start + Math.floor((options.spanMs * n) / options.count), users), undefined);
    }
  });
}

/** Appends events through the Store port, one transaction for all (a suite's fixtures on either engine). */
export async function appendEvents(store: Store, events: readonly NewAuditEvent[]): Promise<void> {
  await store.transaction(async (tx) => {
    for (const event of events) await insertAuditEvent(tx, event, undefined);
  });
}

/** storeWithHistory on either engine: the events through the Store port (seedEventsOn). */
export async function storeWithHistoryOn(engine: Engine, options: { count: number; days: number }): Promise<{
  core: EngineCore;
  admin: Actor;
  retention: RetentionService;
  t0: number;
}> {
  const { core, admin } = await engine.coreWithAdmin();
  const t0 = core.clock.now();
  await seedEventsOn(core.deps.store, { count: options.count, end: t0 + options.days * DAY_MS, spanMs: options.days * DAY_MS });
  return { core, admin, retention: new RetentionService(core.deps, core.dataDir), t0 };
}
