import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Actor } from '../../electron/services/context.js';
import { CredentialFilesService } from '../../electron/services/credential-files.js';
import { snapshotInfoReader } from '../../electron/ranges/store.js';
import { OverviewService } from '../../electron/services/overview.service.js';
import { updateTokenServerSettings } from '../../electron/services/token-server-settings.js';
import { describeEngines, type EngineCore } from '../support/engines.js';
import { parseInputOf } from '../../shared/contract.js';

describeEngines((engine) => {
  let core: EngineCore;
  let admin: Actor;
  let overview: OverviewService;
  beforeEach(async () => {
    ({ core, admin } = await engine.coreWithAdmin());
    overview = new OverviewService(core.deps, snapshotInfoReader(core.ranges));
  });
  afterEach(() => core.cleanup());

  const steps = async () => (await overview.get(admin, parseInputOf('overview.get', {}))).firstRun;

  describe('the first-run checklist ticks itself off from the store and the log (issue 13 item 2)', () => {
    test('a fresh store: nothing done (the built-in keyrack resource and Administrators group do not count)', async () => {
      expect(await steps()).toEqual({ describeApis: false, makeGroup: false, apiUser: false, credentialFile: false, lanAccess: false });
    });

    test('each step, in the order a newcomer takes them', async () => {
      await core.rights.addResource(admin, parseInputOf('rights.addResource', { name: 'addresses', actions: ['read', 'write'] }));
      expect(await steps()).toMatchObject({ describeApis: true, makeGroup: false });

      // A group with only app permissions, or only the built-in introspection right, is not the step.
      await core.groups.create(admin, parseInputOf('groups.create', { name: 'Helpers', appPermissions: ['log.view'], rights: [{ resource: 'keyrack', action: 'introspect' }] }));
      expect((await steps()).makeGroup).toBe(false);
      const group = await core.groups.create(admin, parseInputOf('groups.create', { name: 'CRM', rights: [{ resource: 'addresses', action: 'read' }] }));
      expect((await steps()).makeGroup).toBe(true);

      const created = await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'crm-sync', groupIds: [group.id] }));
      expect((await steps()).apiUser).toBe(true);

      const files = new CredentialFilesService(core.deps, () => ({
        issuer: 'https://keyrack.test',
        tokenEndpoint: 'https://keyrack.test/oauth2/token',
        caCertificate: null,
      }));
      await files.render(admin, parseInputOf('credentials.export', { userId: created.user.id, secret: created.secret }));
      expect((await steps()).credentialFile).toBe(true);

      await updateTokenServerSettings(core.deps, admin, { lanAccess: true });
      expect(await steps()).toEqual({ describeApis: true, makeGroup: true, apiUser: true, credentialFile: true, lanAccess: true });

      // Undone, it shows again: state, not a remembered click.
      await core.users.delete(admin, { id: created.user.id });
      expect((await steps()).apiUser).toBe(false);
    });

    test('a refused export (a secret that is not live) does not tick the credential file', async () => {
      const created = await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'erp' }));
      const files = new CredentialFilesService(core.deps, () => ({ issuer: 'https://k.test', tokenEndpoint: 'https://k.test/t', caCertificate: null }));
      await expect(files.render(admin, parseInputOf('credentials.export', { userId: created.user.id, secret: 'x'.repeat(43) }))).rejects.toThrow();
      expect((await steps()).credentialFile).toBe(false);
    });
  });
});
