import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { storeWithHistoryOn } from './seed-events.js';
import type { Actor } from '../../electron/services/context.js';
import { ARCHIVE_FOLDER } from '../../electron/services/log-archive.js';
import { RetentionService } from '../../electron/services/retention.js';
import { describeEngines, type EngineCore } from '../support/engines.js';

const DAY = 86_400_000;

describeEngines((engine) => {
  let core: EngineCore;
  let admin: Actor;
  let retention: RetentionService;

  beforeEach(async () => {
    let t0: number;
    ({ core, admin, retention, t0 } = await storeWithHistoryOn(engine, { count: 300, days: 60 }));
    core.clock.set(t0 + 60 * DAY + 3_600_000);
  });
  afterEach(() => core.cleanup());

  const olderThan = async (at: number) => Number((await core.deps.store.get<{ n: number }>('SELECT count(*) AS n FROM audit_events WHERE at < ?', [at]))!.n);

  /** What the retention panel shows before the admin prunes: where archives go and what a prune would take. */
  describe('retention settings for the UI', () => {
    test('name the archive folder, and nothing is due while the log keeps everything', async () => {
      const settings = await retention.get(admin);
      expect(settings.archiveFolder).toBe(join(core.dataDir, ARCHIVE_FOLDER));
      expect(settings.due).toBeNull();
    });

    test('count the events older than the period exactly as the prune then removes them', async () => {
      const settings = await retention.set(admin, { keepDays: 20 });
      const before = core.clock.now() - 20 * DAY;
      const expected = await olderThan(before);
      expect(expected).toBeGreaterThan(150);
      expect(settings.due).toEqual({ before, events: expected });
      expect((await retention.get(admin)).due).toEqual({ before, events: expected });

      const result = await retention.prune(admin);
      expect(result.removed).toBe(expected);
      // Right after the prune nothing is old enough; the prune's own event is recent.
      expect((await retention.get(admin)).due).toEqual({ before, events: 0 });
    });

    test('count from the first event still in the log after an earlier prune', async () => {
      await retention.set(admin, { keepDays: 40 });
      const first = await retention.prune(admin);
      expect(first.removed).toBeGreaterThan(0);
      core.clock.advance(10 * DAY);
      const due = (await retention.get(admin)).due!;
      expect(due.events).toBe(await olderThan(due.before));
      expect(due.events).toBeGreaterThan(0);
      expect((await retention.prune(admin)).removed).toBe(due.events);
    });

    test('nothing is due when no event is older than the period', async () => {
      expect((await retention.set(admin, { keepDays: 36_500 })).due).toMatchObject({ events: 0 });
    });
  });
});
