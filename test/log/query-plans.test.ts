import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedEvents } from './seed-events.js';
import { buildAuditQuery, type AuditQuery } from '../../electron/repos/audit-search.repo.js';
import * as R from '../../electron/repos/overview.repo.js';
import { makeCore, type TestCore } from '../support/core.js';

/**
 * Every filter combination the log view offers, first page and next page, must be answered through an
 * index: no plan step reads audit_events (or the activity counts) from end to end, and none sorts the
 * matches (a temp B-tree would mean collecting every match before the first page). Plans do not depend on
 * the row count here (the store is not ANALYZEd), so a small store shows the plans of a big one.
 */
let core: TestCore;
beforeAll(() => {
  core = makeCore();
  seedEvents(core.db, { count: 3_000, end: core.clock.now(), spanMs: 365 * 86_400_000, apiUsers: 20 });
});
afterAll(() => core.cleanup());

const DAY = 86_400_000;
const FILTERS = {
  time: () => ({ since: core.clock.now() - 30 * DAY, until: core.clock.now() - DAY }),
  actor: () => ({ actor: 'alice' }),
  user: () => ({ targetUserId: 5 }),
  involving: () => ({ involving: 7 }),
  type: () => ({ type: 'token.denied' as const }),
  outcome: () => ({ outcome: 'failure' as const }),
  sourceIp: () => ({ sourceIp: '10.0.1.8' }),
  text: () => ({ text: 'wrong_secret' }),
};
const NAMES = Object.keys(FILTERS) as (keyof typeof FILTERS)[];
const combinations = Array.from({ length: 2 ** NAMES.length }, (_, mask) => NAMES.filter((_, i) => mask & (2 ** i)));

function plan(sql: string, params: Record<string, unknown>): string[] {
  return (core.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail);
}

/** A step that reads a whole table: SCAN without an index (virtual tables are searched by MATCH). */
const fullScan = (step: string) => /^SCAN \w+$/.test(step) || /^SCAN \w+ USING (COVERING )?INDEX/.test(step) && !/\(/.test(step);

describe.each(['newest', 'oldest'] as const)('log.search, %s first: every filter combination uses an index', (order) => {
  test.each(combinations.flatMap((names) => [[names.join(' + ') || 'no filter', names, false], [`${names.join(' + ') || 'no filter'}, next page`, names, true]] as const))(
    '%s',
    (_label, names, nextPage) => {
      // The next page's cursor is the bound on the side the walk goes to: older newest first, newer oldest first.
      const cursor = order === 'newest' ? { before: 2_000 } : { after: 1_000 };
      const query: AuditQuery = { limit: 50, order, ...(nextPage ? cursor : {}) };
      for (const name of names) Object.assign(query, FILTERS[name]());
      const { sql, params } = buildAuditQuery(core.db, query);
      expect(sql).not.toBeNull();
      const steps = plan(sql!, params);
      expect(steps.filter((s) => s.includes('TEMP B-TREE'))).toEqual([]);
      // Without any filter the first page is the table read newest first in rowid order, stopping at
      // the limit: the one plain SCAN that reads only what it returns.
      const allowed = names.length === 0 && !nextPage ? ['SCAN audit_events'] : [];
      expect(steps.filter((s) => fullScan(s) && !allowed.includes(s))).toEqual([]);
      if (names.includes('text')) expect(steps.some((s) => /VIRTUAL TABLE INDEX \d+:M/.test(s))).toBe(true);
    },
  );
});

describe('the overview reads index ranges only', () => {
  const now = () => core.clock.now();
  test('each overview query', async () => {
    const captured: string[] = [];
    const prepare = core.db.prepare.bind(core.db);
    // Record every statement the overview prepares, then explain each with its real parameters.
    const spy = (sql: string) => {
      captured.push(sql);
      return prepare(sql);
    };
    Object.assign(core.db, { prepare: spy });
    try {
      await R.expiringCredentials(core.deps.store, now(), now() + 14 * DAY);
      await R.denialsSince(core.deps.store, 1);
      await R.failedLoginsSince(core.deps.store, 1);
      await R.activitySince(core.deps.store, now() - 90 * DAY, DAY, null);
      await R.activitySince(core.deps.store, now() - 90 * DAY, 3_600_000, 5);
      await R.topApiUsersSince(core.deps.store, now() - 90 * DAY, 10);
      await R.firstEventIdAt(core.deps.store, now() - DAY);
    } finally {
      Object.assign(core.db, { prepare });
    }
    expect(captured).toHaveLength(7);
    const params: Record<string, unknown> = { from: 1, to: 2, since: 0, bucketMs: DAY, userId: 5 };
    for (const sql of captured) {
      const names = [...sql.matchAll(/@(\w+)/g)].map((m) => m[1]!);
      const positional = (sql.match(/\?/g) ?? []).length;
      const steps = positional
        ? (core.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array(positional).fill(1)) as { detail: string }[]).map((r) => r.detail)
        : plan(sql, Object.fromEntries(names.map((n) => [n, params[n]])));
      // The users table (hundreds of rows) may be scanned; the log and the activity counts never.
      expect({ sql, scans: steps.filter((s) => fullScan(s) && !/^SCAN (u|users)\b/.test(s)) }).toEqual({ sql, scans: [] });
    }
  });
});
