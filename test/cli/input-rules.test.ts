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
