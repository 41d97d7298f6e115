import { afterEach, describe, expect, test, vi } from 'vitest';
import { createPasswordHasher } from '../../electron/crypto/password.js';
import { LOGIN_BACKOFF } from '../../electron/services/auth.service.js';
import { findUserByName } from '../../electron/repos/users.repo.js';
import { parseInputOf } from '../../shared/contract.js';
import { ConflictError, RateLimitedError, UnauthenticatedError } from '../../shared/errors.js';
import { inPromise, TEST_HASH_PARAMS } from '../support/core.js';
import { storedEvents, storedRows } from '../support/fixtures.js';
import { describeEngines, type EngineCore } from '../support/engines.js';

describeEngines((engine) => {
  let core: EngineCore;
  afterEach(() => core.cleanup());

  const PASSWORD = 'correct horse battery';

  describe('first run', () => {
    test('creates the first administrator once', async () => {
      core = await engine.makeCore();
      expect(await core.auth.setupNeeded()).toBe(true);
      const session = await core.auth.setup({ name: 'alice', password: PASSWORD });
      expect(session).toMatchObject({ name: 'alice', permissions: ['groups.manage', 'log.view', 'mailboxes.manage', 'server.manage', 'users.manage'] });
      expect(await core.auth.setupNeeded()).toBe(false);
      await expect(core.auth.setup({ name: 'mallory', password: PASSWORD })).rejects.toThrow(ConflictError);
      expect((await storedEvents(core)).map((e) => e.type)).toEqual(['setup.completed']);
    });

    test('refuses a short password, naming the field', async () => {
      core = await engine.makeCore();
      await expect(inPromise(() => core.auth.setup(parseInputOf('auth.setup', { name: 'alice', password: 'short' })))).rejects.toMatchObject({
        code: 'validation',
        fields: { password: 'Password must be at least 12 characters' },
      });
      expect(await core.auth.setupNeeded()).toBe(true);
    });
  });

  describe('login', () => {
    test('a person logs in with name (any case) and password; the success is logged', async () => {
      ({ core } = await engine.coreWithAdmin());
      const session = await core.auth.login({ name: 'ALICE', password: PASSWORD }, '127.0.0.1');
      expect(session.name).toBe('alice');
      expect((await storedEvents(core))[0]).toMatchObject({ type: 'auth.login', outcome: 'success', actorName: 'ALICE', sourceIp: '127.0.0.1' });
    });

    test('unknown name and wrong password give the same message; both logged with their own reason', async () => {
      ({ core } = await engine.coreWithAdmin());
      await expect(core.auth.login({ name: 'nobody', password: PASSWORD })).rejects.toThrow(new UnauthenticatedError('Wrong name or password'));
      await expect(core.auth.login({ name: 'alice', password: 'wrong password!' })).rejects.toThrow(new UnauthenticatedError('Wrong name or password'));
      expect((await storedEvents(core)).slice(0, 2).map((e) => e.reason)).toEqual(['wrong_password', 'unknown_user']);
    });

    test('an API user can never log in, and the answer does not tell it apart from an unknown name', async () => {
      const setup = await engine.coreWithAdmin();
      core = setup.core;
      const created = await core.users.createApiUser(setup.admin, parseInputOf('users.createApiUser', { name: 'CRM' }));
      const dummy = vi.spyOn(core.deps.passwords, 'dummyVerify');
      const asApi = await core.auth.login({ name: 'CRM', password: created.secret }).catch((e: unknown) => e);
      const asNobody = await core.auth.login({ name: 'nobody', password: created.secret }).catch((e: unknown) => e);
      expect(asApi).toEqual(new UnauthenticatedError('Wrong name or password'));
      expect(asApi).toMatchObject({ code: (asNobody as UnauthenticatedError).code, message: (asNobody as UnauthenticatedError).message });
      // The same argon2 work for both, so the time taken does not tell them apart either.
      expect(dummy).toHaveBeenCalledTimes(2);
      // The log keeps the real reason.
      expect((await storedEvents(core)).slice(0, 2).map((e) => e.reason)).toEqual(['unknown_user', 'api_user']);
      expect((await findUserByName(core.deps.store, 'CRM'))!.passwordHash).toBeNull();
    });

    test('a disabled person cannot log in', async () => {
      const setup = await engine.coreWithAdmin();
      core = setup.core;
      const bob = await core.users.createPerson(setup.admin, parseInputOf('users.createPerson', { name: 'bob', password: 'another long password' }));
      await core.users.disable(setup.admin, { id: bob.id });
      await expect(core.auth.login({ name: 'bob', password: 'another long password' })).rejects.toThrow(/is disabled/);
    });

    test('backs off after repeated failures, even for the right password, and a success resets it', async () => {
      ({ core } = await engine.coreWithAdmin());
      const attempt = (password: string) => core.auth.login({ name: 'alice', password });
      for (let i = 0; i < LOGIN_BACKOFF.freeFailures - 1; i++) await expect(attempt('wrong one')).rejects.toThrow(UnauthenticatedError);
      await expect(attempt('wrong one')).rejects.toThrow(UnauthenticatedError); // this failure starts the back-off
      const blocked = attempt(PASSWORD);
      await expect(blocked).rejects.toThrow(RateLimitedError);
      await expect(attempt(PASSWORD)).rejects.toMatchObject({ retryAt: core.clock.now() + LOGIN_BACKOFF.firstDelayMs });
      expect((await storedEvents(core))[0]).toMatchObject({ type: 'auth.login', outcome: 'failure', reason: 'rate_limited' });

      // Each further failure doubles the wait.
      core.clock.advance(LOGIN_BACKOFF.firstDelayMs);
      await expect(attempt('wrong again')).rejects.toThrow(UnauthenticatedError);
      await expect(attempt(PASSWORD)).rejects.toMatchObject({ retryAt: core.clock.now() + 2 * LOGIN_BACKOFF.firstDelayMs });

      core.clock.advance(2 * LOGIN_BACKOFF.firstDelayMs);
      expect((await attempt(PASSWORD)).name).toBe('alice');
      await expect(attempt('wrong')).rejects.toThrow(UnauthenticatedError); // counter was reset
    });

    test('the back-off counts a name in any case as the same name', async () => {
      ({ core } = await engine.coreWithAdmin());
      const spellings = ['alice', 'ALICE', 'Alice'];
      for (let i = 0; i < LOGIN_BACKOFF.freeFailures; i++) {
        await expect(core.auth.login({ name: spellings[i % spellings.length]!, password: 'wrong one' })).rejects.toThrow(UnauthenticatedError);
      }
      await expect(core.auth.login({ name: 'aLiCe', password: PASSWORD })).rejects.toThrow(RateLimitedError);
      expect(await storedRows(core, 'login_throttle')).toBe(1);
    });

    test('unknown names back off too, so probing for names gains nothing', async () => {
      ({ core } = await engine.coreWithAdmin());
      for (let i = 0; i < LOGIN_BACKOFF.freeFailures; i++) {
        await expect(core.auth.login({ name: 'ghost', password: 'x' })).rejects.toThrow(UnauthenticatedError);
      }
      await expect(core.auth.login({ name: 'ghost', password: 'x' })).rejects.toThrow(RateLimitedError);
    });

    test('a hash made with weaker parameters is replaced on the next successful login', async () => {
      ({ core } = await engine.coreWithAdmin());
      const before = (await findUserByName(core.deps.store, 'alice'))!.passwordHash!;
      expect(before).toContain('m=1024');
      // Raise the parameters, as a new Keyrack release would.
      const stronger = createPasswordHasher({ ...TEST_HASH_PARAMS, memoryCost: 2048 });
      Object.assign(core.deps, { passwords: stronger });
      expect(stronger.needsRehash(before)).toBe(true);
      await core.auth.login({ name: 'alice', password: PASSWORD });
      const after = (await findUserByName(core.deps.store, 'alice'))!.passwordHash!;
      expect(after).toContain('m=2048');
      expect(await stronger.verify(after, PASSWORD)).toBe(true);
      expect((await storedEvents(core))[0]!.details).toEqual({ rehashed: true });
    });
  });

  describe('password change', () => {
    test('needs the current password; the new one works, the old one no longer', async () => {
      const setup = await engine.coreWithAdmin();
      core = setup.core;
      await expect(core.auth.changePassword(setup.admin, { currentPassword: 'nope', newPassword: 'a brand new password' })).rejects.toMatchObject({
        fields: { currentPassword: 'The current password is wrong' },
      });
      await core.auth.changePassword(setup.admin, { currentPassword: PASSWORD, newPassword: 'a brand new password' });
      await expect(core.auth.login({ name: 'alice', password: PASSWORD })).rejects.toThrow(UnauthenticatedError);
      expect((await core.auth.login({ name: 'alice', password: 'a brand new password' })).name).toBe('alice');
    });
  });

  describe('production argon2id parameters', () => {
    test('are at or above the OWASP floor (19 MiB, 2 iterations, 1 lane)', async () => {
      const { ARGON2_PARAMS } = await import('../../electron/crypto/password.js');
      expect(ARGON2_PARAMS.memoryCost).toBeGreaterThanOrEqual(19_456);
      expect(ARGON2_PARAMS.timeCost).toBeGreaterThanOrEqual(2);
      const hash = await createPasswordHasher().hash('x');
      expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
      core = await engine.makeCore();
    });
  });
});
