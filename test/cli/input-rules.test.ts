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
