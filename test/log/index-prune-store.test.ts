import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { migrate } from '../../electron/db/migrate.js';
import { migrations } from '../../electron/db/migrations/index.js';
import { migratePostgres } from '../../electron/db/postgres-migrate.js';
import type { Store } from '../../electron/db/store.js';
import { postgresStore } from '../../electron/db/store-postgres.js';
import { sqliteStore } from '../../electron/db/store-sqlite.js';
import { bringAuditIndexUpToDate } from '../../electron/repos/audit-index.repo.js';
import {
  firstAuditEventId, insertAuditEvent, lastEventBefore, pruneAuditEventsThrough, readChainAnchor, verifyAuditChainInSteps, type NewAuditEvent,
} from '../../electron/repos/audit.repo.js';
import { describePostgres, postgresScratch } from '../support/postgres.js';

const HOUR = 3_600_000;
const T = 1_700_000_000_000 - (1_700_000_000_000 % (24 * HOUR));

const event = (at: number, type: 'token.issued' | 'token.denied', ip: string): NewAuditEvent => ({
  at, actorKind: 'api', actorId: null, actorName: 'keyrack-crm', type, targetUserId: null, targetName: 'CRM',
  outcome: type === 'token.issued' ? 'success' : 'failure', reason: type === 'token.denied' ? 'wrong_secret' : null,
  sourceIp: ip, details: { note: 'catch-up' },
});

/** The log's derived indexes caught up, and retention's prune chunk, through the Store port on both engines. */
function suite(open: () => Promise<Store>, close: () => Promise<void>): void {
  let store: Store;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(close);

  test('the catch-up counts every event once; the prune removes the oldest behind an anchor and the rest still verifies', async () => {
    const events = [event(T, 'token.issued', '10.0.0.1'), event(T + 1, 'token.denied', '10.0.0.2'), event(T + HOUR, 'token.issued', '10.0.0.3'), event(T + HOUR + 1, 'token.issued', '10.0.0.4')];
    for (const e of events) await insertAuditEvent(store, e, undefined);
    expect(await bringAuditIndexUpToDate(store)).toBe(4);
    expect(await bringAuditIndexUpToDate(store)).toBe(0);
    const hourly = await store.all<{ hour: number; issued: number; denied: number }>('SELECT hour, issued, denied FROM audit_activity ORDER BY hour');
    expect(hourly.map((r) => [Number(r.hour), Number(r.issued), Number(r.denied)])).toEqual([[T, 1, 1], [T + HOUR, 2, 0]]);
    const daily = await store.all<{ issued: number; denied: number }>('SELECT issued, denied FROM audit_activity_daily');
    expect(daily.map((r) => [Number(r.issued), Number(r.denied)])).toEqual([[3, 1]]);

    const last = (await lastEventBefore(store, T + HOUR))!;
    expect(last.id).toBe(2);
    await insertAuditEvent(store, event(T + 2 * HOUR, 'token.denied', '10.0.0.5'), undefined);
    expect(await store.transaction((tx) => pruneAuditEventsThrough(tx, last.id))).toBe(2);
    expect(await firstAuditEventId(store)).toBe(3);
    expect(await readChainAnchor(store)).toEqual({ id: 2, hash: last.hash });
    // The event appended after the last catch-up was counted before the prune.
    expect(Number((await store.get<{ n: number }>('SELECT sum(denied) AS n FROM audit_activity'))!.n)).toBe(2);
    if (store.dialect === 'postgres') {
      expect(Number((await store.get<{ n: number }>('SELECT count(*) AS n FROM audit_fts'))!.n)).toBe(3);
    }
    expect(await verifyAuditChainInSteps(store, undefined, undefined, 2)).toEqual({ checked: 3, firstProblem: null });
  });
}

describe('SQLite', () => {
  let db: Database.Database;
  suite(
    async () => {
      db = new Database(':memory:');
      db.pragma('foreign_keys = ON');
      migrate(db, migrations);
      return sqliteStore(db);
    },
    async () => {
      db.close();
    },
  );
});

describePostgres('PostgreSQL', () => {
  const scratch = postgresScratch();
  suite(
    async () => {
      const pool = await scratch.pool();
      await migratePostgres(pool, migrations);
      return postgresStore(pool);
    },
    async () => {},
  );
});
