import { rmSync } from 'node:fs';
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
