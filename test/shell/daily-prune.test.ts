import { readdirSync, writeFileSync } from 'node:fs';
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
const prunedEvents = () => core.log.search(admin, { type: 'log.pruned', limit: 10 }).rows;

test('nothing is pruned while the log keeps everything', async () => {
  expect(await pruneIfDue(retention, core.clock.now())).toBeNull();
  expect(prunedEvents()).toHaveLength(0);
});

test('prunes once a day: later looks the same day leave the log alone, the next day prunes again', async () => {
  retention.set(admin, { keepDays: 10 });
  const first = await pruneIfDue(retention, core.clock.now());
  expect(first!.removed).toBeGreaterThan(0);
  expect(prunedEvents()[0]).toMatchObject({ actorKind: 'system', details: { removed: first!.removed } });

  // Hours later the same day, events have aged past the cut-off, yet no second archive is written.
  core.clock.advance(6 * HOUR);
  expect(await pruneIfDue(retention, core.clock.now())).toBeNull();
  expect(archives()).toHaveLength(1);

  core.clock.advance(DAY);
  const next = await pruneIfDue(retention, core.clock.now());
  expect(next!.removed).toBeGreaterThan(0);
  expect(archives()).toHaveLength(2);
  expect(core.log.verify(admin).firstProblem).toBeNull();
});

test('a look that finds nothing old enough records nothing, so a later look that day still prunes', async () => {
  retention.set(admin, { keepDays: 60 });
  expect(await pruneIfDue(retention, core.clock.now())).toMatchObject({ removed: 0 });
  retention.set(admin, { keepDays: 10 });
  expect((await pruneIfDue(retention, core.clock.now()))!.removed).toBeGreaterThan(0);
});

test('the timer waits before its first look, logs what it removed, and stop waits for a prune in progress', async () => {
  retention.set(admin, { keepDays: 10 });
  const logged: string[] = [];
  const running = startDailyPrune(core, (m) => logged.push(m), { firstDelayMs: 20, everyMs: 60_000 });
  expect(prunedEvents()).toHaveLength(0);
  await expect.poll(() => logged.length, { timeout: 5_000 }).toBe(1);
  await running.stop();
  expect(logged[0]).toMatch(/^log retention: \d+ events archived and removed$/);
  expect(prunedEvents()).toHaveLength(1);
});

test('a prune that fails is logged, nothing is removed, and the app goes on', async () => {
  retention.set(admin, { keepDays: 10 });
  // A file where the archive folder should be: the archive cannot be written, so nothing may be removed.
  writeFileSync(join(core.dataDir, ARCHIVE_FOLDER), 'not a folder');
  const before = countRows(core, 'audit_events');
  const logged: string[] = [];
  const running = startDailyPrune(core, (m) => logged.push(m), { firstDelayMs: 0, everyMs: 60_000 });
  await expect.poll(() => logged.length, { timeout: 5_000 }).toBe(1);
  await running.stop();
  expect(logged[0]).toMatch(/^log retention: the prune did not run: /);
  expect(prunedEvents()).toHaveLength(0);
  // Reading the log above logged those reads; nothing was taken away.
  expect(countRows(core, 'audit_events')).toBeGreaterThanOrEqual(before);
  expect(core.log.verify(admin).firstProblem).toBeNull();
});
