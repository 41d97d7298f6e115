import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parseInputOf } from '../../shared/contract.js';
import type { CredentialFileDocument } from '../../shared/credential-files.dto.js';
import { writeCredentialFileInput } from '../../shared/credential-files.schemas.js';
import { ConflictError, ForbiddenError, ValidationError } from '../../shared/errors.js';
import { parseCredentialDocument } from '../../electron/credentials/credential-file-format.js';
import { decryptWithPassphrase } from '../../electron/credentials/passphrase-envelope.js';
import type { Actor } from '../../electron/services/context.js';
import { CredentialFilesService, type TokenServerEndpoints } from '../../electron/services/credential-files.js';
import { coreWithAdmin, inPromise, tempDir, type TestCore } from '../support/core.js';
import { events, powerlessPerson, seedCatalogue } from '../support/fixtures.js';
import { parseInput } from '../../shared/validate.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIQ\n-----END CERTIFICATE-----\n';
const DAY = 86_400_000;

let core: TestCore;
let admin: Actor;
let out: string;
let endpoints: TokenServerEndpoints;
let service: CredentialFilesService;
let userId: number;
let secret: string;
let secretId: number;

beforeEach(async () => {
  ({ core, admin } = await coreWithAdmin());
  out = tempDir('keyrack-export-');
  endpoints = { issuer: 'https://keyrack.office.test:8443', tokenEndpoint: 'https://keyrack.office.test:8443/oauth2/token', caCertificate: CA };
  service = new CredentialFilesService(core.deps, () => endpoints);
  const seeded = await seedCatalogue(core, admin);
  const created = await core.users.createApiUser(admin, parseInputOf('users.createApiUser', {
    name: 'CRM Sync',
    groupIds: [seeded.group.id],
    mailboxIds: [seeded.mailbox.id],
    expiresAt: core.clock.now() + 300 * DAY,
  }));
  userId = created.user.id;
  secret = created.secret;
  secretId = created.secretInfo.id;
});
afterEach(() => {
  core.cleanup();
  rmSync(out, { recursive: true, force: true });
});

const exportEvents = () => events(core).filter((e) => e.type === 'credentials.exported');

describe('render', () => {
  test('at creation: the secret, rights, mailboxes, endpoints and CA, and one audit event without the content', async () => {
    const file = await service.render(admin, { userId, secret, format: 'json' });
    expect(file).toMatchObject({ fileName: 'keyrack-crm-sync.json', format: 'json', encrypted: false, containsSecret: true, mediaType: 'application/json' });
    const doc = JSON.parse(file.content) as CredentialFileDocument;
    expect(doc).toEqual({
      type: 'keyrack_api_user',
      version: 1,
      name: 'CRM Sync',
      client_id: 'keyrack-crm-sync',
      client_secret: secret,
      issuer: endpoints.issuer,
      token_endpoint: endpoints.tokenEndpoint,
      scopes: ['mail:send', 'properties:read'],
      mailboxes: ['info@example.com'],
      ca_certificate: CA,
      created_at: new Date(core.clock.now()).toISOString(),
      expires_at: new Date(core.clock.now() + 300 * DAY).toISOString(),
    });

    const [event, ...more] = exportEvents();
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      actorName: 'alice',
      targetName: 'CRM Sync',
      outcome: 'success',
      details: { format: 'json', encrypted: false, containsSecret: true, secretId, fileName: 'keyrack-crm-sync.json' },
    });
    const everything = JSON.stringify(core.db.prepare('SELECT * FROM audit_events').all());
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain('BEGIN CERTIFICATE');
  });

  test('a re-export without the secret says so, and the event records that it held none', async () => {
    endpoints = { ...endpoints, caCertificate: null };
    const file = await service.render(admin, { userId, format: 'env' });
    expect(file).toMatchObject({ fileName: 'keyrack-crm-sync.env', containsSecret: false, mediaType: 'text/plain' });
    expect(file.content).not.toContain('KEYRACK_CLIENT_SECRET=');
    expect(file.content).toContain('holds no client secret');
    expect(file.content).not.toContain('KEYRACK_CA_CERTIFICATE');
    const doc = parseCredentialDocument(file.content, 'env');
    expect(doc.client_secret).toBeUndefined();
    expect(doc.note).toMatch(/only once/);
    expect(exportEvents()[0]!.details).toMatchObject({ format: 'env', containsSecret: false, secretId: null });
  });

  test('expires_at is the earlier of the secret\'s and the account\'s expiry', async () => {
    const rotated = await core.secrets.rotate(admin, { userId, secretId, graceUntil: core.clock.now() + DAY, expiresAt: core.clock.now() + 30 * DAY });
    const newest = JSON.parse((await service.render(admin, parseInputOf('credentials.export', { userId, secret: rotated.secret }))).content) as CredentialFileDocument;
    expect(newest.expires_at).toBe(new Date(core.clock.now() + 30 * DAY).toISOString());
    const old = JSON.parse((await service.render(admin, parseInputOf('credentials.export', { userId, secret }))).content) as CredentialFileDocument;
    expect(old.expires_at).toBe(new Date(core.clock.now() + DAY).toISOString());
  });

  test('encrypted with a passphrase: only the passphrase opens it', async () => {
    const file = await service.render(admin, { userId, secret, format: 'env', passphrase: 'a long office passphrase' });
    expect(file).toMatchObject({ fileName: 'keyrack-crm-sync.env.encrypted', encrypted: true, containsSecret: true, mediaType: 'application/json' });
    expect(file.content).not.toContain(secret);
    const opened = await decryptWithPassphrase(file.content, 'a long office passphrase');
    expect(opened.content).toBe('env');
    expect(parseCredentialDocument(opened.plaintext, 'env').client_secret).toBe(secret);
    expect(exportEvents()[0]!.details).toMatchObject({ encrypted: true, containsSecret: true });
    expect(JSON.stringify(events(core))).not.toContain('a long office passphrase');
  });

  test('a secret that is not live for this user is refused, and the refusal is logged', async () => {
    const other = await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'Other' }));
    const refusal = await service.render(admin, parseInputOf('credentials.export', { userId, secret: other.secret })).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ValidationError);
    expect((refusal as ValidationError).fields).toEqual({ secret: expect.stringMatching(/not a live secret of CRM Sync/) });
    expect(exportEvents()[0]).toMatchObject({ outcome: 'failure', reason: 'secret_not_live', targetName: 'CRM Sync' });

    await core.secrets.revoke(admin, { userId, secretId });
    await expect(service.render(admin, parseInputOf('credentials.export', { userId, secret }))).rejects.toBeInstanceOf(ValidationError);
    expect(JSON.stringify(events(core))).not.toContain(secret);
  });

  test.each([
    ['an unknown format', { format: 'xml' }, 'format'],
    ['a short passphrase', { passphrase: 'short' }, 'passphrase'],
    ['something that is not a secret', { secret: 'hunter2' }, 'secret'],
    ['an extra field', { content: 'x' }, ''],
  ])('refuses %s', async (_what, extra, field) => {
    const error = await inPromise(() => service.render(admin, parseInputOf('credentials.export', { userId, ...extra }))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    if (field) expect(Object.keys((error as ValidationError).fields ?? {})).toContain(field);
    expect(exportEvents()).toEqual([]);
  });

  test('persons have no credential files; people without users.manage cannot export', async () => {
    const person = await powerlessPerson(core, admin);
    const personId = (person as { userId: number }).userId;
    await expect(service.render(admin, parseInputOf('credentials.export', { userId: personId }))).rejects.toThrow(/only API users/);
    await expect(service.render(person, parseInputOf('credentials.export', { userId }))).rejects.toBeInstanceOf(ForbiddenError);
    expect(exportEvents()).toMatchObject([{ outcome: 'failure', reason: 'forbidden', actorName: 'bob' }]);
  });
});

describe('writeFile', () => {
  test('writes atomically with mode 0600, logs the path, and never overwrites unless asked', async () => {
    const path = join(out, 'crm.json');
    const written = await service.writeFile(admin, parseInput(writeCredentialFileInput, { userId, secret, path }));
    expect(written).toEqual({
      path,
      fileName: 'keyrack-crm-sync.json',
      format: 'json',
      encrypted: false,
      containsSecret: true,
      mediaType: 'application/json',
    });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(out)).toEqual(['crm.json']);
    expect((JSON.parse(readFileSync(path, 'utf8')) as CredentialFileDocument).client_secret).toBe(secret);
    expect(exportEvents()[0]!.details).toMatchObject({ path, containsSecret: true });

    const again = await service.writeFile(admin, parseInput(writeCredentialFileInput, { userId, path })).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ConflictError);
    expect((JSON.parse(readFileSync(path, 'utf8')) as CredentialFileDocument).client_secret).toBe(secret);
    await service.writeFile(admin, parseInput(writeCredentialFileInput, { userId, path, overwrite: true }));
    expect((JSON.parse(readFileSync(path, 'utf8')) as CredentialFileDocument).client_secret).toBeUndefined();
    expect(exportEvents()).toHaveLength(2);
  });

  test('a write that fails is not logged as an export', async () => {
    await expect(service.writeFile(admin, parseInput(writeCredentialFileInput, { userId, path: join(out, 'missing', 'crm.json') }))).rejects.toThrow(/ENOENT/);
    expect(exportEvents()).toEqual([]);
  });
});
