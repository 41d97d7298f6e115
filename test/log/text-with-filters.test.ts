import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { bringAuditIndexUpToDate } from '../../electron/repos/audit-index.repo.js';
import { findAuditEvents, type AuditQuery } from '../../electron/repos/audit-search.repo.js';
import { describeEngines, type EngineCore } from '../support/engines.js';
import { appendEvents, seedEventsOn } from './seed-events.js';

/**
 * Free text with filters is one full-text query over the index's `text` and `filters` columns (FTS5 on
 * SQLite, two tsqueries over audit_fts on PostgreSQL). Its answer must be exactly what the filters and the
 * text alone give: the rows matching every filter (checked here in plain code over every event) whose id is
 * among the text-only matches, newest first. On both engines.
 *
 * The actor compares case-insensitively in ASCII only, as SQLite's NOCASE and the index's filter word do on
 * both engines (without free text PostgreSQL's lower() folds all of Unicode: docs/scale-out.md).
 */
const DAY = 86_400_000;

interface EventFacts {
  id: number;
  actor_name: string;
  target_user_id: number | null;
  type: string;
  outcome: string;
  source_ip: string | null;
  reason: string | null;
}

const asciiLower = (s: string) => s.replace(/[A-Z]+/g, (c) => c.toLowerCase());

describeEngines((engine) => {
  let core: EngineCore;
  let events: EventFacts[];
  beforeAll(async () => {
    core = await engine.makeCore();
    await seedEventsOn(core.deps.store, { count: 2_000, end: core.clock.now(), spanMs: 30 * DAY, apiUsers: 6 });
    // Values with punctuation, case and non-ASCII text: each filter word must still be one word.
    await appendEvents(core.deps.store, [{
      at: core.clock.now(), actorKind: 'person', actorId: null, actorName: 'Ève O\'Brien-Smith', type: 'auth.login', targetUserId: null,
      targetName: null, outcome: 'failure', reason: 'wrong_password', sourceIp: '2001:db8::7', details: { note: 'café' },
    }]);
    await bringAuditIndexUpToDate(core.deps.store);
    events = await core.deps.store.all<EventFacts>('SELECT id, actor_name, target_user_id, type, outcome, source_ip, reason FROM audit_events ORDER BY id DESC');
  }, 60_000);
  afterAll(() => core.cleanup());

  async function expected(q: AuditQuery): Promise<number[]> {
    const textOnly = new Set((await findAuditEvents(core.deps.store, { text: q.text, limit: 1_000_000 })).rows.map((e) => e.id));
    return events
      .filter((e) =>
        (q.actor === undefined || asciiLower(e.actor_name) === asciiLower(q.actor)) &&
        (q.targetUserId === undefined || e.target_user_id === q.targetUserId) &&
        (q.type === undefined || e.type === q.type) &&
        (q.outcome === undefined || e.outcome === q.outcome) &&
        (q.sourceIp === undefined || e.source_ip === q.sourceIp))
      .map((e) => e.id)
      .filter((id) => textOnly.has(id))
      .slice(0, q.limit);
  }

  test('any text with any filters: exactly the rows of the filters among the text’s matches, newest first', async () => {
    const random = fc.record(
      {
        text: fc.constantFrom('wrong', 'secret', 'integration', 'keyrack-integration-3', '10.0.1', 'seeded', 'denied', 'café', 'brien', 'zzz'),
        actor: fc.constantFrom('alice', 'ALICE', 'mallory', 'keyrack-integration-2', 'ève o\'brien-smith', 'nobody'),
        targetUserId: fc.integer({ min: 1, max: 7 }),
        type: fc.constantFrom('token.issued', 'token.denied', 'auth.login', 'user.updated'),
        outcome: fc.constantFrom('success', 'failure'),
        sourceIp: fc.constantFrom('10.0.1.2', '10.0.2.6', '192.168.1.9', '2001:db8::7'),
      },
      { requiredKeys: ['text'] },
    );
    // Random values rarely meet in one event: also ask for the values of a real event, a random subset of its
    // filters with a word of its own text, so most of these queries have an answer to get right.
    const fromEvent = fc
      .record({ event: fc.constantFrom(...events), keys: fc.subarray(['actor', 'targetUserId', 'type', 'outcome', 'sourceIp'] as const), word: fc.nat() })
      .map(({ event, keys, word }) => {
        const words = `${event.actor_name} ${event.type} ${event.reason ?? ''}`.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 3);
        const values = { actor: event.actor_name, targetUserId: event.target_user_id ?? undefined, type: event.type, outcome: event.outcome, sourceIp: event.source_ip ?? undefined };
        return { text: words[word % words.length]!, ...Object.fromEntries(keys.map((k) => [k, values[k]]).filter(([, v]) => v !== undefined)) };
      });
    const query = fc.oneof(random, fromEvent);
    let withMatches = 0;
    await fc.assert(
      fc.asyncProperty(query, fc.integer({ min: 1, max: 60 }), async (filters, limit) => {
        const q = { ...filters, limit } as AuditQuery;
        const want = await expected(q);
        if (want.length > 0) withMatches++;
        expect((await findAuditEvents(core.deps.store, q)).rows.map((e) => e.id)).toEqual(want);
      }),
      { numRuns: 300 },
    );
    // Not a property of empty answers: many of the queries find something (measured: about half).
    expect(withMatches).toBeGreaterThanOrEqual(100);
  }, 120_000);

  test('a filter value that is a prefix of another matches only itself (user 1 is not user 10)', async () => {
    await appendEvents(core.deps.store, [{ ...base(10), details: { note: 'tenth' } }]);
    await bringAuditIndexUpToDate(core.deps.store);
    expect((await findAuditEvents(core.deps.store, { text: 'tenth', targetUserId: 1, limit: 10 })).rows).toEqual([]);
    expect((await findAuditEvents(core.deps.store, { text: 'tenth', targetUserId: 10, limit: 10 })).rows).toHaveLength(1);
  });

  function base(user: number) {
    return {
      at: core.clock.now(), actorKind: 'api' as const, actorId: user, actorName: `keyrack-integration-${user}`, type: 'token.issued' as const,
      targetUserId: user, targetName: `Integration ${user}`, outcome: 'success' as const, reason: null, sourceIp: '10.0.0.1',
    };
  }
});
