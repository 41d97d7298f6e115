import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { keyrack } from '../support/cli.js';
import { tempDir } from '../support/core.js';

let data: string;
/** Runs a command with --json, expects it to succeed quietly, and returns its output parsed. */
const ok = async <T = Record<string, unknown>>(args: string[], stdin = ''): Promise<T> => {
  const run = await keyrack(data, [...args, '--json'], stdin);
  expect(run.stderr, args.join(' ')).toBe('');
  expect(run.code, args.join(' ')).toBe(0);
  return JSON.parse(run.stdout) as T;
};
type Named = { name: string }[];
beforeEach(async () => {
  data = tempDir('keyrack-admin-cli-');
  await keyrack(data, ['init', '--name', 'alice', '--password-stdin'], 'correct horse battery');
  await ok(['rights', 'add-resource', 'properties', '--action', 'read', '--action', 'write', '--filter', 'published_only']);
  await ok(['groups', 'create', 'Website', '--right', 'properties:read']);
  await ok(['mailboxes', 'create', 'info@example.com']);
  await ok(['api-users', 'create', '--name', 'CRM Sync', '--group', 'Website']);
});
afterEach(() => rmSync(data, { recursive: true, force: true }));

describe('what the app can change, the CLI can', () => {
  test("api-users update: email, expiry, token lifetime, description; 'none', 'never' and 'default' clear them", async () => {
    const updated = await ok(['api-users', 'update', 'CRM Sync', '--email', 'crm@example.com', '--expires', '2099-01-31', '--token-lifetime', '300', '--description', 'Nightly']);
    expect(updated).toMatchObject({ email: 'crm@example.com', expiresAt: Date.parse('2099-01-31'), tokenLifetimeSeconds: 300, description: 'Nightly' });
    const cleared = await ok(['api-users', 'update', 'keyrack-crm-sync', '--email', 'none', '--expires', 'never', '--token-lifetime', 'default']);
    expect(cleared).toMatchObject({ email: null, expiresAt: null, tokenLifetimeSeconds: null });
    const bad = await keyrack(data, ['api-users', 'update', 'CRM Sync', '--token-lifetime', '5']);
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringContaining('At least 60 seconds') });
    expect((await keyrack(data, ['api-users', 'update', 'CRM Sync'])).code).toBe(2);
    expect((await keyrack(data, ['api-users', 'update', 'alice', '--email', 'a@example.com'])).stderr).toContain('alice is a person, not an API user');
  });

  test('api-users set-allowlist, set-groups, set-mailboxes replace the lists; --clear empties them', async () => {
    expect((await ok(['api-users', 'set-allowlist', 'CRM Sync', '--allow', '10.0.0.0/8', '--allow', 'aws'])).allowlist).toEqual([
      { kind: 'cidr', entry: '10.0.0.0/8' },
      { kind: 'provider', entry: 'AWS' },
    ]);
    expect((await ok(['api-users', 'set-allowlist', 'CRM Sync', '--clear'])).allowlist).toEqual([]);
    expect((await keyrack(data, ['api-users', 'set-allowlist', 'CRM Sync'])).code).toBe(2); // neither: a usage error, not an emptied list
    expect((await ok(['api-users', 'set-mailboxes', 'CRM Sync', '--mailbox', 'info@example.com'])).mailboxes).toMatchObject([{ address: 'info@example.com' }]);
    expect((await ok(['api-users', 'set-groups', 'CRM Sync', '--clear'])).groups).toEqual([]);
  });

  test('groups update (record filters, rights, permissions) and delete', async () => {
    const updated = await ok(['groups', 'update', 'Website', '--name', 'Web', '--filter', 'properties:published_only', '--right', 'properties:write', '--permission', 'log.view']);
    expect(updated).toMatchObject({ name: 'Web', appPermissions: ['log.view'], rights: [{ resource: 'properties', action: 'write' }], filters: [{ resource: 'properties', name: 'published_only' }] });
    expect((await ok(['groups', 'update', 'Web', '--clear-filters'])).filters).toEqual([]);
    expect((await keyrack(data, ['groups', 'update', 'Web', '--filter', 'properties:nope'])).code).toBe(1);
    expect(await ok(['groups', 'delete', 'Web', '--yes'])).toMatchObject({ deleted: { name: 'Web' } });
    expect((await ok<Named>(['groups', 'list'])).map((g) => g.name)).toEqual(['Administrators']);
    expect((await keyrack(data, ['groups', 'delete', 'Administrators', '--yes'])).code).toBe(1);
  });

  test('rights update-resource and remove-resource (endpoint-style names too)', async () => {
    await ok(['rights', 'add-resource', 'orders/import', '--action', 'write']);
    const updated = await ok(['rights', 'update-resource', 'orders/import', '--action', 'write', '--action', 'read', '--description', 'Order import endpoint']);
    expect(updated).toMatchObject({ name: 'orders/import', description: 'Order import endpoint' });
    expect([...(updated.actions as string[])].sort()).toEqual(['read', 'write']);
    expect((await ok(['rights', 'update-resource', 'properties', '--clear-filters'])).filters).toEqual([]);
    expect(await ok(['rights', 'remove-resource', 'orders/import', '--yes'])).toMatchObject({ removed: { name: 'orders/import' } });
    expect((await ok<Named>(['rights', 'list'])).map((r) => r.name)).not.toContain('orders/import');
  });

  test('mailboxes update and delete', async () => {
    expect(await ok(['mailboxes', 'update', 'info@example.com', '--address', 'office@example.com', '--display-name', 'Office'])).toMatchObject({
      address: 'office@example.com',
      displayName: 'Office',
    });
    expect(await ok(['mailboxes', 'delete', 'office@example.com', '--yes'])).toMatchObject({ deleted: { address: 'office@example.com' } });
    expect(await ok(['mailboxes', 'list'])).toEqual([]);
  });

  test('people create, update, disable, enable, delete', async () => {
    const bob = await ok(['people', 'create', '--name', 'bob', '--password-stdin', '--group', 'Administrators'], 'another long password\n');
    expect(bob).toMatchObject({ kind: 'person', name: 'bob', groups: [{ name: 'Administrators' }] });
    expect(await ok(['people', 'update', 'bob', '--email', 'bob@example.com'])).toMatchObject({ email: 'bob@example.com' });
    expect(await ok(['people', 'disable', 'bob'])).toMatchObject({ status: 'disabled' });
    expect(await ok(['people', 'enable', 'bob'])).toMatchObject({ status: 'active' });
    expect(await ok(['people', 'delete', 'bob', '--yes'])).toMatchObject({ deleted: { name: 'bob' } });
    expect((await keyrack(data, ['people', 'delete', 'CRM Sync', '--yes'])).stderr).toContain('CRM Sync is an API user, not a person');
  });

  test('policy: API users must have an allowlist, enforced on create and on set-allowlist', async () => {
    expect(await ok(['policy', 'show'])).toEqual({ requireAllowlist: false });
    expect(await ok(['policy', 'set', '--require-allowlist', 'on'])).toEqual({ requireAllowlist: true });
    const refused = await keyrack(data, ['api-users', 'create', '--name', 'ERP']);
    expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining('requires an allowlist for every API user') });
    await ok(['api-users', 'create', '--name', 'ERP', '--allow', '192.168.1.0/24']);
    expect((await keyrack(data, ['api-users', 'set-allowlist', 'ERP', '--clear'])).code).toBe(2);
    const [event] = await ok<{ actorName: string; details: unknown }[]>(['log', '--type', 'settings.changed']);
    expect(event).toMatchObject({ actorName: 'cli:tester', details: { setting: 'policy.requireAllowlist', from: false, to: true } });
  });
});
