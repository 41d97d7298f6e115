import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { thisComputerOnlyWarning } from '../../electron/cli/commands/credentials.js';
import type { CredentialFileDocument } from '../../shared/credential-files.dto.js';
import { isLoopbackHost, UNKNOWN_SERVER_ADDRESS } from '../../electron/credentials/endpoints.js';
import { headlessKeyWrapper } from '../../electron/crypto/key-wrap.js';
import { createTokenServerHost } from '../../electron/token-server/host.js';
import { keyrack } from '../support/cli.js';
import { makeCore, tempDir } from '../support/core.js';
import { TEST_TUNING } from '../token-server/support.js';

let data: string;
beforeEach(async () => {
  data = tempDir('keyrack-cred-cli-');
  expect((await keyrack(data, ['rights', 'add-resource', 'properties', '--action', 'read'])).code).toBe(0);
  expect((await keyrack(data, ['groups', 'create', 'Website', '--right', 'properties:read'])).code).toBe(0);
  expect((await keyrack(data, ['mailboxes', 'create', 'info@example.com', '--display-name', 'Info'])).code).toBe(0);
  const created = await keyrack(data, ['api-users', 'create', '--name', 'CRM Sync', '--group', 'Website', '--mailbox', 'info@example.com']);
  expect(created.code).toBe(0);
  // Where integrators reach the server; without it (and with no server running) an export is refused.
  expect((await keyrack(data, ['server', 'settings', 'set', '--issuer', 'http://keyrack.office.test:8080'])).code).toBe(0);
});
const noIssuer = async () => expect((await keyrack(data, ['server', 'settings', 'set', '--issuer', 'none'])).code).toBe(0);
afterEach(() => rmSync(data, { recursive: true, force: true }));

const PASS = 'a long office passphrase\n';

describe('keyrack credentials', () => {
  test('export writes a 0600 JSON file without a secret and says so; open prints it', async () => {
    const file = join(data, 'crm.json');
    const exported = await keyrack(data, ['credentials', 'export', 'CRM Sync', '--out', file]);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain(`Wrote ${file} (json, mode 0600)`);
    expect(exported.stdout).toContain('It holds no client secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const doc = JSON.parse(readFileSync(file, 'utf8')) as CredentialFileDocument;
    expect(doc).toMatchObject({
      type: 'keyrack_api_user',
      client_id: 'keyrack-crm-sync',
      issuer: 'http://keyrack.office.test:8080',
      token_endpoint: 'http://keyrack.office.test:8080/oauth2/token',
      scopes: ['properties:read'],
      mailboxes: ['info@example.com'],
    });
    expect(doc).not.toHaveProperty('ca_certificate');
    expect(doc).not.toHaveProperty('client_secret');

    const opened = await keyrack(data, ['credentials', 'open', file]);
    expect(opened.code).toBe(0);
    expect(opened.stdout).toMatch(/Client id:\s+keyrack-crm-sync/);
    expect(opened.stdout).toMatch(/Client secret:\s+\(not in this file\)/);
    expect(opened.stdout).toContain('Keyrack shows a secret only once');
    expect(JSON.parse((await keyrack(data, ['credentials', 'open', file, '--json'])).stdout)).toEqual(doc);

    const log = JSON.parse((await keyrack(data, ['log', '--json'])).stdout) as { type: string; details: Record<string, unknown> }[];
    expect(log.find((e) => e.type === 'credentials.exported')!.details).toMatchObject({ format: 'json', encrypted: false, containsSecret: false, path: file });

    const refused = await keyrack(data, ['credentials', 'export', 'CRM Sync', '--out', file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('already exists');
    expect((await keyrack(data, ['credentials', 'export', 'CRM Sync', '--out', file, '--force'])).code).toBe(0);
  });

  test('no issuer set and no server running: refused with what to do, and no file', async () => {
    await noIssuer();
    const file = join(data, 'crm.json');
    const refused = await keyrack(data, ['credentials', 'export', 'CRM Sync', '--out', file]);
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    expect(refused.stderr).toBe(`error: ${UNKNOWN_SERVER_ADDRESS}\n`);
    expect(existsSync(file)).toBe(false);
  });

  test("a running server's real URL (not the stored port), and on every interface an https URL with the CA", async () => {
    await noIssuer();
    const core = makeCore(data);
    const host = (options: { host?: string }) =>
      createTokenServerHost({ core, dataDir: data, keyWrapper: headlessKeyWrapper(data, {}), port: 0, tuning: TEST_TUNING, auditWriter: 'inline', ...options });
    // As `keyrack serve --port 18443` would: the port is an override, the stored setting stays 8443.
    const loopback = host({});
    try {
      const status = await loopback.start();
      expect(status.listening!.port).not.toBe(8443);
      const file = join(data, 'loopback.json');
      const exported = await keyrack(data, ['credentials', 'export', 'CRM Sync', '--out', file]);
      expect(exported.code).toBe(0);
      const doc = JSON.parse(readFileSync(file, 'utf8')) as CredentialFileDocument;
      expect(doc).toMatchObject({ issuer: status.issuer, token_endpoint: `${status.issuer}/oauth2/token` });
      // Issue 13: said as the app's export dialog says it, with the way out.
      expect(exported.stderr).toBe(`${thisComputerOnlyWarning(doc.token_endpoint)}\n`);
      expect(exported.stderr).toContain('--lan-access on');
      expect(doc).not.toHaveProperty('ca_certificate');
    } finally {
      await loopback.stop();
    }
    // As `keyrack serve --host 0.0.0.0`: TLS with Keyrack's CA, on the machine's LAN address.
    const everywhere = host({ host: '0.0.0.0' });
    try {
      const status = await everywhere.start();
      expect(status.tls).toBe(true);
      const file = join(data, 'lan.json');
      const exported = await keyrack(data, ['credentials', 'export', 'CRM Sync', '--out', file]);
      expect(exported.code).toBe(0);
      const doc = JSON.parse(readFileSync(file, 'utf8')) as CredentialFileDocument;
      expect(doc.issuer).toBe(status.issuer);
      // A machine with no LAN address names loopback even here, and is then warned too.
      expect(exported.stderr.includes('only this computer reaches')).toBe(isLoopbackHost(new URL(doc.issuer).hostname));
      expect(doc.issuer).toMatch(/^https:/);
      expect(doc.ca_certificate).toBe(status.caCertPem);
    } finally {
      await everywhere.stop();
      core.close();
    }
  });

  test('an encrypted .env export opens with the passphrase from stdin, and a wrong one fails with exit 1', async () => {
    const file = join(data, 'crm.env.encrypted');
    const exported = await keyrack(data, ['credentials', 'export', 'keyrack-crm-sync', '--out', file, '--format', 'env', '--passphrase-stdin'], PASS);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('encrypted with your passphrase');
    const envelope = JSON.parse(readFileSync(file, 'utf8')) as { type: string; content: string; N: number };
    expect(envelope).toMatchObject({ type: 'keyrack_encrypted', content: 'env', N: 2 ** 17 });
    expect(readFileSync(file, 'utf8')).not.toContain('keyrack-crm-sync');

    const opened = await keyrack(data, ['credentials', 'open', file, '--passphrase-stdin', '--json'], PASS);
    expect(opened.code).toBe(0);
    expect(JSON.parse(opened.stdout)).toMatchObject({ client_id: 'keyrack-crm-sync', scopes: ['properties:read'] });

    const wrong = await keyrack(data, ['credentials', 'open', file, '--passphrase-stdin'], 'not the passphrase\n');
    expect(wrong).toMatchObject({ code: 1, stdout: '' });
    expect(wrong.stderr).toBe('error: The passphrase is wrong, or the file was changed after it was encrypted.\n');

    const tampered = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    tampered.ciphertext = `A${tampered.ciphertext!.slice(1)}` === tampered.ciphertext ? `B${tampered.ciphertext!.slice(1)}` : `A${tampered.ciphertext!.slice(1)}`;
    writeFileSync(join(data, 'tampered'), JSON.stringify(tampered));
    const broken = await keyrack(data, ['credentials', 'open', join(data, 'tampered'), '--passphrase-stdin'], PASS);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('changed after it was encrypted');
  });

  test('an encrypted file without a terminal or --passphrase-stdin asks for one', async () => {
    const file = join(data, 'crm.json.encrypted');
    expect((await keyrack(data, ['credentials', 'export', 'CRM Sync', '--out', file, '--passphrase-stdin'], PASS)).code).toBe(0);
    const opened = await keyrack(data, ['credentials', 'open', file]);
    expect(opened.code).toBe(2);
    expect(opened.stderr).toContain('--passphrase-stdin');
  });

  test('bad input: unknown user, unknown format, short passphrase, not a credential file', async () => {
    expect((await keyrack(data, ['credentials', 'export', 'Nobody', '--out', join(data, 'x')])).code).toBe(1);
    expect((await keyrack(data, ['credentials', 'export', 'CRM Sync', '--out', join(data, 'x'), '--format', 'xml'])).code).toBe(2);
    const short = await keyrack(data, ['credentials', 'export', 'CRM Sync', '--out', join(data, 'x'), '--passphrase-stdin'], 'short\n');
    expect(short).toMatchObject({ code: 2, stderr: expect.stringContaining('at least 12 characters') });
    writeFileSync(join(data, 'other.json'), '{"hello": "world"}');
    const notOurs = await keyrack(data, ['credentials', 'open', join(data, 'other.json')]);
    expect(notOurs.code).toBe(2);
    expect(notOurs.stderr).toContain('not a Keyrack credential file');
    expect((await keyrack(data, ['credentials', 'open', join(data, 'missing')])).stderr).toContain('cannot read');
  });
});

describe('a credential file with the secret, from the commands that make one (--out)', () => {
  test('api-users create --out writes the new secret into a 0600 file that opens with it; the export is logged', async () => {
    const file = join(data, 'newsletter.json');
    const created = await keyrack(data, ['api-users', 'create', '--name', 'Newsletter', '--group', 'Website', '--out', file, '--json']);
    expect(created.code).toBe(0);
    const out = JSON.parse(created.stdout) as { secret: string; clientId: string; file: { path: string; containsSecret: boolean } };
    expect(out.file).toMatchObject({ path: file, containsSecret: true });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as CredentialFileDocument;
    expect(doc).toMatchObject({ client_id: 'keyrack-newsletter', client_secret: out.secret, token_endpoint: 'http://keyrack.office.test:8080/oauth2/token' });
    const log = JSON.parse((await keyrack(data, ['log', '--json'])).stdout) as { type: string; details: Record<string, unknown> }[];
    expect(log.find((e) => e.type === 'credentials.exported')!.details).toMatchObject({ containsSecret: true, path: file });
  });

  test('secrets rotate --out writes the new secret, in .env with a passphrase', async () => {
    const file = join(data, 'crm.env');
    const rotated = await keyrack(data, ['secrets', 'rotate', 'CRM Sync', '--secret', '1', '--out', file, '--format', 'env', '--passphrase-stdin', '--json'], PASS);
    expect(rotated.code).toBe(0);
    const out = JSON.parse(rotated.stdout) as { secret: string; file: { encrypted: boolean; containsSecret: boolean } };
    expect(out.file).toMatchObject({ encrypted: true, containsSecret: true });
    const opened = await keyrack(data, ['credentials', 'open', file, '--passphrase-stdin', '--json'], PASS);
    expect(JSON.parse(opened.stdout)).toMatchObject({ client_id: 'keyrack-crm-sync', client_secret: out.secret });
  });

  test('a file that cannot be written is refused before anything is created', async () => {
    const taken = join(data, 'taken.json');
    writeFileSync(taken, 'somebody else\'s file');
    const refused = await keyrack(data, ['api-users', 'create', '--name', 'Nightly export', '--out', taken]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${taken} already exists`);
    await noIssuer();
    const unknown = await keyrack(data, ['api-users', 'create', '--name', 'Nightly export', '--out', join(data, 'n.json')]);
    expect(unknown).toMatchObject({ code: 1, stderr: `error: ${UNKNOWN_SERVER_ADDRESS}\n` });
    const users = JSON.parse((await keyrack(data, ['api-users', 'list', '--json'])).stdout) as { rows?: { name: string }[] } | { name: string }[];
    const names = (Array.isArray(users) ? users : (users.rows ?? [])).map((u) => u.name);
    expect(names).not.toContain('Nightly export');
    expect(readFileSync(taken, 'utf8')).toBe('somebody else\'s file');
  });
});
