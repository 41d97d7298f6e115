import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { openCore } from '../../electron/core.js';
import { parseEnv } from '../../electron/credentials/credential-file-format.js';
import { createPasswordHasher } from '../../electron/crypto/password.js';
import type { ActivationCreated, ActivationInfo, RegistrationInfo } from '../../shared/activations.dto.js';
import { keyrack } from '../support/cli.js';
import { TEST_HASH_PARAMS, tempDir } from '../support/core.js';

/** keyrack activations …, as a scripting administrator uses them; the registrations through the service itself. */
let data: string;
const ok = async <T = Record<string, unknown>>(args: string[]): Promise<T> => {
  const run = await keyrack(data, [...args, '--json']);
  expect(run.stderr, args.join(' ')).toBe('');
  expect(run.code, args.join(' ')).toBe(0);
  return JSON.parse(run.stdout) as T;
};

beforeEach(async () => {
  data = tempDir('keyrack-activations-cli-');
  await keyrack(data, ['init', '--name', 'alice', '--password-stdin'], 'correct horse battery');
  await ok(['rights', 'add-resource', 'properties', '--action', 'read', '--action', 'write']);
  await ok(['groups', 'create', 'Website', '--right', 'properties:read']);
  await ok(['mailboxes', 'create', 'info@example.com']);
  await ok(['server', 'settings', 'set', '--issuer', 'https://keyrack.office.lan:8443']);
});
afterEach(() => rmSync(data, { recursive: true, force: true }));

/** A service registering with the code, through the same service the token server calls. */
async function registerWith(code: string, clientName: string) {
  const core = openCore({ dataDir: data, passwords: createPasswordHasher(TEST_HASH_PARAMS), onNotice: () => {} });
  try {
    return await core.activations.register(
      code,
      async () => ({ clientName, authMethod: 'client_secret_basic', jwks: null, scope: null, contacts: [], softwareId: 'acme', softwareVersion: '1.0' }),
      { sourceIp: '192.0.2.10', issuer: 'https://keyrack.office.lan:8443' },
    );
  } finally {
    core.close();
  }
}

test('create prints the code once and the snippet; list shows status and use; revoke by name', async () => {
  const text = await keyrack(data, ['activations', 'create', 'Acme', '--group', 'Website', '--mailbox', 'info@example.com', '--allow', '10.0.0.0/8', '--max', '2']);
  expect(text.code, text.stderr).toBe(0);
  const code = /Code:\s+(kra_[A-Za-z0-9_-]{43})/.exec(text.stdout)![1]!;
  expect(text.stdout).toContain('Registration URL: https://keyrack.office.lan:8443/oauth2/register');
  expect(text.stdout).toContain(`-H 'Authorization: Bearer ${code}'`);
  expect(text.stdout).toContain('Keyrack keeps only a hash and will not show it again');

  const created = await ok<ActivationCreated>(['activations', 'create', 'Beta', '--group', 'Website', '--expires', '2d', '--approval', '--token-lifetime', '900']);
  expect(created.code).toMatch(/^kra_[A-Za-z0-9_-]{43}$/);
  expect(created.snippet.registrationUrl).toBe('https://keyrack.office.lan:8443/oauth2/register');
  expect(JSON.parse(created.snippet.json!)).toEqual({
    registration_endpoint: 'https://keyrack.office.lan:8443/oauth2/register',
    initial_access_token: created.code,
    expires_at: new Date(created.activation.expiresAt).toISOString(),
  });
  expect(created.activation).toMatchObject({ name: 'Beta', status: 'active', maxRegistrations: 1, registrationsUsed: 0, requiresApproval: true });
  expect(created.activation.template).toMatchObject({ scopes: ['properties:read'], tokenLifetimeSeconds: 900, groups: [{ name: 'Website' }] });

  await registerWith(code, 'Acme CRM');
  const list = await ok<ActivationInfo[]>(['activations', 'list']);
  expect(list.map((a) => [a.name, a.status, a.registrationsUsed, a.maxRegistrations])).toEqual([
    ['Beta', 'active', 0, 1],
    ['Acme', 'active', 1, 2],
  ]);
  const table = await keyrack(data, ['activations', 'list']);
  expect(table.stdout).toMatch(/Acme\s+active\s+1 of 2\s+no/);

  expect(await ok(['activations', 'revoke', 'acme'])).toMatchObject({ name: 'Acme', status: 'revoked', revokedBy: 'cli:tester' });
  const again = await keyrack(data, ['activations', 'revoke', 'Acme']);
  expect(again.code).not.toBe(0);
  expect(again.stderr).toContain('already revoked');
  // The code is nowhere in the log or the store.
  const log = await keyrack(data, ['log', '--limit', '500', '--json']);
  expect(log.stdout).not.toContain(code);
  expect(log.stdout).not.toContain(created.code);
  const types = (JSON.parse(log.stdout) as { type: string }[]).map((e) => e.type);
  expect(types).toEqual(expect.arrayContaining(['activation.created', 'activation.revoked', 'registration.created']));
});

test('bad input is refused with a clear message and creates nothing', async () => {
  for (const [args, message] of [
    [['activations', 'create', 'X', '--group', 'Nope'], 'Nope'],
    [['activations', 'create', 'X', '--max', '0'], '--max'],
    [['activations', 'create', 'X', '--expires', 'yesterday'], '--expires'],
    [['activations', 'create', 'X', '--allow', 'not-an-address'], 'not-an-address'],
    [['activations', 'create', 'X', '--group', 'Administrators'], 'Administrators'],
  ] as const) {
    const run = await keyrack(data, [...args]);
    expect(run.code, args.join(' ')).not.toBe(0);
    expect(run.stderr, args.join(' ')).toContain(message);
  }
  expect(await ok(['activations', 'list'])).toEqual([]);
  await ok(['activations', 'create', 'Taken']);
  const taken = await keyrack(data, ['activations', 'create', 'taken']);
  expect(taken.code).not.toBe(0);
  expect(taken.stderr).toContain('already exists');
});

test('pending registrations: listed, approved or refused by client id or name', async () => {
  const created = await ok<ActivationCreated>(['activations', 'create', 'Vendors', '--group', 'Website', '--max', '2', '--approval']);
  const first = await registerWith(created.code, 'First Vendor');
  const second = await registerWith(created.code, 'Second Vendor');
  const pending = await ok<RegistrationInfo[]>(['activations', 'pending']);
  expect(pending.map((r) => [r.userName, r.state, r.sourceIp, r.softwareId])).toEqual([
    ['Second Vendor', 'pending', '192.0.2.10', 'acme'],
    ['First Vendor', 'pending', '192.0.2.10', 'acme'],
  ]);
  expect((await keyrack(data, ['activations', 'pending'])).stdout).toMatch(/First Vendor\s+keyrack-first-vendor\s+pending\s+Vendors\s+acme 1.0\s+192.0.2.10/);

  expect(await ok(['activations', 'approve', first.body.client_id as string])).toMatchObject({ state: 'active', decidedBy: expect.stringMatching(/^cli:/) });
  expect(await ok(['activations', 'refuse', 'Second Vendor'])).toMatchObject({ state: 'refused' });
  expect(await ok(['activations', 'pending'])).toEqual([]);
  expect((await keyrack(data, ['activations', 'pending'])).stdout).toBe('No registrations are waiting for approval.\n');
  const users = (await ok<{ rows: { name: string; status: string }[] }>(['api-users', 'list'])).rows;
  expect(users.map((u) => [u.name, u.status])).toEqual([
    ['First Vendor', 'active'],
    ['Second Vendor', 'disabled'],
  ]);
  const twice = await keyrack(data, ['activations', 'approve', 'First Vendor']);
  expect(twice.code).not.toBe(0);
  expect(twice.stderr).toContain('is active, not pending');
  expect((await ok<RegistrationInfo[]>(['activations', 'registrations', '--state', 'refused'])).map((r) => r.userName)).toEqual(['Second Vendor']);
  const log = await keyrack(data, ['log', '--limit', '500', '--json']);
  expect((JSON.parse(log.stdout) as { type: string }[]).map((e) => e.type)).toEqual(expect.arrayContaining(['registration.approved', 'registration.refused', 'user.disabled']));
  expect(log.stdout).not.toContain(second.body.client_secret as string);
  expect(log.stdout).not.toContain(second.body.registration_access_token as string);
});

test("--out writes the vendor's file (JSON or .env, mode 0600) that a service registers from; an existing file is refused before anything is created", async () => {
  const out = join(data, 'vendor.env');
  const created = await ok<ActivationCreated>(['activations', 'create', 'Gamma', '--group', 'Website', '--out', out, '--format', 'env']);
  expect(statSync(out).mode & 0o777).toBe(0o600);
  const env = parseEnv(readFileSync(out, 'utf8'));
  expect(env).toEqual({
    KEYRACK_REGISTRATION_ENDPOINT: 'https://keyrack.office.lan:8443/oauth2/register',
    KEYRACK_ACTIVATION_CODE: created.code,
    KEYRACK_ACTIVATION_EXPIRES_AT: new Date(created.activation.expiresAt).toISOString(),
  });
  // The code in the file is the one that registers.
  await registerWith(env.KEYRACK_ACTIVATION_CODE!, 'Gamma CRM');
  expect((await ok<ActivationInfo[]>(['activations', 'list'])).find((a) => a.name === 'Gamma')).toMatchObject({ registrationsUsed: 1 });

  const taken = await keyrack(data, ['activations', 'create', 'Delta', '--group', 'Website', '--out', out]);
  expect(taken.code).not.toBe(0);
  expect(taken.stderr).toContain(`${out} already exists`);
  expect((await ok<ActivationInfo[]>(['activations', 'list'])).map((a) => a.name)).not.toContain('Delta');
  const badFormat = await keyrack(data, ['activations', 'create', 'Delta', '--out', join(data, 'x'), '--format', 'yaml']);
  expect(badFormat.stderr).toContain('--format: "yaml" is not json or env');

  const json = join(data, 'vendor.json');
  const second = await ok<ActivationCreated>(['activations', 'create', 'Delta', '--group', 'Website', '--out', json]);
  expect(JSON.parse(readFileSync(json, 'utf8'))).toMatchObject({ initial_access_token: second.code });
});
