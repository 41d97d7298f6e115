import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { NewAuditEvent } from '../../electron/repos/audit.repo.js';
import type { Actor } from '../../electron/services/context.js';
import { dueExpiryNotice, localDay, LAST_NOTICE_DAY_KEY, WARNING_DAYS_KEY } from '../../electron/services/expiry-notifier.js';
import { snapshotInfoReader } from '../../electron/ranges/store.js';
import { OverviewService } from '../../electron/services/overview.service.js';
import { expiryNotificationService, type ShowNotification } from '../../electron/shell/expiry-notification.js';
import { readSetting, writeSetting } from '../../electron/repos/settings.repo.js';
import { parseInputOf } from '../../shared/contract.js';
import { ForbiddenError } from '../../shared/errors.js';
import { keyrack } from '../support/cli.js';
import { describeEngines, type EngineCore } from '../support/engines.js';
import { appendEvents } from '../log/seed-events.js';
import { powerlessPerson } from '../support/fixtures.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describeEngines((engine) => {
  let core: EngineCore;
  let admin: Actor;
  let overview: OverviewService;
  let T1: number;
  let ids: Record<'old' | 'used' | 'erp' | 'crm' | 'gone', number>;

  /**
   * A store with known numbers. Everyone is created at T; "now" is T1 = T + 100 days. ERP's secret expires
   * in 3 days, CRM's account in 10 (its secret in 20), Gone's secret in 5 but Gone is disabled, Used has a
   * revoked secret expiring tomorrow. Old was never used (idle); the others were used an hour ago. The last
   * 24 hours: ERP 5 issued and 3 denied (wrong_secret, from two addresses), CRM 1 denied (ip_not_allowed),
   * an unknown client 2 denied, mallory 2 failed logins and alice 1; plus older events outside the window.
   */
  beforeEach(async () => {
    ({ core, admin } = await engine.coreWithAdmin());
    overview = new OverviewService(core.deps, snapshotInfoReader(core.ranges));
    const T = core.clock.now();
    T1 = T + 100 * DAY;
    const create = async (name: string, extra: Record<string, unknown> = {}) => (await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name, ...extra }))).user.id;
    ids = {
      old: await create('Old'),
      used: await create('Used'),
      erp: await create('ERP', { secretExpiresAt: T1 + 3 * DAY }),
      crm: await create('CRM', { expiresAt: T1 + 10 * DAY, secretExpiresAt: T1 + 20 * DAY }),
      gone: await create('Gone', { secretExpiresAt: T1 + 5 * DAY }),
    };
    await core.users.disable(admin, { id: ids.gone });
    const revoked = await core.secrets.add(admin, { userId: ids.used, label: 'spare', expiresAt: T1 + DAY });
    await core.secrets.revoke(admin, { userId: ids.used, secretId: revoked.info.id });
    await core.deps.store.run('UPDATE client_secrets SET last_used_at = ? WHERE user_id IN (?, ?, ?)', [T1 - HOUR, ids.used, ids.erp, ids.crm]);

    const api = (user: number, name: string) => ({ actorKind: 'api' as const, actorId: user, actorName: `keyrack-${name.toLowerCase()}`, targetUserId: user, targetName: name });
    const events: NewAuditEvent[] = [];
    const write = (at: number, event: Omit<NewAuditEvent, 'at' | 'details' | 'reason' | 'sourceIp'> & Partial<NewAuditEvent>) =>
      void events.push({ reason: null, sourceIp: null, details: null, ...event, at });
    // Older than a day: in the 7-day chart, not in the attention lists.
    write(T1 - 3 * DAY, { ...api(ids.erp, 'ERP'), type: 'token.denied', outcome: 'failure', reason: 'wrong_secret', sourceIp: '10.9.9.9' });
    write(T1 - 2 * DAY, { ...api(ids.erp, 'ERP'), type: 'token.issued', outcome: 'success' });
    write(T1 - 2 * DAY, { actorKind: 'person', actorId: null, actorName: 'mallory', type: 'auth.login', targetUserId: null, targetName: null, outcome: 'failure', reason: 'wrong_password', sourceIp: '192.168.1.50' });
    for (let i = 0; i < 5; i++) write(T1 - 10 * HOUR + i, { ...api(ids.erp, 'ERP'), type: 'token.issued', outcome: 'success', sourceIp: '10.0.0.1' });
    write(T1 - 5 * HOUR, { ...api(ids.erp, 'ERP'), type: 'token.denied', outcome: 'failure', reason: 'wrong_secret', sourceIp: '10.0.0.1' });
    write(T1 - 4 * HOUR, { ...api(ids.erp, 'ERP'), type: 'token.denied', outcome: 'failure', reason: 'wrong_secret', sourceIp: '10.0.0.2' });
    write(T1 - 3 * HOUR, { ...api(ids.erp, 'ERP'), type: 'token.denied', outcome: 'failure', reason: 'wrong_secret', sourceIp: '10.0.0.2' });
    write(T1 - 3 * HOUR, { ...api(ids.crm, 'CRM'), type: 'token.denied', outcome: 'failure', reason: 'ip_not_allowed', sourceIp: '203.0.113.7' });
    // Times never go back in the log (insertAuditEvent), so these are written in time order.
    for (let i = 0; i < 2; i++) {
      write(T1 - 2 * HOUR, { actorKind: 'api', actorId: null, actorName: 'keyrack-nobody', targetUserId: null, targetName: null, type: 'token.denied', outcome: 'failure', reason: 'unknown_client', sourceIp: '198.51.100.1' });
    }
    for (let i = 0; i < 2; i++) {
      write(T1 - HOUR, { actorKind: 'person', actorId: null, actorName: 'mallory', type: 'auth.login', targetUserId: null, targetName: null, outcome: 'failure', reason: 'unknown_user', sourceIp: '192.168.1.66' });
    }
    write(T1 - HOUR, { actorKind: 'person', actorId: 1, actorName: 'alice', type: 'auth.login', targetUserId: 1, targetName: 'alice', outcome: 'failure', reason: 'wrong_password', sourceIp: '127.0.0.1' });
    write(T1 - HOUR, { actorKind: 'person', actorId: 1, actorName: 'alice', type: 'auth.login', targetUserId: 1, targetName: 'alice', outcome: 'success', sourceIp: '127.0.0.1' });
    await appendEvents(core.deps.store, events);
    core.clock.set(T1);
  });
  afterEach(() => core.cleanup());

  describe('overview.get', async () => {
    test('what needs attention', async () => {
      const o = await overview.get(admin, parseInputOf('overview.get', {}));
      expect(o.generatedAt).toBe(T1);
      expect(o.expiring.map((c) => [c.userName, c.kind, c.daysLeft])).toEqual([
        ['ERP', 'secret', 3],
        ['CRM', 'user', 10],
      ]);
      expect(o.expiring[0]).toMatchObject({ userId: ids.erp, clientId: 'keyrack-erp', label: 'Initial secret', expiresAt: T1 + 3 * DAY });
      expect(o.idleApiUsers).toEqual([{ userId: ids.old, name: 'Old', clientId: 'keyrack-old', lastUsedAt: null, createdAt: T1 - 100 * DAY }]);
      expect(o.denials).toEqual([
        { userId: ids.erp, userName: 'ERP', reason: 'wrong_secret', count: 3, lastAt: T1 - 3 * HOUR, sourceIps: ['10.0.0.2', '10.0.0.1'] },
        { userId: null, userName: null, reason: 'unknown_client', count: 2, lastAt: T1 - 2 * HOUR, sourceIps: ['198.51.100.1'] },
        { userId: ids.crm, userName: 'CRM', reason: 'ip_not_allowed', count: 1, lastAt: T1 - 3 * HOUR, sourceIps: ['203.0.113.7'] },
      ]);
      expect(o.failedLogins).toEqual([
        { name: 'mallory', reason: 'unknown_user', count: 2, lastAt: T1 - HOUR, sourceIps: ['192.168.1.66'] },
        { name: 'alice', reason: 'wrong_password', count: 1, lastAt: T1 - HOUR, sourceIps: ['127.0.0.1'] },
      ]);
    });

    test('issuances and denials by hour and by day, overall and for one API user; top API users by volume', async () => {
      const day = await overview.get(admin, { range: '24h' });
      expect(day.activity).toMatchObject({ range: '24h', bucket: 'hour', userId: null, until: T1 });
      expect(day.activity.points).toHaveLength(24);
      const sum = (points: { issued: number; denied: number }[]) =>
        points.reduce((s, p) => ({ issued: s.issued + p.issued, denied: s.denied + p.denied }), { issued: 0, denied: 0 });
      expect(sum(day.activity.points)).toEqual({ issued: 5, denied: 6 });
      expect(day.activity.points.find((p) => p.at === Math.floor((T1 - 10 * HOUR) / HOUR) * HOUR)).toMatchObject({ issued: 5 });
      expect(day.topApiUsers).toEqual([
        { userId: ids.erp, name: 'ERP', issued: 5, denied: 3 },
        { userId: ids.crm, name: 'CRM', issued: 0, denied: 1 },
      ]);

      const week = await overview.get(admin, { range: '7d' });
      expect(week.activity.bucket).toBe('hour');
      expect(sum(week.activity.points)).toEqual({ issued: 6, denied: 7 });
      const month = await overview.get(admin, { range: '30d', userId: ids.erp });
      expect(month.activity).toMatchObject({ bucket: 'day', userId: ids.erp });
      expect(month.activity.points.every((p) => p.at % DAY === 0)).toBe(true);
      expect(sum(month.activity.points)).toEqual({ issued: 6, denied: 4 });
      expect((await overview.get(admin, { range: '7d', bucket: 'day', userId: ids.crm })).activity.points.map((p) => p.denied).reduce((a, b) => a + b)).toBe(1);
      // Issuances written by the token server later are counted as they land.
      await appendEvents(core.deps.store, [{ at: T1, actorKind: 'api', actorId: ids.crm, actorName: 'keyrack-crm', type: 'token.issued', targetUserId: ids.crm, targetName: 'CRM', outcome: 'success', reason: null, sourceIp: null, details: null }]);
      expect((await overview.get(admin, { range: '24h' })).topApiUsers[1]).toEqual({ userId: ids.crm, name: 'CRM', issued: 1, denied: 1 });
    });

    test('needs log.view', async () => {
      const bob = await powerlessPerson(core, admin);
      await expect(async () => overview.get(bob, parseInputOf('overview.get', {}))).rejects.toThrow(ForbiddenError);
      await expect(async () => overview.get(admin, parseInputOf('overview.get', { range: '1y' }))).rejects.toThrow(/^range: /);
    });
  });

  describe('expiring credentials', async () => {
    test('users.expiring takes the number of days', async () => {
      expect((await overview.expiring(admin, parseInputOf('users.expiring', {}))).map((c) => c.userName)).toEqual(['ERP', 'CRM']);
      expect(await overview.expiring(admin, { days: 2 })).toEqual([]);
      expect((await overview.expiring(admin, { days: 30 })).map((c) => [c.userName, c.kind])).toEqual([
        ['ERP', 'secret'],
        ['CRM', 'user'],
        ['CRM', 'secret'],
      ]);
      await expect(async () => overview.expiring(admin, parseInputOf('users.expiring', { days: 0 }))).rejects.toThrow(/^days: /);
    });

    test('keyrack api-users expiring [--days N] [--json]', async () => {
      // The CLI runs on the real clock: move the expiries to real times first.
      const now = Date.now();
      const store = core.deps.store;
      await store.run('UPDATE client_secrets SET expires_at = ? WHERE user_id = ? AND revoked_at IS NULL', [now + 3 * DAY + HOUR, ids.erp]);
      await store.run('UPDATE users SET expires_at = ? WHERE id = ?', [now + 10 * DAY + HOUR, ids.crm]);
      await store.run('UPDATE client_secrets SET expires_at = ? WHERE user_id = ?', [now + 20 * DAY + HOUR, ids.crm]);
      const data = core.dataDir;
      core.close();
      const cli = (args: string[]) => keyrack(data, args, '', { env: core.cliEnv });
      const json = await cli(['api-users', 'expiring', '--json']);
      expect(json.code, json.stderr).toBe(0);
      expect((JSON.parse(json.stdout) as { userName: string; daysLeft: number }[]).map((c) => [c.userName, c.daysLeft])).toEqual([
        ['ERP', 3],
        ['CRM', 10],
      ]);
      const human = await cli(['api-users', 'expiring', '--days', '30']);
      expect(human.stdout.split('\n')[0]).toMatch(/^NAME\s+CLIENT ID\s+EXPIRING\s+EXPIRES\s+DAYS LEFT$/);
      expect(human.stdout).toMatch(/CRM\s+keyrack-crm\s+account/);
      expect(human.stdout.trimEnd().split('\n')).toHaveLength(4);
      expect((await cli(['api-users', 'expiring', '--days', 'soon'])).code).toBe(2);
    });
  });

  describe('the daily expiry notice', () => {
    test('once a day, only when something expires within the warning period', async () => {
      const first = await dueExpiryNotice(core.deps);
      expect(first).toMatchObject({ title: '2 credentials expire soon', body: expect.stringContaining('a secret of ERP, in 3 days') });
      expect(await readSetting(core.deps.store, LAST_NOTICE_DAY_KEY)).toBe(localDay(T1));
      expect(await dueExpiryNotice(core.deps)).toBeNull(); // same day
      core.clock.advance(DAY);
      expect((await dueExpiryNotice(core.deps))?.items.map((c) => c.daysLeft)).toEqual([2, 9]);
      await writeSetting(core.deps.store, WARNING_DAYS_KEY, 1);
      core.clock.advance(DAY);
      expect(await dueExpiryNotice(core.deps)).toMatchObject({ title: 'A credential expires soon', body: 'a secret of ERP expires tomorrow.' });
      core.clock.advance(2 * DAY); // ERP's secret has expired; CRM is more than a day away
      expect(await dueExpiryNotice(core.deps)).toBeNull();
    });
  });

  test('the desktop service shows the day\'s notice once, through the call main passes in', async () => {
    const shown: Parameters<ShowNotification>[0][] = [];
    const logged: string[] = [];
    const service = expiryNotificationService((notice) => shown.push(notice));
    // The notifier needs only the store; the key wrapper belongs to the token server.
    const running = await service.start({ core, keyWrapper: undefined as never, log: (line) => logged.push(line) });
    expect(shown).toEqual([{ title: '2 credentials expire soon', body: expect.stringMatching(/^The first: a secret of ERP, in 3 days/) }]);
    await running.stop();
    const again = await service.start({ core, keyWrapper: undefined as never, log: (line) => logged.push(line) });
    await again.stop();
    expect(shown).toHaveLength(1); // same day, even across a restart
    expect(logged).toEqual([]);
  });
});
