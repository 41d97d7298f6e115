import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { migrate } from '../../electron/db/migrate.js';
import { migrations } from '../../electron/db/migrations/index.js';
import { openDatabase } from '../../electron/db/open.js';
import { auditIndexLag, catchUpAuditIndex } from '../../electron/repos/audit-index.repo.js';
import { searchAuditEvents } from '../../electron/repos/audit-search.repo.js';
import { appendAuditEvents, insertAuditEventOnDb, pruneAuditEventsThrough, type NewAuditEvent } from '../../electron/repos/audit.repo.js';
import { FAILURE_REPORT_INTERVAL_MS, IndexFollower, type FollowedIndex, type IndexFollowerTuning } from '../../electron/token-server/index-follower.js';
import { exportAuditLog } from '../../electron/services/log-export.js';
import { snapshotInfoReader } from '../../electron/ranges/store.js';
import { OverviewService } from '../../electron/services/overview.service.js';
import { coreWithAdmin, makeCore, tempDir, type TestCore } from '../support/core.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T = Date.UTC(2026, 0, 15, 9, 30);

const tokenEvent = (at: number, user: number | null, issued: boolean, ip = '10.0.0.1'): NewAuditEvent => ({
  at,
  actorKind: 'api',
  actorId: user,
  actorName: user === null ? 'keyrack-unknown' : `keyrack-user-${user}`,
  type: issued ? 'token.issued' : 'token.denied',
  targetUserId: user,
  targetName: user === null ? null : `User ${user}`,
  outcome: issued ? 'success' : 'failure',
  reason: issued ? null : 'wrong_secret',
  sourceIp: ip,
  details: { jti: `jti-${at}-${user}` },
});

type Counts = { bucket: number; user_id: number; issued: number; denied: number }[];
const hourly = (db: Database.Database) =>
  db.prepare('SELECT hour AS bucket, user_id, issued, denied FROM audit_activity ORDER BY 1, 2').all() as Counts;
const daily = (db: Database.Database) =>
  db.prepare('SELECT day AS bucket, user_id, issued, denied FROM audit_activity_daily ORDER BY 1, 2').all() as Counts;
/** The counts recomputed from the events themselves: what the indexes must equal once caught up. */
const expected = (db: Database.Database, unit: number) =>
  db
    .prepare(
      `SELECT at / ${unit} * ${unit} AS bucket, coalesce(target_user_id, 0) AS user_id,
              sum(type = 'token.issued') AS issued, sum(type = 'token.denied') AS denied
         FROM audit_events WHERE type IN ('token.issued', 'token.denied') GROUP BY 1, 2 ORDER BY 1, 2`,
    )
    .all() as Counts;
/** Events appended as the token server's batches are, in one transaction (seeded on the connection). */
const appendTokenEvents = (db: Database.Database, events: readonly NewAuditEvent[]) => db.transaction(() => appendAuditEvents(db, events)).immediate();
/** The follower over the connection's catch-up (the store's is the same SQL: audit-index.repo.ts). */
const indexOf = (db: Database.Database): FollowedIndex => ({
  lag: () => Promise.resolve(auditIndexLag(db)),
  catchUp: (maxEvents) => Promise.resolve(catchUpAuditIndex(db, maxEvents)),
});
const textSearch = (db: Database.Database, text: string) => searchAuditEvents(db, { text, limit: 100 }).rows.map((e) => e.id);

let core: TestCore;
beforeEach(() => {
  core = makeCore();
});
afterEach(() => core.close());

describe('the log’s derived indexes follow the log from a high-water mark', () => {
  test('an appended event is in the log at once, and in the search index and counts after a catch-up', () => {
    appendTokenEvents(core.db, [tokenEvent(T, 7, true, '10.9.8.7'), tokenEvent(T + 1, 7, false)]);
    expect(auditIndexLag(core.db)).toBe(2);
    expect(textSearch(core.db, '10.9.8.7')).toEqual([]);
    expect(hourly(core.db)).toEqual([]);

    expect(catchUpAuditIndex(core.db)).toBe(2);
    expect(auditIndexLag(core.db)).toBe(0);
    expect(textSearch(core.db, '10.9.8.7')).toHaveLength(1);
    expect(hourly(core.db)).toEqual([{ bucket: T - (T % HOUR), user_id: 7, issued: 1, denied: 1 }]);
    expect(catchUpAuditIndex(core.db)).toBe(0);
  });

  test('counts caught up in chunks, across hours, days and unknown clients, equal the counts of the events', () => {
    const events: NewAuditEvent[] = [];
    for (let i = 0; i < 500; i++) events.push(tokenEvent(T + i * 7 * 60_000, i % 3 === 0 ? null : (i % 4) + 1, i % 5 !== 0));
    // Admin events in between: in the search index, never in the token counts.
    events.splice(100, 0, { ...tokenEvent(T + 100, null, true), type: 'user.created', actorKind: 'person', actorName: 'alice' });
    appendTokenEvents(core.db, events);
    let steps = 0;
    while (catchUpAuditIndex(core.db, 37) > 0) steps++;
    expect(steps).toBe(Math.ceil(501 / 37));
    expect(hourly(core.db)).toEqual(expected(core.db, HOUR));
    expect(daily(core.db)).toEqual(expected(core.db, DAY));
    expect(daily(core.db).find((r) => r.user_id === 0)?.denied).toBeGreaterThan(0);
    expect(textSearch(core.db, 'alice')).toHaveLength(1);
  });

  test('a catch-up that fails leaves the mark and the indexes as they were', () => {
    appendTokenEvents(core.db, [tokenEvent(T, 1, true)]);
    core.db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON audit_activity_daily BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    expect(() => catchUpAuditIndex(core.db)).toThrow('disk full');
    expect(auditIndexLag(core.db)).toBe(1);
    expect(hourly(core.db)).toEqual([]);
    expect(textSearch(core.db, 'keyrack-user-1')).toEqual([]);
    core.db.exec('DROP TRIGGER refuse');
    expect(catchUpAuditIndex(core.db)).toBe(1);
    expect(textSearch(core.db, 'keyrack-user-1')).toHaveLength(1);
  });

  test('pruning counts the events it removes first, and removes them from the search index', async () => {
    appendTokenEvents(core.db, [tokenEvent(T, 1, true, '10.1.1.1'), tokenEvent(T + 1, 1, true, '10.1.1.2')]);
    const first = core.db.prepare<[], { id: number; hash: Buffer }>('SELECT id, hash FROM audit_events ORDER BY id LIMIT 1').get()!;
    await core.deps.store.transaction((tx) => pruneAuditEventsThrough(tx, first.id));
    expect(auditIndexLag(core.db)).toBe(0);
    expect(hourly(core.db)[0]).toMatchObject({ issued: 2 });
    expect(textSearch(core.db, '10.1.1.1')).toEqual([]);
    expect(textSearch(core.db, '10.1.1.2')).toHaveLength(1);
  });

  test('the services read through a catch-up: free-text search, export and the overview see the newest event', async () => {
    const { core: c, admin } = await coreWithAdmin();
    try {
      appendTokenEvents(c.db, [tokenEvent(c.clock.now(), 1, false, '192.0.2.77')]);
      expect((await c.log.search(admin, { text: '192.0.2.77', limit: 10 })).rows).toHaveLength(1);
      appendTokenEvents(c.db, [tokenEvent(c.clock.now(), 1, false, '192.0.2.88')]);
      const exported = await exportAuditLog(c.deps, { text: '192.0.2.88' }, 'jsonl', new PassThrough().resume());
      expect(exported.written).toBe(1);
      appendTokenEvents(c.db, [tokenEvent(c.clock.now(), 1, true)]);
      const overview = await new OverviewService(c.deps, snapshotInfoReader(c.ranges)).get(admin, { range: '7d' });
      expect(overview.activity.points.reduce((n, p) => n + p.issued, 0)).toBe(1);
      expect(auditIndexLag(c.db)).toBe(0);
    } finally {
      c.close();
    }
  });
});

describe('migration 0080', () => {
  test('events indexed by the old triggers count as indexed; later ones are caught up', () => {
    const file = join(tempDir(), 'keyrack.db');
    const db = new Database(file);
    migrate(db, migrations.filter((m) => m.version < 80));
    insertAuditEventOnDb(db, tokenEvent(T, 3, true, '10.3.3.3'));
    expect(hourly(db)).toHaveLength(1); // the 0070 trigger counted it
    db.close();

    const migrated = openDatabase(file);
    try {
      expect(auditIndexLag(migrated)).toBe(0);
      expect(textSearch(migrated, '10.3.3.3')).toHaveLength(1);
      insertAuditEventOnDb(migrated, tokenEvent(T + 1, 3, true));
      expect(hourly(migrated)[0]!.issued).toBe(1); // no trigger any more
      catchUpAuditIndex(migrated);
      expect(hourly(migrated)).toEqual(expected(migrated, HOUR));
    } finally {
      migrated.close();
    }
  });
});

describe('migrations 0081 and 0082', () => {
  test('sets the search index to merge at 8 segments a level (0081) and never because of deletes (0082); what it indexed before is still found', () => {
    const file = join(tempDir(), 'keyrack.db');
    const db = new Database(file);
    migrate(db, migrations.filter((m) => m.version < 81));
    insertAuditEventOnDb(db, tokenEvent(T, 3, true, '10.8.1.1'));
    catchUpAuditIndex(db);
    const config = (d: Database.Database, k: string) => d.prepare(`SELECT v FROM audit_fts_config WHERE k = ?`).pluck().get(k);
    expect(config(db, 'automerge')).toBeUndefined(); // FTS5's default, 4
    expect(config(db, 'deletemerge')).toBeUndefined(); // FTS5's default, 10 (%)
    db.close();

    const migrated = openDatabase(file);
    try {
      expect(config(migrated, 'automerge')).toBe(8);
      expect(config(migrated, 'deletemerge')).toBe(0);
      expect(textSearch(migrated, '10.8.1.1')).toHaveLength(1);
    } finally {
      migrated.close();
    }
  });
});

describe('IndexFollower: indexes in the pauses of the appends', () => {
  const tuning: IndexFollowerTuning = { idleMs: 100, chunk: 10, maxLag: 50 };
  // Fake time for the follower's timers and its clock alike (Date.now, advanced with them).
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'Date'] }));
  afterEach(() => vi.useRealTimers());

  const follower = () => new IndexFollower(indexOf(core.db), tuning, () => Date.now());
  const append = (f: IndexFollower, n: number) => {
    appendTokenEvents(core.db, Array.from({ length: n }, (_, i) => tokenEvent(T + i, 1, true)));
    f.appended();
  };
  const runFor = (ms: number) => vi.advanceTimersByTimeAsync(ms);

  test('steady appends below the lag bound are not indexed; a pause indexes all of it', async () => {
    const f = follower();
    for (let i = 0; i < 8; i++) {
      append(f, 5);
      await runFor(60); // appends every 60 ms: never a 100 ms pause
    }
    expect(auditIndexLag(core.db)).toBe(40);
    await runFor(200); // a pause: the next tick indexes a chunk, and the rest follow, a chunk per setImmediate
    expect(auditIndexLag(core.db)).toBe(0);
  });

  test('under load, past the lag bound, chunks until half the bound is left', async () => {
    const f = follower();
    for (let i = 0; i < 9; i++) {
      append(f, 5);
      await runFor(50); // appends every 50 ms
    }
    expect(auditIndexLag(core.db)).toBe(45); // under the bound of 50: left for a pause
    append(f, 26);
    await runFor(50);
    f.appended();
    await runFor(50); // 71 behind at a tick: chunks of 10 while 25 or more are left
    expect(auditIndexLag(core.db)).toBe(21);
  });

  test('close indexes everything still behind; a failing catch-up never throws into the writer, and is reported once a minute', async () => {
    const reports: string[] = [];
    const f = new IndexFollower(indexOf(core.db), tuning, () => Date.now(), (message) => reports.push(message));
    core.db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON audit_activity BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    append(f, 3);
    await runFor(500); // the failure stays inside the follower: nothing rejects
    expect(auditIndexLag(core.db)).toBe(3);
    expect(reports).toEqual(['log index catch-up failed: disk full; retrying']);
    await runFor(FAILURE_REPORT_INTERVAL_MS);
    expect(reports).toHaveLength(2);
    expect(reports[1]).toMatch(/^log index catch-up failed \(\d+ failures since the last report\): disk full; retrying$/);
    core.db.exec('DROP TRIGGER refuse');
    await f.close();
    expect(auditIndexLag(core.db)).toBe(0);
  });
});
