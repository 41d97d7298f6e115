import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { Actor } from '../../electron/services/context.js';
import { ARCHIVE_FOLDER } from '../../electron/services/log-archive.js';
import { RetentionService } from '../../electron/services/retention.js';
import { pruneIfDue, startDailyPrune } from '../../electron/shell/daily-prune.js';
import { storeWithHistory } from '../log/seed-events.js';
import type { TestCore } from '../support/core.js';
import { countRows } from '../support/fixtures.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
let core: TestCore;
let admin: Actor;
let retention: RetentionService;

beforeEach(async () => {
  let t0: number;
  // 40 days of log, an event every 2 hours; "now" is noon (local) on the day after it ends.
  ({ core, admin, retention, t0 } = await storeWithHistory({ count: 480, days: 40 }));
  const noon = new Date(t0 + 41 * DAY);
  noon.setHours(12, 0, 0, 0);
  core.clock.set(noon.getTime());
});
afterEach(() => core.cleanup());

const archives = () => readdirSync(join(core.dataDir, ARCHIVE_FOLDER)).filter((f) => f.endsWith('.jsonl.gz'));
const prunedEvents = async () => (await core.log.search(admin, { type: 'log.pruned', limit: 10 })).rows;

test('nothing is pruned while the log keeps everything', async () => {
  expect(await pruneIfDue(retention, core.clock.now())).toBeNull();
  expect(await prunedEvents()).toHaveLength(0);
});

test('prunes once a day: later looks the same day leave the log alone, the next day prunes again', async () => {
  await retention.set(admin, { keepDays: 10 });
  const first = await pruneIfDue(retention, core.clock.now());
  expect(first!.removed).toBeGreaterThan(0);
  expect((await prunedEvents())[0]).toMatchObject({ actorKind: 'system', details: { removed: first!.removed } });

  // Hours later the same day, events have aged past the cut-off, yet no second archive is written.
  core.clock.advance(6 * HOUR);
  expect((await retention.get(admin)).due!.events).toBeGreaterThan(0);
  expect(await pruneIfDue(retention, core.clock.now())).toBeNull();
  expect(archives()).toHaveLength(1);

  core.clock.advance(DAY);
  const next = await pruneIfDue(retention, core.clock.now());
  expect(next!.removed).toBeGreaterThan(0);
  expect(archives()).toHaveLength(2);
  expect((await core.log.verify(admin)).firstProblem).toBeNull();
});

test('a look that finds nothing old enough records nothing, so a later look that day still prunes', async () => {
  await retention.set(admin, { keepDays: 60 });
  expect(await pruneIfDue(retention, core.clock.now())).toMatchObject({ removed: 0 });
  await retention.set(admin, { keepDays: 10 });
  expect((await pruneIfDue(retention, core.clock.now()))!.removed).toBeGreaterThan(0);
});

test('the timer waits before its first look, then logs what it removed', async () => {
  await retention.set(admin, { keepDays: 10 });
  const logged: string[] = [];
  const running = startDailyPrune(core, (m) => logged.push(m), { firstDelayMs: 1_000, everyMs: 60_000 });
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await prunedEvents()).toHaveLength(0); // a tenth of the delay in: no look yet
  expect(existsSync(join(core.dataDir, ARCHIVE_FOLDER))).toBe(false); // not even an archive begun
  await expect.poll(() => logged.length, { timeout: 5_000 }).toBe(1);
  await running.stop();
  expect(logged[0]).toMatch(/^log retention: \d+ events archived and removed$/);
  expect(await prunedEvents()).toHaveLength(1);
});

test('stop waits for a prune in progress (the store must not close under it)', async () => {
  await retention.set(admin, { keepDays: 10 });
  const logged: string[] = [];
  const running = startDailyPrune(core, (m) => logged.push(m), { firstDelayMs: 0, everyMs: 60_000 });
  // Timers of the same delay run in order: the look has started, and is writing its archive.
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(logged).toHaveLength(0);
  await running.stop();
  expect(logged).toHaveLength(1);
  expect(await prunedEvents()).toHaveLength(1);
});

test('a prune that fails is logged, nothing is removed, and the app goes on', async () => {
  await retention.set(admin, { keepDays: 10 });
  // A file where the archive folder should be: the archive cannot be written, so nothing may be removed.
  writeFileSync(join(core.dataDir, ARCHIVE_FOLDER), 'not a folder');
  const oldest = () => (core.db.prepare('SELECT min(id) AS id FROM audit_events').get() as { id: number }).id;
  const before = { count: countRows(core, 'audit_events'), oldest: oldest() };
  const logged: string[] = [];
  const running = startDailyPrune(core, (m) => logged.push(m), { firstDelayMs: 0, everyMs: 60_000 });
  await expect.poll(() => logged.length, { timeout: 5_000 }).toBe(1);
  await running.stop();
  expect(logged[0]).toMatch(/^log retention: the prune did not run: /);
  expect(await prunedEvents()).toHaveLength(0);
  // Reading the log above logged those reads; nothing was taken away.
  expect(oldest()).toBe(before.oldest);
  expect(countRows(core, 'audit_events')).toBeGreaterThanOrEqual(before.count);
  expect((await core.log.verify(admin)).firstProblem).toBeNull();
});
