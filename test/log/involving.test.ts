import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { buildAuditQuery, countAuditEventsOn } from '../../electron/repos/audit-search.repo.js';
import type { Actor } from '../../electron/services/context.js';
import { parseInputOf } from '../../shared/contract.js';
import { logExportInput } from '../../shared/log.schemas.js';
import { keyrack } from '../support/cli.js';
import { describeEngines, type EngineCore } from '../support/engines.js';
import { appendEvents } from './seed-events.js';

describeEngines((engine) => {
  let core: EngineCore;
  let admin: Actor;
  let crm: number;
  beforeEach(async () => {
    ({ core, admin } = await engine.coreWithAdmin());
    crm = (await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'CRM Sync' }))).user.id;
    await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'ERP' }));
    // The API user's own token requests: actor and target are the API user (token-server/steps/record.ts).
    const token = (reason: string | null) =>
      appendEvents(core.deps.store, [{
        at: core.clock.now(),
        actorKind: 'api',
        actorId: crm,
        actorName: 'CRM Sync',
        type: reason ? 'token.denied' : 'token.issued',
        targetUserId: crm,
        targetName: 'CRM Sync',
        outcome: reason ? 'failure' : 'success',
        reason,
        sourceIp: '10.0.0.9',
        details: null,
      }]);
    await token(null);
    await token('wrong_secret');
    // An administrator's action on it, after which it is renamed: its history stays its own.
    await core.users.update(admin, { id: crm, name: 'crm-sync', description: 'Nightly import' });
    await core.users.setAllowlist(admin, { id: crm, entries: ['10.0.0.0/8'] });
  });
  afterEach(() => core.cleanup());

  const search = (q: Record<string, unknown>) => core.log.search(admin, { limit: 50, ...q });

  describe('log.search involving: everything done by or concerning one user (issue 13 item 4)', async () => {
    test('its own requests and the admin actions on it, newest first, by id (renames do not lose any)', async () => {
      const rows = (await search({ involving: crm })).rows;
      expect(rows.map((e) => e.type)).toEqual(['allowlist.changed', 'user.updated', 'token.denied', 'token.issued', 'secret.added', 'user.created']);
      // Narrowed by the other filters, and by free text (checked on each full-text match).
      expect((await search({ involving: crm, outcome: 'failure' })).rows.map((e) => e.reason)).toEqual(['wrong_secret']);
      expect((await search({ involving: crm, text: 'wrong_secret' })).rows.map((e) => e.type)).toEqual(['token.denied']);
      expect((await search({ involving: crm, text: 'alice' })).rows.map((e) => e.type)).not.toContain('token.issued');
      expect(await countAuditEventsOn(core.deps.store, { involving: crm })).toBe(6);
    });

    test('pages by keyset like every other filter', async () => {
      const first = await search({ involving: crm, limit: 4 });
      expect(first.rows).toHaveLength(4);
      const second = await search({ involving: crm, limit: 4, before: first.nextCursor! });
      expect([...first.rows, ...second.rows].map((e) => e.type)).toEqual((await search({ involving: crm })).rows.map((e) => e.type));
      expect(second.nextCursor).toBeNull();
    });

    test('"Concerning" alone (targetUserId) shows the admin actions on a user, not what the user did elsewhere', async () => {
      const alice = admin.kind === 'person' ? admin.userId : 0;
      const concerning = (await search({ targetUserId: alice })).rows.map((e) => e.type);
      expect(concerning).toEqual(['setup.completed']);
      const involving = (await search({ involving: alice })).rows.map((e) => e.type);
      expect(involving).toContain('user.created'); // alice created CRM Sync
      expect(involving).toContain('setup.completed');
    });

    test('the same filter for an export from the Log page and for `keyrack log --involving`', async () => {
      expect(logExportInput.safeParse({ format: 'csv', involving: crm }).success).toBe(true);
      const cli = await keyrack(core.dataDir, ['log', '--involving', 'keyrack-crm-sync', '--json'], '', { env: core.cliEnv });
      expect(cli.code, cli.stderr).toBe(0);
      expect((JSON.parse(cli.stdout) as { type: string }[]).map((e) => e.type)).toEqual(
        (await search({ involving: crm })).rows.map((e) => e.type),
      );
    });

    // SQLite's plan (PostgreSQL's is in query-plans.test.ts).
    test.skipIf(engine.name === 'postgres')('each side walks its own index newest first and the two are merged: no sort of every match', () => {
      const { sql, params } = buildAuditQuery(core.db, { involving: crm, limit: 50 });
      const plan = (core.db.prepare(`EXPLAIN QUERY PLAN ${sql!}`).all(params) as { detail: string }[]).map((r) => r.detail);
      expect(plan.join('\n')).toMatch(/USING INDEX audit_events_actor_id/);
      expect(plan.join('\n')).toMatch(/MERGE \(UNION\)/);
      expect(plan.filter((s) => s.includes('TEMP B-TREE'))).toEqual([]);
    });
  });
});
