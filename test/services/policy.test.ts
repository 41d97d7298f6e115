import { afterEach, beforeEach, expect, test } from 'vitest';
import { parseInputOf } from '../../shared/contract.js';
import { ForbiddenError, ValidationError } from '../../shared/errors.js';
import type { Actor } from '../../electron/services/context.js';
import { ALLOWLIST_REQUIRED_MESSAGE } from '../../electron/services/policy.service.js';
import { storedRows, storedEvents, powerlessPerson } from '../support/fixtures.js';
import { describeEngines, type EngineCore } from '../support/engines.js';

describeEngines((engine) => {
  let core: EngineCore;
  let admin: Actor;
  beforeEach(async () => ({ core, admin } = await engine.coreWithAdmin()));
  afterEach(() => core.cleanup());

  test('off by default: an API user without an allowlist may be created and emptied', async () => {
    expect(await core.policy.get(admin)).toEqual({ requireAllowlist: false });
    const { user } = await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'Open', allowlist: ['10.0.0.1'] }));
    expect((await core.users.setAllowlist(admin, { id: user.id, entries: [] })).allowlist).toEqual([]);
  });

  test('on: create and edit refuse an empty allowlist (service level: every face obeys), a list is fine', async () => {
    const { user } = await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'Before', allowlist: [] }));
    expect(await core.policy.set(admin, { requireAllowlist: true })).toEqual({ requireAllowlist: true });
    const users = await storedRows(core, 'users');
    await expect(core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'No list' }))).rejects.toThrow(ValidationError);
    await expect(core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'No list' }))).rejects.toMatchObject({ fields: { allowlist: ALLOWLIST_REQUIRED_MESSAGE } });
    expect(await storedRows(core, 'users')).toBe(users);
    const { user: listed } = await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'Listed', allowlist: ['AWS'] }));
    await expect(async () => core.users.setAllowlist(admin, { id: listed.id, entries: [] })).rejects.toThrow(ALLOWLIST_REQUIRED_MESSAGE);
    expect((await core.users.show(admin, { id: listed.id })).allowlist).toEqual([{ kind: 'provider', entry: 'AWS' }]);
    // An existing user without a list is left as it is until its list is changed.
    expect((await core.users.show(admin, { id: user.id })).allowlist).toEqual([]);
    expect((await core.users.setAllowlist(admin, { id: user.id, entries: ['192.168.1.0/24'] })).allowlist).toHaveLength(1);
  });

  test('changing it needs users.manage, is logged with before and after, and only when it changes', async () => {
    const bob = await powerlessPerson(core, admin, 'bob');
    await expect(core.policy.set(bob, { requireAllowlist: true })).rejects.toThrow(ForbiddenError);
    expect(await core.policy.get(bob)).toEqual({ requireAllowlist: false });
    await core.policy.set(admin, { requireAllowlist: true });
    await core.policy.set(admin, { requireAllowlist: true });
    await core.policy.set(admin, { requireAllowlist: false });
    const changes = (await storedEvents(core)).filter((e) => e.type === 'settings.changed' && e.outcome === 'success');
    expect(changes.map((e) => e.details)).toEqual([
      { setting: 'policy.requireAllowlist', from: true, to: false },
      { setting: 'policy.requireAllowlist', from: false, to: true },
    ]);
    await expect(async () => core.policy.set(admin, parseInputOf('policy.set', {}))).rejects.toThrow(ValidationError);
    await expect(async () => core.policy.set(admin, parseInputOf('policy.set', { requireAllowlist: 'yes' }))).rejects.toThrow(ValidationError);
  });
});
