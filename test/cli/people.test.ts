import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openCore } from '../../electron/core.js';
import { keyrack } from '../support/cli.js';
import { tempDir } from '../support/core.js';

let data: string;
beforeEach(() => {
  data = tempDir('keyrack-cli-people-');
});
afterEach(() => rmSync(data, { recursive: true, force: true }));

async function login(name: string, password: string): Promise<string> {
  const core = openCore({ dataDir: data });
  try {
    return (await core.auth.login({ name, password })).name;
  } catch (error) {
    return (error as Error).message;
  } finally {
    core.close();
  }
}

describe('keyrack people passwd (issue 13 item 1)', () => {
  test('sets a forgotten password from --password-stdin; the log has the reset, never the password', async () => {
    await keyrack(data, ['init', '--name', 'alice', '--password-stdin'], 'correct horse battery\n');
    const done = await keyrack(data, ['people', 'passwd', 'alice', '--password-stdin'], 'a new long password\n');
    expect(done).toMatchObject({ code: 0, stdout: expect.stringContaining('The password of alice is changed') });
    expect(await login('alice', 'a new long password')).toBe('alice');
    expect(await login('alice', 'correct horse battery')).toBe('Wrong name or password');
    const log = await keyrack(data, ['log', '--json']);
    expect(log.stdout).toContain('user.password_reset');
    expect(log.stdout).not.toContain('a new long password');
  });

  test('asks at a terminal only; refuses an API user, an unknown name and a short password', async () => {
    await keyrack(data, ['init', '--name', 'alice', '--password-stdin'], 'correct horse battery');
    expect((await keyrack(data, ['people', 'passwd', 'alice'])).stderr).toContain('use --password-stdin');
    await keyrack(data, ['api-users', 'create', '--name', 'ERP']);
    expect(await keyrack(data, ['people', 'passwd', 'ERP', '--password-stdin'], 'a new long password')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('is an API user'),
    });
    expect((await keyrack(data, ['people', 'passwd', 'nobody', '--password-stdin'], 'a new long password')).code).toBe(1);
    expect(await keyrack(data, ['people', 'passwd', 'alice', '--password-stdin'], 'short')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('at least 12 characters'),
    });
    expect(await login('alice', 'correct horse battery')).toBe('alice');
  });
});

describe('keyrack api-users export / people export (the Users page export, issue 13 item 9)', () => {
  test('all of a kind, or those named, as the CSV file the app writes; an existing file is kept without --force', async () => {
    await keyrack(data, ['init', '--name', 'alice', '--password-stdin'], 'correct horse battery\n');
    const erp = await keyrack(data, ['api-users', 'create', '--name', 'ERP', '--allow', '192.0.2.7', '--json']);
    const { clientId, secret } = JSON.parse(erp.stdout) as { clientId: string; secret: string };
    await keyrack(data, ['api-users', 'create', '--name', 'CRM']);
    const out = join(data, 'api-users.csv');

    const all = await keyrack(data, ['api-users', 'export', '--out', out]);
    expect(all).toMatchObject({ code: 0, stdout: `Wrote ${out} (2 API user(s), mode 0600).\n` });
    const text = readFileSync(out, 'utf8');
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(text).not.toContain(secret);
    const rows = text.slice(1).trimEnd().split('\r\n').map((line) => line.split(','));
    expect(rows.map((r) => [r[0], r[1], r[3], r[9]])).toEqual([
      ['name', 'kind', 'client_id', 'allowlist'],
      ['CRM', 'api', expect.stringMatching(/^keyrack-/), ''],
      ['ERP', 'api', clientId, '192.0.2.7'],
    ]);

    expect(await keyrack(data, ['api-users', 'export', 'ERP', '--out', out])).toMatchObject({ code: 1, stderr: expect.stringContaining('already exists') });
    expect(readFileSync(out, 'utf8')).toBe(text);
    expect(await keyrack(data, ['api-users', 'export', 'ERP', '--out', out, '--force', '--json'])).toMatchObject({ code: 0 });
    expect(readFileSync(out, 'utf8').trimEnd().split('\r\n')).toHaveLength(2);

    expect(await keyrack(data, ['api-users', 'export', 'alice', '--out', out, '--force'])).toMatchObject({ code: 2, stderr: expect.stringContaining('is a person') });
    const people = join(data, 'people.csv');
    expect(await keyrack(data, ['people', 'export', '--out', people])).toMatchObject({ code: 0 });
    expect(readFileSync(people, 'utf8')).toContain('\r\nalice,person,');

    const log = JSON.parse((await keyrack(data, ['log', '--type', 'user.exported', '--json'])).stdout) as { details: { count: number } }[];
    expect(log.map((r) => r.details.count)).toEqual([1, 1, 2]);
  });
});
