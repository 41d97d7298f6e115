import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedEvents, seedEventsOn } from './seed-events.js';
import { bringAuditIndexUpToDate } from '../../electron/repos/audit-index.repo.js';
import { buildAuditQuery, buildAuditQueryOn, type AuditQuery } from '../../electron/repos/audit-search.repo.js';
import * as R from '../../electron/repos/overview.repo.js';
import type { Queryable, SqlValue } from '../../electron/db/store.js';
import { makeCore, type TestCore } from '../support/core.js';
import { postgresEngine, type EngineCore } from '../support/engines.js';
import { describePostgres } from '../support/postgres.js';

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
      await R.idleApiUsers(core.deps.store, now() - 30 * DAY);
    } finally {
      Object.assign(core.db, { prepare });
    }
    expect(captured).toHaveLength(8);
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
    // Idle API users (one text for both engines): the active API users by index, each one's credential and secrets by user.
    const idle = captured[7]!;
    const idleSteps = (core.db.prepare(`EXPLAIN QUERY PLAN ${idle}`).all(1, 1) as { detail: string }[]).map((r) => r.detail);
    expect(idleSteps.slice(0, 3)).toEqual([
      expect.stringMatching(/^SEARCH u USING INDEX users_kind_status \(kind=\? AND status=\?\)/),
      expect.stringMatching(/^SEARCH c USING INDEX sqlite_autoindex_credentials_\d+ \(user_id=\?\)/),
      expect.stringMatching(/^SEARCH s USING INDEX client_secrets_user \(user_id=\?\)/),
    ]);
    expect(idleSteps.filter((s) => s.includes('GROUP BY'))).toEqual([]);
  });
});

/**
 * PostgreSQL's branch (audit-search.repo.ts, overview.repo.ts): each filter is answered through its index,
 * free text (with any other filters, which are words of its `filters` document) through the GIN index over
 * audit_fts (audit_fts_words). A few thousand rows are a tiny table to PostgreSQL's planner, which would
 * rightly read it whole: the test connection sets enable_seqscan = off (in its transaction only) so that
 * the plan shows which index the query can use, as it would at a million events; a sequential scan still
 * shows when no index can answer, and that is what these tests refuse. The page asked for is larger than
 * the table: on a small table a page of 50 is found soonest by walking the primary key and checking each
 * row (what PostgreSQL rightly picks here, ANALYZEd), which would hide whether the filter's own index can
 * answer. For the same reason free text is explained with enable_indexscan = off too: walking audit_fts's
 * primary key and checking each of 3 000 documents costs less than a GIN lookup, at a million it does not.
 */
describePostgres('on PostgreSQL, every log filter and the overview use an index', () => {
  const engine = postgresEngine();
  let pg: EngineCore;
  beforeAll(async () => {
    pg = await engine.makeCore();
    await seedEventsOn(pg.deps.store, { count: 3_000, end: pg.clock.now(), spanMs: 365 * DAY, apiUsers: 20 });
    await bringAuditIndexUpToDate(pg.deps.store);
    await pg.deps.store.run('ANALYZE');
  }, 60_000);
  afterAll(() => pg.cleanup());

  interface PlanNode {
    'Node Type': string;
    'Relation Name'?: string;
    'Index Name'?: string;
    Plans?: PlanNode[];
  }
  const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

  async function pgPlan(sql: string, params: Record<string, unknown> | unknown[], freeText = false): Promise<PlanNode[]> {
    const rows = await pg.deps.store.transaction(async (tx: Queryable) => {
      await tx.run('SET LOCAL enable_seqscan = off');
      if (freeText) await tx.run('SET LOCAL enable_indexscan = off');
      return tx.all<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${sql}`, params as Record<string, SqlValue>);
    });
    return nodes(rows[0]!['QUERY PLAN'][0].Plan);
  }
  const indexes = (plan: PlanNode[]) => [...new Set(plan.map((n) => n['Index Name']).filter((n) => n !== undefined))].sort();
  const seqScans = (plan: PlanNode[]) => plan.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name']);

  // The index each filter alone is answered by.
  const EXPECTED: Record<keyof typeof FILTERS, RegExp> = {
    time: /^audit_events_pkey$/,
    actor: /^audit_events_actor/,
    user: /^audit_events_target/,
    involving: /^audit_events_(actor_id|target)/,
    type: /^audit_events_type/,
    outcome: /^audit_events_(outcome|type_outcome)$/,
    sourceIp: /^audit_events_source_ip$/,
    text: /^audit_fts_words$/,
  };
  const filtersAt = () => ({
    ...FILTERS,
    time: () => ({ since: pg.clock.now() - 30 * DAY, until: pg.clock.now() - DAY }),
  });

  test.each(['newest', 'oldest'] as const)('each filter alone, and free text with each filter, %s first', async (order) => {
    const now = filtersAt();
    for (const names of [...NAMES.map((n) => [n]), ...NAMES.filter((n) => n !== 'text').map((n) => ['text', n])]) {
      const query: AuditQuery = { limit: 10_000, order };
      for (const name of names) Object.assign(query, now[name as keyof typeof FILTERS]());
      const { sql, params } = await buildAuditQueryOn(pg.deps.store, query);
      const plan = await pgPlan(sql!, params, names.includes('text'));
      const label = names.join(' + ');
      expect({ label, seqScans: seqScans(plan) }).toEqual({ label, seqScans: [] });
      const used = indexes(plan);
      // With free text every filter but the time and "involving" is a word of the same tsquery. A time
      // range with it is an event_id range, which audit_fts's primary key answers as well: a month of a
      // year is the narrower of the two here, and PostgreSQL may take either.
      const wanted = names.includes('text') ? [names.includes('time') ? /^audit_fts_(words|pkey)$/ : EXPECTED.text] : names.map((n) => EXPECTED[n as keyof typeof FILTERS]);
      for (const pattern of wanted) expect(used.some((i) => pattern.test(i)), `${label}: ${used.join(', ')}`).toBe(true);
    }
  });

  test('free text with a filter is a bitmap scan of the GIN index over audit_fts', async () => {
    const { sql, params } = await buildAuditQueryOn(pg.deps.store, { text: 'wrong_secret iss', actor: 'alice', limit: 10_000 });
    const plan = await pgPlan(sql!, params, true);
    expect(plan.find((n) => n['Index Name'] === 'audit_fts_words')?.['Node Type']).toBe('Bitmap Index Scan');
  });

  test('each overview query', async () => {
    const now = pg.clock.now();
    const captured: { sql: string; params: unknown }[] = [];
    const store = pg.deps.store;
    const spy: Queryable = {
      dialect: 'postgres',
      get: (sql, params) => (captured.push({ sql, params }), store.get(sql, params)),
      all: (sql, params) => (captured.push({ sql, params }), store.all(sql, params)),
      run: (sql, params) => store.run(sql, params),
    };
    await R.expiringCredentials(spy, now, now + 14 * DAY);
    await R.denialsSince(spy, 1);
    await R.failedLoginsSince(spy, 1);
    await R.activitySince(spy, now - 90 * DAY, DAY, null);
    await R.activitySince(spy, now - 90 * DAY, 3_600_000, 5);
    await R.topApiUsersSince(spy, now - 90 * DAY, 10);
    await R.firstEventIdAt(spy, now - DAY);
    await R.idleApiUsers(spy, now - 30 * DAY);
    expect(captured).toHaveLength(8);
    for (const { sql, params } of captured) {
      const plan = await pgPlan(sql, params as Record<string, unknown>);
      // The users and secrets tables (hundreds of rows) may be read whole; the log and its counts never.
      const scans = seqScans(plan).filter((r) => r !== 'users' && r !== 'client_secrets' && r !== 'credentials');
      expect({ sql, scans }).toEqual({ sql, scans: [] });
    }
    // The attention lists walk the (type, …, id) indexes of the log.
    const denials = await pgPlan(captured[1]!.sql, captured[1]!.params as Record<string, unknown>);
    expect(indexes(denials).some((i) => i.startsWith('audit_events_type'))).toBe(true);
    // Idle API users: each one's credential and secrets through their user_id indexes.
    const idle = await pgPlan(captured[7]!.sql, captured[7]!.params as unknown[]);
    expect(indexes(idle)).toEqual(expect.arrayContaining(['client_secrets_user', 'credentials_user_id_key']));
  });
});
