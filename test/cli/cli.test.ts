import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { tempDir } from '../support/core.js';
import { keyrack } from '../support/cli.js';

let data: string;
beforeEach(() => {
  data = tempDir('keyrack-cli-');
});
afterEach(() => rmSync(data, { recursive: true, force: true }));

const json = <T>(text: string) => JSON.parse(text) as T;

describe('keyrack CLI, end to end in a temp folder', () => {
  test('init, catalogue, group, mailbox, API user with all of it, rotate, read the log back as JSON', async () => {
    expect(await keyrack(data, ['init', '--name', 'alice', '--password-stdin'], 'correct horse battery\n')).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('alice is its first administrator'),
    });
    expect((await keyrack(data, ['rights', 'add-resource', 'properties', '--action', 'read', '--action', 'write', '--filter', 'published_only'])).code).toBe(0);
    expect((await keyrack(data, ['groups', 'create', 'Website', '--right', 'properties:read'])).code).toBe(0);
    expect((await keyrack(data, ['mailboxes', 'create', 'info@example.com', '--display-name', 'Info'])).code).toBe(0);

    const created = await keyrack(data, [
      'api-users', 'create', '--name', 'CRM Sync', '--description', 'Nightly import', '--group', 'Website',
      '--mailbox', 'info@example.com', '--allow', '192.168.1.0/24', '--allow', 'aws', '--expires', '2099-01-31', '--json',
    ]);
    expect(created.code).toBe(0);
    const user = json<{ clientId: string; secret: string; user: { id: number; allowlist: unknown; groups: unknown; mailboxes: unknown } }>(created.stdout);
    expect(user.clientId).toBe('keyrack-crm-sync');
    expect(user.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(user.user.allowlist).toEqual([
      { kind: 'cidr', entry: '192.168.1.0/24' },
      { kind: 'provider', entry: 'AWS' },
    ]);

    const shown = await keyrack(data, ['api-users', 'show', 'keyrack-crm-sync']);
    expect(shown.stdout).toContain('Scopes:');
    expect(shown.stdout).toContain('properties:read');
    expect(shown.stdout).not.toContain(user.secret); // the secret is printed only where it is created

    const secrets = json<{ id: number; state: string }[]>((await keyrack(data, ['secrets', 'list', 'CRM Sync', '--json'])).stdout);
    expect(secrets).toMatchObject([{ state: 'live' }]);
    const rotated = await keyrack(data, ['secrets', 'rotate', 'CRM Sync', '--secret', String(secrets[0]!.id), '--grace', '7d', '--json']);
    expect(rotated.code).toBe(0);
    const newSecret = json<{ secret: string; clientId: string }>(rotated.stdout);
    expect(newSecret.secret).not.toBe(user.secret);
    const after = json<{ state: string; expiresAt: number | null }[]>((await keyrack(data, ['secrets', 'list', 'CRM Sync', '--json'])).stdout);
    expect(after.map((s) => s.state)).toEqual(['live', 'live']);
    expect(after[1]!.expiresAt).toBeGreaterThan(Date.now() + 6 * 86_400_000);

    const log = json<{ type: string; actorName: string; targetName: string | null }[]>(
      (await keyrack(data, ['log', '--user', 'CRM Sync', '--json'])).stdout,
    );
    expect(log.map((e) => e.type)).toEqual(['secret.rotated', 'secret.added', 'user.created']);
    expect(new Set(log.map((e) => e.actorName))).toEqual(new Set(['cli:tester']));
    const all = await keyrack(data, ['log', '--json']);
    expect(all.stdout).not.toContain(user.secret);
    expect(all.stdout).not.toContain(newSecret.secret);
  });

  test("secrets rotate keeps the old secret's expiry unless --expires says otherwise (never removes it)", async () => {
    await keyrack(data, ['init', '--name', 'alice', '--password-stdin'], 'correct horse battery');
    await keyrack(data, ['api-users', 'create', '--name', 'ERP']);
    const added = json<{ info: { id: number } }>((await keyrack(data, ['secrets', 'add', 'ERP', '--label', 'prod', '--expires', '2099-01-31', '--json'])).stdout);
    const expiry = Date.parse('2099-01-31');
    const kept = await keyrack(data, ['secrets', 'rotate', 'ERP', '--secret', String(added.info.id), '--json']);
    expect(kept.code).toBe(0);
    const keptInfo = json<{ info: { id: number; expiresAt: number | null } }>(kept.stdout).info;
    expect(keptInfo.expiresAt).toBe(expiry);
    const changed = json<{ info: { id: number; expiresAt: number | null } }>(
      (await keyrack(data, ['secrets', 'rotate', 'ERP', '--secret', String(keptInfo.id), '--expires', '2098-06-30', '--json'])).stdout,
    ).info;
    expect(changed.expiresAt).toBe(Date.parse('2098-06-30'));
    const never = json<{ info: { expiresAt: number | null } }>(
      (await keyrack(data, ['secrets', 'rotate', 'ERP', '--secret', String(changed.id), '--expires', 'never', '--json'])).stdout,
    ).info;
    expect(never.expiresAt).toBeNull();
  });

  test('human output is a table', async () => {
    await keyrack(data, ['init', '--name', 'alice', '--password-stdin'], 'correct horse battery');
    await keyrack(data, ['api-users', 'create', '--name', 'ERP']);
    const list = await keyrack(data, ['api-users', 'list']);
    expect(list.stdout.split('\n')[0]).toMatch(/^NAME\s+CLIENT ID\s+STATUS\s+GROUPS\s+LAST USED\s+SECRET EXPIRES$/);
    expect(list.stdout).toMatch(/ERP\s+keyrack-erp\s+active\s+-\s+never/);
  });

  test('exit codes: 2 for usage and bad values, 1 for failures, 0 for help', async () => {
    expect((await keyrack(data, [])).code).toBe(2);
    expect((await keyrack(data, ['--help'])).code).toBe(0);
    expect((await keyrack(data, ['api-users', 'create', '--help'])).code).toBe(0);
    expect((await keyrack(data, ['frobnicate'])).code).toBe(2);
    expect((await keyrack(data, ['api-users', 'create'])).stderr).toContain("required option '--name <name>' not specified");
    await keyrack(data, ['init', '--name', 'alice', '--password-stdin'], 'correct horse battery');
    const bad = await keyrack(data, ['api-users', 'create', '--name', 'X', '--allow', '010.0.0.1']);
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringContaining('allowlist.0: 010.0.0.1 is not an IPv4 address') });
    expect((await keyrack(data, ['api-users', 'create', '--name', 'X', '--expires', 'someday'])).code).toBe(2);
    expect((await keyrack(data, ['api-users', 'show', 'nobody'])).code).toBe(1);
    await keyrack(data, ['api-users', 'create', '--name', 'Y']);
    const dup = await keyrack(data, ['api-users', 'create', '--name', 'Y']);
    expect(dup).toMatchObject({ code: 1, stderr: expect.stringContaining('An account named Y already exists') });
    expect((await keyrack(data, ['api-users', 'delete', 'alice', '--yes'])).code).toBe(2); // a person, not an API user
  });

  test('init twice is refused; --password-stdin is required without a terminal', async () => {
    expect((await keyrack(data, ['init', '--name', 'alice'])).stderr).toContain('use --password-stdin');
    await keyrack(data, ['init', '--name', 'alice', '--password-stdin'], 'correct horse battery');
    expect(await keyrack(data, ['init', '--name', 'bob', '--password-stdin'], 'correct horse battery')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('already set up'),
    });
  });

  test('a damaged store is refused with a clear message', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${data}/keyrack.db`, 'not a database '.repeat(400));
    const run = await keyrack(data, ['api-users', 'list']);
    expect(run).toMatchObject({ code: 1, stderr: expect.stringMatching(/is damaged .*restore it from a backup/) });
  });

  test('an upgrade that rebuilds the log says so on stderr before it starts, then the command runs', async () => {
    const { default: Database } = await import('better-sqlite3');
    const { migrate } = await import('../../electron/db/migrate.js');
    const { migrations } = await import('../../electron/db/migrations/index.js');
    const old = new Database(`${data}/keyrack.db`);
    migrate(old, migrations.filter((m) => m.version <= 72));
    old.close();
    const run = await keyrack(data, ['api-users', 'list']);
    expect(run).toMatchObject({ code: 0, stderr: expect.stringMatching(/^Upgrading the store from schema 72 to \d+, once: it rebuilds the log's search index/) });
    expect((await keyrack(data, ['api-users', 'list'])).stderr).toBe(''); // once
  });

  test('the built executable runs under plain Node', () => {
    // Needs `npm run build` (npm test builds first); proves bin/keyrack.js and dist/ fit together.
    const out = execFileSync(process.execPath, ['bin/keyrack.js', '--help'], { encoding: 'utf8', env: { ...process.env, KEYRACK_DATA: data } });
    expect(out).toContain('Usage: keyrack');
  });
});
