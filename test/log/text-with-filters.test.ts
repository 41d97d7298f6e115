import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { catchUpAuditIndex } from '../../electron/repos/audit-index.repo.js';
import { searchAuditEvents, type AuditQuery } from '../../electron/repos/audit-search.repo.js';
import { insertAuditEventOnDb } from '../../electron/repos/audit.repo.js';
import { makeCore, type TestCore } from '../support/core.js';
import { seedEvents } from './seed-events.js';

/**
 * Free text with filters is one FTS5 query over the index's `text` and `filters` columns. Its answer must
 * be exactly what the filters' own indexes and the text alone give: the rows matching every filter (plain
 * SQL on audit_events) whose id is among the text-only matches, newest first.
 */
let core: TestCore;
const DAY = 86_400_000;
beforeAll(() => {
  core = makeCore();
  seedEvents(core.db, { count: 2_000, end: core.clock.now(), spanMs: 30 * DAY, apiUsers: 6 });
  // Values with punctuation, case and non-ASCII text: each filter word must still be one word.
  insertAuditEventOnDb(core.db, {
    at: core.clock.now(), actorKind: 'person', actorId: null, actorName: 'Ève O\'Brien-Smith', type: 'auth.login', targetUserId: null,
    targetName: null, outcome: 'failure', reason: 'wrong_password', sourceIp: '2001:db8::7', details: { note: 'café' },
  });
  catchUpAuditIndex(core.db);
});
afterAll(() => core.cleanup());

function expected(q: AuditQuery): number[] {
  const textOnly = new Set(searchAuditEvents(core.db, { text: q.text, limit: 1_000_000 }).rows.map((e) => e.id));
  const conditions: [string, string, unknown][] = [
    ['actor_name = @actor COLLATE NOCASE', 'actor', q.actor],
    ['target_user_id = @user', 'user', q.targetUserId],
    ['type = @type', 'type', q.type],
    ['outcome = @outcome', 'outcome', q.outcome],
    ['source_ip = @ip', 'ip', q.sourceIp],
  ];
  const given = conditions.filter(([, , value]) => value !== undefined);
  const where = given.map(([sql]) => sql);
  const params = Object.fromEntries(given.map(([, name, value]) => [name, value]));
  const sql = `SELECT id FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC`;
  return (core.db.prepare(sql).all(params) as { id: number }[]).map((r) => r.id).filter((id) => textOnly.has(id)).slice(0, q.limit);
}

test('any text with any filters: exactly the rows of the filters among the text’s matches, newest first', () => {
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
  const events = core.db
    .prepare('SELECT actor_name, target_user_id, type, outcome, source_ip, reason FROM audit_events')
    .all() as { actor_name: string; target_user_id: number | null; type: string; outcome: string; source_ip: string | null; reason: string | null }[];
  const fromEvent = fc
    .record({ event: fc.constantFrom(...events), keys: fc.subarray(['actor', 'targetUserId', 'type', 'outcome', 'sourceIp'] as const), word: fc.nat() })
    .map(({ event, keys, word }) => {
      const words = `${event.actor_name} ${event.type} ${event.reason ?? ''}`.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 3);
      const values = { actor: event.actor_name, targetUserId: event.target_user_id ?? undefined, type: event.type, outcome: event.outcome, sourceIp: event.source_ip ?? undefined };
      return { text: words[word % words.length]!, ...Object.fromEntries(keys.map((k) => [k, values[k]]).filter(([, v]) => v !== undefined)) };
    });
  const query = fc.oneof(random, fromEvent);
  let withMatches = 0;
  fc.assert(
    fc.property(query, fc.integer({ min: 1, max: 60 }), (filters, limit) => {
      const q = { ...filters, limit } as AuditQuery;
      const want = expected(q);
      if (want.length > 0) withMatches++;
      expect(searchAuditEvents(core.db, q).rows.map((e) => e.id)).toEqual(want);
    }),
    { numRuns: 300 },
  );
  // Not a property of empty answers: many of the queries find something (measured: about half).
  expect(withMatches).toBeGreaterThanOrEqual(100);
});

test('a filter value that is a prefix of another matches only itself (user 1 is not user 10)', () => {
  insertAuditEventOnDb(core.db, { ...base(10), details: { note: 'tenth' } });
  catchUpAuditIndex(core.db);
  expect(searchAuditEvents(core.db, { text: 'tenth', targetUserId: 1, limit: 10 }).rows).toEqual([]);
  expect(searchAuditEvents(core.db, { text: 'tenth', targetUserId: 10, limit: 10 }).rows).toHaveLength(1);
});

function base(user: number) {
  return {
    at: core.clock.now(), actorKind: 'api' as const, actorId: user, actorName: `keyrack-integration-${user}`, type: 'token.issued' as const,
    targetUserId: user, targetName: `Integration ${user}`, outcome: 'success' as const, reason: null, sourceIp: '10.0.0.1',
  };
}
