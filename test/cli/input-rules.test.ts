import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { tempDir } from '../support/core.js';
import { keyrack } from '../support/cli.js';

/** Issue 17: what the CLI refuses that an attacker (or a typo) would try. */

let data: string;
beforeEach(async () => {
  data = tempDir('keyrack-cli-rules-');
  expect((await keyrack(data, ['init', '--name', 'alice', '--password-stdin'], 'correct horse battery')).code).toBe(0);
});
afterEach(() => rmSync(data, { recursive: true, force: true }));

describe('Administrators is for people', () => {
  test('api-users create --group Administrators is refused, and no API user is created', async () => {
    const run = await keyrack(data, ['api-users', 'create', '--name', 'AdminTry', '--group', 'Administrators']);
    expect(run).toMatchObject({ code: 2, stderr: expect.stringContaining('AdminTry is an API user; Administrators is for people') });
    expect((await keyrack(data, ['api-users', 'show', 'AdminTry'])).code).toBe(1);
  });
});

describe('dates and durations', () => {
  test('an expiry beyond a hundred years is refused before it is stored, so show and export never meet it', async () => {
    const far = await keyrack(data, ['api-users', 'create', '--name', 'Far', '--expires', '99999999d']);
    expect(far).toMatchObject({ code: 2, stderr: expect.stringContaining('--expires: "99999999d" is more than 100 years') });
    expect(far.stderr).not.toMatch(/RangeError|\n\s+at /);
    const farDate = await keyrack(data, ['api-users', 'create', '--name', 'Far', '--expires', '2999-01-01']);
    expect(farDate).toMatchObject({ code: 2, stderr: expect.stringContaining('is more than 100 years from now') });
    expect((await keyrack(data, ['api-users', 'show', 'Far'])).code).toBe(1);

    expect((await keyrack(data, ['api-users', 'create', '--name', 'Near', '--expires', '36500d'])).code).toBe(0);
    expect(await keyrack(data, ['api-users', 'show', 'Near'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/Expires:\s+21\d\d-/) });
    const secret = await keyrack(data, ['secrets', 'add', 'Near', '--label', 'later', '--expires', '99999999d']);
    expect(secret).toMatchObject({ code: 2, stderr: expect.stringContaining('more than 100 years') });
  });

  test('an impossible date is refused, not rolled over to next month', async () => {
    const feb30 = await keyrack(data, ['api-users', 'create', '--name', 'Feb', '--expires', '2027-02-30']);
    expect(feb30).toMatchObject({ code: 2, stderr: expect.stringContaining('--expires: 2027-02-30 is not a date: February 2027 has 28 days') });
    expect((await keyrack(data, ['api-users', 'show', 'Feb'])).code).toBe(1);
    const since = await keyrack(data, ['log', '--since', '2026-02-31']);
    expect(since).toMatchObject({ code: 2, stderr: expect.stringContaining('--since: 2026-02-31 is not a date: February 2026 has 28 days') });
    expect((await keyrack(data, ['log', '--since', '2026-02-28', '--json'])).code).toBe(0);
  });
});

describe('names and text', () => {
  test('a name with a right-to-left override or a zero-width space is refused', async () => {
    const rlo = await keyrack(data, ['api-users', 'create', '--name', 'crm\u202egnp.exe']);
    expect(rlo).toMatchObject({ code: 2, stderr: expect.stringContaining('Name cannot contain invisible or text-direction characters (it has U+202E)') });
    const zwsp = await keyrack(data, ['groups', 'create', 'Web\u200bsite']);
    expect(zwsp).toMatchObject({ code: 2, stderr: expect.stringContaining('U+200B') });
    expect(JSON.parse((await keyrack(data, ['api-users', 'list', '--json'])).stdout)).toMatchObject({ total: 0 });
  });

  test('an argument that was not UTF-8 (Node hands it over with U+FFFD) is refused before anything runs', async () => {
    const run = await keyrack(data, ['api-users', 'create', '--name', 'CRM\ufffd']);
    expect(run).toMatchObject({ code: 2, stderr: 'error: argument 4 ("CRM\ufffd") is not valid UTF-8 text; set the terminal or the script that feeds Keyrack to UTF-8\n' });
    expect(JSON.parse((await keyrack(data, ['api-users', 'list', '--json'])).stdout)).toMatchObject({ total: 0 });
  });

  test('the built executable refuses real invalid bytes in argv', () => {
    // Needs `npx tsc -b`. The shell passes the byte 0xFF as is; Node decodes it to U+FFFD.
    const run = spawnSync('sh', ['-c', `"${process.execPath}" bin/keyrack.js api-users create --name "$(printf 'CRM\\377')"`], {
      encoding: 'utf8',
      env: { ...process.env, KEYRACK_DATA: data },
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('argument 4 ("CRM\ufffd") is not valid UTF-8 text');
  });

  test('a password on stdin that is not UTF-8 is refused, not stored as U+FFFD', async () => {
    const fresh = tempDir('keyrack-cli-rules-');
    try {
      const bytes = Buffer.concat([Buffer.from('correct horse '), Buffer.from([0xff, 0xfe]), Buffer.from(' battery')]);
      expect(await keyrack(fresh, ['init', '--name', 'bob', '--password-stdin'], bytes)).toMatchObject({
        code: 2,
        stderr: expect.stringContaining('standard input is not valid UTF-8 text'),
      });
      // Nothing was set up: a valid password still can be.
      expect((await keyrack(fresh, ['init', '--name', 'bob', '--password-stdin'], 'correct horse battery')).code).toBe(0);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
