import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { keyrack } from '../support/cli.js';
import { makeCore, tempDir } from '../support/core.js';
import { parseInputOf } from '../../shared/contract.js';

/**
 * Plant known secrets and passwords through every path that handles them, then search the raw bytes of
 * every file in the data folder (the database, its WAL and shared memory) and everything printed.
 */
let data: string;
afterEach(() => rmSync(data, { recursive: true, force: true }));

function needles(secret: string): Buffer[] {
  const raw = Buffer.from(secret, 'base64url');
  return [Buffer.from(secret), raw, Buffer.from(raw.toString('hex')), Buffer.from(raw.toString('base64'))];
}

function filesContaining(dir: string, secrets: string[]): string[] {
  const hits: string[] = [];
  for (const name of readdirSync(dir)) {
    const bytes = readFileSync(join(dir, name));
    for (const secret of secrets) {
      if (needles(secret).some((n) => bytes.includes(n))) hits.push(`${name} contains ${secret.slice(0, 6)}…`);
    }
  }
  return hits;
}

test('no secret or password in the database file, its WAL, or any output', async () => {
  data = tempDir('keyrack-secrets-');
  const printed: string[] = [];
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' '))),
  );

  const password = 'planted-admin-password-123';
  const secrets: string[] = [];
  const init = await keyrack(data, ['init', '--name', 'alice', '--password-stdin'], password);
  expect(init.code).toBe(0);
  const created = JSON.parse((await keyrack(data, ['api-users', 'create', '--name', 'CRM', '--json'])).stdout) as { secret: string };
  secrets.push(created.secret);
  const rotated = JSON.parse((await keyrack(data, ['secrets', 'rotate', 'CRM', '--secret', '1', '--json'])).stdout) as { secret: string };
  secrets.push(rotated.secret);

  // The same through the services, leaving the connection open so the WAL still holds the pages.
  const core = makeCore(data);
  const session = await core.auth.login({ name: 'alice', password });
  const actor = { kind: 'person' as const, userId: session.userId, name: session.name };
  const added = await core.secrets.add(actor, { userId: 2, label: 'second' });
  secrets.push(added.secret);
  await core.auth.changePassword(actor, { currentPassword: password, newPassword: 'planted-new-password-456' });
  await core.auth.login({ name: 'alice', password: 'a wrong planted password' }).catch(() => {});
  // A reset by an administrator (the service) and from the CLI (people passwd): logged, never the password.
  const bob = await core.users.createPerson(actor, parseInputOf('users.createPerson', { name: 'bob', password: 'planted-bob-password-789' }));
  await core.users.resetPassword(actor, { id: bob.id, newPassword: 'planted-reset-password-012' });
  expect((await keyrack(data, ['people', 'passwd', 'bob', '--password-stdin'], 'planted-cli-password-345\n')).code).toBe(0);
  const reads = [
    await keyrack(data, ['api-users', 'show', 'CRM', '--json']),
    await keyrack(data, ['secrets', 'list', 'CRM', '--json']),
    await keyrack(data, ['log', '--json']),
    await keyrack(data, ['api-users', 'list']),
  ];

  expect(existsSync(join(data, 'keyrack.db-wal'))).toBe(true);
  const planted = [
    ...secrets,
    password,
    'planted-new-password-456',
    'a wrong planted password',
    'planted-bob-password-789',
    'planted-reset-password-012',
    'planted-cli-password-345',
  ];
  expect(filesContaining(data, planted.map((p) => (/^[A-Za-z0-9_-]{43}$/.test(p) ? p : Buffer.from(p).toString('base64url'))))).toEqual([]);
  for (const text of planted) {
    for (const name of readdirSync(data)) expect(readFileSync(join(data, name)).includes(Buffer.from(text)), `${name}`).toBe(false);
    for (const run of reads) expect(run.stdout + run.stderr).not.toContain(text);
    expect(printed.join('\n')).not.toContain(text);
  }
  core.close();
  // And after a checkpoint folds the WAL into the main file.
  for (const text of planted) {
    for (const name of readdirSync(data)) expect(readFileSync(join(data, name)).includes(Buffer.from(text))).toBe(false);
  }
  spies.forEach((s) => s.mockRestore());
});
