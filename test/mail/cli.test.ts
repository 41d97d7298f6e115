import { rmSync } from 'node:fs';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { keyrack } from '../support/cli.js';
import { tempDir } from '../support/core.js';

/** `keyrack mailboxes upstream|settings|test` and `keyrack mail queue|retry|drop|relay`, in-process. */

let data: string;
beforeEach(() => {
  data = tempDir('keyrack-mail-cli-');
});
afterEach(() => rmSync(data, { recursive: true, force: true }));

test('upstream set from stdin, shown only as set; settings; a failing test exits 1; relay settings; the queue', async () => {
  expect((await keyrack(data, ['mailboxes', 'create', 'info@example.com', '--display-name', 'Info'])).code).toBe(0);
  const set = await keyrack(data, ['mailboxes', 'upstream', 'set', 'default', '--host', '127.0.0.1', '--port', '1', '--user', 'relay-user', '--secret-stdin'], 'upstream-password\n');
  expect(set).toMatchObject({ code: 0, stdout: 'Default: upstream 127.0.0.1:1 (STARTTLS, password as relay-user, secret set).\n' });

  const shown = await keyrack(data, ['mailboxes', 'upstream', 'show', 'info@example.com']);
  expect(shown.code).toBe(0);
  expect(shown.stdout).toContain('Sends through:');
  expect(shown.stdout).toContain('127.0.0.1:1 (STARTTLS, password as relay-user, secret set) (the default)');
  expect(JSON.stringify(await keyrack(data, ['mailboxes', 'upstream', 'show', 'default', '--json']))).not.toContain('upstream-password');

  const settings = await keyrack(data, ['mailboxes', 'settings', 'info@example.com', '--reply-to', 'office@example.com', '--daily-limit', '200', '--json']);
  expect(JSON.parse(settings.stdout)).toMatchObject({ replyTo: 'office@example.com', dailyLimitPerUser: 200, effective: { dailyLimitPerUser: 200 } });
  expect((await keyrack(data, ['mailboxes', 'settings', 'info@example.com', '--daily-limit', 'lots'])).code).toBe(2);

  const tested = await keyrack(data, ['mailboxes', 'test', 'info@example.com']);
  expect(tested.code).toBe(1);
  expect(tested.stderr).toMatch(/Connection test failed: 127\.0\.0\.1:1: .*(ECONNREFUSED|ECONNECTION)/);

  const relay = await keyrack(data, ['mail', 'relay', '--enable', '--submission-port', '2525', '--implicit-port', 'off', '--json']);
  expect(JSON.parse(relay.stdout)).toMatchObject({ enabled: true, submissionPort: 2525, implicitTlsPort: null, ratePerMinute: 60 });
  expect((await keyrack(data, ['mail', 'relay'])).stdout).toMatch(/^Relay:\s+on \(starts with the token server\)$/m);

  expect(await keyrack(data, ['mail', 'queue'])).toMatchObject({ code: 0, stdout: 'The queue is empty.\n' });
  const retry = await keyrack(data, ['mail', 'retry', 'AAAAAAAAAAAAAAAAAAAAAA']);
  expect(retry.code).toBe(1);
  expect(retry.stderr).toContain('Message AAAAAAAAAAAAAAAAAAAAAA');
});
