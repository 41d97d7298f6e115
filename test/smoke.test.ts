import { afterEach, expect, test } from 'vitest';
import { coreWithAdmin, type TestCore } from './support/core.js';
import { parseInputOf } from '../shared/contract.js';

let core: TestCore | undefined;
afterEach(() => core?.cleanup());

test('an administrator creates an API user and gets its credentials once', async () => {
  const setup = await coreWithAdmin();
  core = setup.core;
  const created = await core.users.createApiUser(setup.admin, parseInputOf('users.createApiUser', { name: 'CRM Sync' }));
  expect(created.clientId).toBe('keyrack-crm-sync');
  expect(created.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(created.user.kind).toBe('api');
});
