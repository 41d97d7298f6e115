import { afterEach, describe, expect, test } from 'vitest';
import { parseInputOf } from '../../shared/contract.js';
import { ConflictError, ForbiddenError, UnauthenticatedError } from '../../shared/errors.js';
import { cli, inPromise } from '../support/core.js';
import { storedEvents, powerlessPerson } from '../support/fixtures.js';
import { describeEngines, type EngineCore } from '../support/engines.js';

describeEngines((engine) => {
  let core: EngineCore;
  afterEach(() => core.cleanup());

  const NEW_PASSWORD = 'a fresh password for bob';

  describe('an administrator resets another person\'s password (issue 13 item 1)', () => {
    test('the new password works, the old one no longer; the log names who and whom, never the password', async () => {
      const setup = await engine.coreWithAdmin();
      core = setup.core;
      const bob = await powerlessPerson(core, setup.admin);
      await core.users.resetPassword(setup.admin, { id: bob.kind === 'person' ? bob.userId : 0, newPassword: NEW_PASSWORD });
      await expect(core.auth.login({ name: 'bob', password: 'another long password' })).rejects.toThrow(UnauthenticatedError);
      expect((await core.auth.login({ name: 'bob', password: NEW_PASSWORD })).name).toBe('bob');
      const reset = (await storedEvents(core)).find((e) => e.type === 'user.password_reset')!;
      expect(reset).toMatchObject({ actorName: 'alice', targetName: 'bob', outcome: 'success' });
      expect(JSON.stringify(reset)).not.toContain(NEW_PASSWORD);
    });

    test('needs users.manage; the refusal is logged and the password is unchanged', async () => {
      const setup = await engine.coreWithAdmin();
      core = setup.core;
      const bob = await powerlessPerson(core, setup.admin);
      const carol = await powerlessPerson(core, setup.admin, 'carol');
      const carolId = carol.kind === 'person' ? carol.userId : 0;
      await expect(core.users.resetPassword(bob, { id: carolId, newPassword: NEW_PASSWORD })).rejects.toThrow(ForbiddenError);
      expect((await storedEvents(core))[0]).toMatchObject({ type: 'user.password_reset', outcome: 'failure', reason: 'forbidden', actorName: 'bob' });
      await expect(core.auth.login({ name: 'carol', password: NEW_PASSWORD })).rejects.toThrow(UnauthenticatedError);
    });

    test('not for your own account (that asks for the current password) and not for an API user', async () => {
      const setup = await engine.coreWithAdmin();
      core = setup.core;
      const self = setup.admin.kind === 'person' ? setup.admin.userId : 0;
      await expect(core.users.resetPassword(setup.admin, { id: self, newPassword: NEW_PASSWORD })).rejects.toThrow(ConflictError);
      const api = await core.users.createApiUser(setup.admin, parseInputOf('users.createApiUser', { name: 'crm-sync' }));
      await expect(core.users.resetPassword(setup.admin, { id: api.user.id, newPassword: NEW_PASSWORD })).rejects.toMatchObject({
        code: 'validation',
        fields: { id: expect.stringMatching(/API user/) },
      });
    });

    test('the new password follows the same rule as any password; the CLI (the store\'s owner) may reset', async () => {
      const setup = await engine.coreWithAdmin();
      core = setup.core;
      const bob = await powerlessPerson(core, setup.admin);
      const id = bob.kind === 'person' ? bob.userId : 0;
      await expect(inPromise(() => core.users.resetPassword(cli, parseInputOf('users.resetPassword', { id, newPassword: 'short' })))).rejects.toMatchObject({
        fields: { newPassword: 'Password must be at least 12 characters' },
      });
      await core.users.resetPassword(cli, { id, newPassword: NEW_PASSWORD });
      expect((await core.auth.login({ name: 'bob', password: NEW_PASSWORD })).name).toBe('bob');
    });
  });
});
