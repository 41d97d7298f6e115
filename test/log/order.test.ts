import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Actor } from '../../electron/services/context.js';
import { parseInputOf } from '../../shared/contract.js';
import type { AuditEvent } from '../../shared/dto.js';
import { keyrack } from '../support/cli.js';
import type { TestCore } from '../support/core.js';
import { describeEngines, type EngineCore } from '../support/engines.js';
import { seedEventsOn } from './seed-events.js';

/**
 * The log sorts by time only, newest first (the default) or oldest first, in main: keyset pages in either
 * direction together list exactly the matching events, once each, in order. (The plans, that neither
 * order sorts the matches, are in query-plans.test.ts.) The service and `keyrack log` run on both engines.
 */
const DAY = 86_400_000;

/** Every page of a query, following nextCursor the way the Log page and the CLI do. */
async function walk(core: { log: TestCore['log'] }, admin: Actor, query: Record<string, unknown>, order: 'newest' | 'oldest'): Promise<AuditEvent[]> {
  const rows: AuditEvent[] = [];
  let cursor: number | null = null;
  for (let pages = 0; pages < 1_000; pages++) {
    const bound = cursor === null ? {} : order === 'oldest' ? { after: cursor } : { before: cursor };
    const page = await core.log.search(admin, parseInputOf('log.search', { ...query, ...bound, order, limit: 7 }));
    rows.push(...page.rows);
    if (page.nextCursor === null) return rows;
    cursor = page.nextCursor;
  }
  throw new Error('the cursor never ended');
}

const ids = (rows: AuditEvent[]) => rows.map((e) => e.id);

describeEngines((engine) => {
  let core: EngineCore;
  let admin: Actor;
  beforeEach(async () => {
    ({ core, admin } = await engine.coreWithAdmin());
    // After the setup's own events: times never go back in the log (the time range relies on it).
    await seedEventsOn(core.deps.store, { count: 300, end: core.clock.now() + DAY * 31, spanMs: 30 * DAY, apiUsers: 4 });
  });
  afterEach(() => core.cleanup());

  describe('log.search order', () => {
    test('newest first is the default', async () => {
      const page = await core.log.search(admin, parseInputOf('log.search', { limit: 5 }));
      const times = page.rows.map((e) => e.at);
      expect(times).toEqual([...times].sort((a, b) => b - a));
      expect(page.rows[0]!.id).toBeGreaterThan(page.rows[4]!.id);
    });

    test.each([
      ['no filter', {}],
      ['a filter', { type: 'token.denied' }],
      ['free text', { text: 'wrong_secret' }],
      ['free text and a filter', { text: 'integration', outcome: 'failure' }],
      ['involving one user', { involving: 2 }],
    ])('oldest first pages through the same events as newest first, reversed: %s', async (_label, query) => {
      const newest = await walk(core, admin, query, 'newest');
      const oldest = await walk(core, admin, query, 'oldest');
      expect(newest.length).toBeGreaterThan(7); // more than one page
      expect(ids(oldest)).toEqual(ids(newest).reverse());
      const times = oldest.map((e) => e.at);
      expect(times).toEqual([...times].sort((a, b) => a - b));
    });

    test('a day range keeps its bounds in both orders, with the cursor inside it', async () => {
      const since = core.clock.now() + 10 * DAY;
      const until = core.clock.now() + 15 * DAY;
      const oldest = await walk(core, admin, { since, until }, 'oldest');
      expect(oldest.length).toBeGreaterThan(7);
      expect(oldest.every((e) => e.at >= since && e.at <= until)).toBe(true);
      expect(ids(oldest)).toEqual(ids(await walk(core, admin, { since, until }, 'newest')).reverse());
    });

    test('an order the contract does not know is refused', () => {
      expect(() => parseInputOf('log.search', { order: 'name' })).toThrow();
    });
  });

  describe('keyrack log --order', () => {
    test('oldest first, with paging across the service page size, like the Log page', async () => {
      const cli = await keyrack(core.dataDir, ['log', '--order', 'oldest', '--type', 'token.issued', '--limit', '40', '--json'], '', { env: core.cliEnv });
      expect(cli.code, cli.stderr).toBe(0);
      const rows = JSON.parse(cli.stdout) as AuditEvent[];
      expect(ids(rows)).toEqual(ids(await walk(core, admin, { type: 'token.issued' }, 'oldest')).slice(0, 40));
      const newest = JSON.parse((await keyrack(core.dataDir, ['log', '--type', 'token.issued', '--limit', '40', '--json'], '', { env: core.cliEnv })).stdout) as AuditEvent[];
      expect(ids(newest)).toEqual(ids(await walk(core, admin, { type: 'token.issued' }, 'newest')).slice(0, 40));
    });

    test('a wrong order is a usage error naming the option', async () => {
      const cli = await keyrack(core.dataDir, ['log', '--order', 'sideways'], '', { env: core.cliEnv });
      expect(cli.code).toBe(2);
      expect(cli.stderr).toMatch(/order/i);
    });
  });
});
