import type { PruneResult } from '../../shared/log.dto.js';
import type { Core } from '../core.js';
import { systemActor } from '../services/context.js';
import { localDay } from '../services/expiry-notifier.js';
import { RetentionService } from '../services/retention.js';
import type { BackgroundService } from './background-services.js';

/** The first look waits this long after the start, so a large prune never competes with the first screen. */
export const FIRST_PRUNE_DELAY_MS = 5 * 60_000;
/** How often the app looks again (the day changes while it runs). */
export const PRUNE_CHECK_EVERY_MS = 60 * 60_000;

/**
 * The daily prune of the retention setting (RetentionService): at most one prune that removes events per
 * local calendar day, so the archive folder gains one file a day, not one an hour. A look that finds
 * nothing old enough records nothing, and the next look (an hour later) tries again. Returns what the
 * prune did, or null when no prune was due (no period set, or one already removed events today).
 */
export async function pruneIfDue(retention: RetentionService, now: number): Promise<PruneResult | null> {
  const { keepDays, lastPrune } = await retention.get(systemActor);
  if (keepDays === null) return null;
  if (lastPrune !== null && lastPrune.removed > 0 && localDay(lastPrune.at) === localDay(now)) return null;
  return retention.prune(systemActor);
}

export interface DailyPruneTiming {
  firstDelayMs: number;
  everyMs: number;
}

/** Runs pruneIfDue on a timer for as long as the app runs; a failure is logged and the next look tries again. */
export function startDailyPrune(
  core: Core,
  log: (message: string) => void,
  timing: DailyPruneTiming = { firstDelayMs: FIRST_PRUNE_DELAY_MS, everyMs: PRUNE_CHECK_EVERY_MS },
): { stop(): Promise<void> } {
  const retention = new RetentionService(core.deps, core.dataDir);
  let running: Promise<void> | null = null;
  let stopped = false;
  const look = () => {
    // One at a time: a prune of a large backlog may outlast the interval.
    if (stopped || running) return;
    running = pruneIfDue(retention, core.deps.clock.now())
      .then(
        (result) => {
          if (result && result.removed > 0) log(`log retention: ${result.removed} events archived and removed`);
        },
        (error: unknown) => log(`log retention: the prune did not run: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => (running = null));
  };
  let interval: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    look();
    interval = setInterval(look, timing.everyMs);
    interval.unref();
  }, timing.firstDelayMs);
  first.unref();
  return {
    // Waits for a prune in progress: the store must not close under its transaction.
    stop: async () => {
      stopped = true;
      clearTimeout(first);
      if (interval) clearInterval(interval);
      await running;
    },
  };
}

/** The daily prune as one of the desktop's background services. */
export function dailyPruneService(timing?: DailyPruneTiming): BackgroundService {
  return {
    name: 'log retention',
    start(context) {
      return Promise.resolve(startDailyPrune(context.core, context.log, timing));
    },
  };
}
