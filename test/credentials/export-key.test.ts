import { spawnSync } from 'node:child_process';
import { createPrivateKey, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importJWK, importPKCS8, SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parseCredentialDocument } from '../../electron/credentials/credential-file-format.js';
import { headlessKeyWrapper } from '../../electron/crypto/key-wrap.js';
import { cliActor } from '../../electron/services/context.js';
import { CredentialFilesService } from '../../electron/services/credential-files.js';
import { createTokenServerHost } from '../../electron/token-server/host.js';
import type { CredentialFileDocument } from '../../shared/credential-files.dto.js';
import { writeKeyCredentialFileInput } from '../../shared/credential-files.schemas.js';
import { parseInput } from '../../shared/validate.js';
import { keyrack } from '../support/cli.js';
import { makeCore, tempDir } from '../support/core.js';
import { TEST_TUNING } from '../token-server/support.js';

/**
 * `keyrack credentials export --key` (issue 11): a new key pair, only the public half registered, the private
 * half only in the file; the file signs a client assertion that a running token server accepts.
 */

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const PASS = 'a long office passphrase\n';

let data: string;
let out: string;
beforeEach(async () => {
  data = tempDir('keyrack-export-key-');
  // Exported files go outside the data folder, so a scan of the data folder sees only the store and its log.
  out = tempDir('keyrack-export-key-out-');
  expect((await keyrack(data, ['rights', 'add-resource', 'properties', '--action', 'read'])).code).toBe(0);
  expect((await keyrack(data, ['groups', 'create', 'Website', '--right', 'properties:read'])).code).toBe(0);
  expect((await keyrack(data, ['api-users', 'create', '--name', 'CRM Sync', '--group', 'Website'])).code).toBe(0);
  expect((await keyrack(data, ['server', 'settings', 'set', '--issuer', 'http://keyrack.office.test:8080'])).code).toBe(0);
});
afterEach(() => {
  rmSync(data, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});

type ClientKeyRow = { kid: string; alg: string; label: string; state: string; publicJwk: Record<string, unknown> };
const clientKeys = async () => {
  const listed = await keyrack(data, ['keys', 'list-client', 'CRM Sync', '--json']);
  expect(listed.code).toBe(0);
  return JSON.parse(listed.stdout) as ClientKeyRow[];
};
type LogEvent = { type: string; outcome: string; details: Record<string, unknown> };
const log = async () => JSON.parse((await keyrack(data, ['log', '--json'])).stdout) as LogEvent[];

/** Every file of the data folder (the store, its WAL, the log), as bytes. */
function dataFolderBytes(dir = data): Buffer[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? dataFolderBytes(join(dir, entry.name)) : [readFileSync(join(dir, entry.name))],
  );
}

/** The private key in every spelling it could leak in: base64url and base64 `d`, its raw bytes, its PKCS#8 DER. */
function expectNowhereInStore(privateJwk: Record<string, unknown>) {
  const d = String(privateJwk.d);
  const der = createPrivateKey({ key: { ...privateJwk, kid: undefined, alg: undefined, use: undefined } as never, format: 'jwk' })
    .export({ type: 'pkcs8', format: 'der' });
  const raw = Buffer.from(d, 'base64url');
  const needles = [Buffer.from(d), raw, Buffer.from(raw.toString('base64')), der];
  const files = dataFolderBytes();
  expect(files.length).toBeGreaterThan(0);
  for (const bytes of files) for (const needle of needles) expect(bytes.includes(needle)).toBe(false);
}

describe('keyrack credentials export --key', () => {
  test('round trip: export, read the file, sign an assertion with jose, get a token from the running server', async () => {
    // The file names the running server's own URL (no issuer set), which this test reaches.
    expect((await keyrack(data, ['server', 'settings', 'set', '--issuer', 'none'])).code).toBe(0);
    const core = makeCore(data);
    core.clock.set(Date.now()); // the server checks the assertion's exp against this clock; jose signs with the real one
    const host = createTokenServerHost({ core, dataDir: data, keyWrapper: headlessKeyWrapper(data, {}), port: 0, tuning: TEST_TUNING, auditWriter: 'inline' });
    try {
      const status = await host.start();
      const file = join(out, 'crm.json');
      const exported = await keyrack(data, ['credentials', 'export', 'CRM Sync', '--key', '--out', file]);
      expect(exported.code).toBe(0);
      expect(exported.stdout).toContain(`Wrote ${file} (json, mode 0600)`);
      expect(exported.stdout).toContain('It holds a new private key');
      expect(statSync(file).mode & 0o777).toBe(0o600);

      const doc = JSON.parse(readFileSync(file, 'utf8')) as CredentialFileDocument;
      expect(doc).toMatchObject({
        type: 'keyrack_api_user',
        version: 1,
        client_id: 'keyrack-crm-sync',
        token_endpoint_auth_method: 'private_key_jwt',
        alg: 'ES256',
        issuer: status.issuer,
        token_endpoint: `${status.issuer}/oauth2/token`,
      });
      expect(doc).not.toHaveProperty('client_secret');
      expect(doc).not.toHaveProperty('note');
      expect(doc.private_jwk).toMatchObject({ kty: 'EC', crv: 'P-256', kid: doc.kid, alg: 'ES256', use: 'sig' });
      expect(typeof doc.private_jwk!.d).toBe('string');
      // Keyrack's own reader takes the new kind.
      expect(parseCredentialDocument(readFileSync(file, 'utf8'), 'json')).toEqual(doc);

      // Registered: the public half only, under the file's kid, labelled as an export.
      const keys = await clientKeys();
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatchObject({ kid: doc.kid, alg: 'ES256', state: 'live' });
      expect(keys[0]!.label).toMatch(/^Exported \d{4}-\d{2}-\d{2}$/);
      expect(keys[0]!.publicJwk).not.toHaveProperty('d');
      const stored = core.deps.db.prepare('SELECT * FROM client_keys').all() as Record<string, unknown>[];
      expect(stored).toHaveLength(1);
      expect(JSON.stringify(stored)).not.toMatch(/"d"/);

      // As an integrator does: the file's private key, its kid and alg, the client id, the issuer as aud.
      const key = await importJWK(doc.private_jwk!, doc.alg);
      const now = Math.floor(Date.now() / 1000);
      const assertion = await new SignJWT({ jti: randomUUID() })
        .setProtectedHeader({ alg: doc.alg!, kid: doc.kid! })
        .setIssuer(doc.client_id)
        .setSubject(doc.client_id)
        .setAudience(doc.issuer)
        .setIssuedAt(now)
        .setExpirationTime(now + 60)
        .sign(key);
      const reply = await fetch(doc.token_endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: JWT_BEARER, client_assertion: assertion }),
      });
      const body = (await reply.json()) as Record<string, unknown>;
      expect(reply.status, JSON.stringify(body)).toBe(200);
      expect(body).toMatchObject({ token_type: 'Bearer' });
      expect(typeof body.access_token).toBe('string');

      // The log: key.added and credentials.exported, naming the kid, never the key.
      const events = await log();
      expect(events.find((e) => e.type === 'key.added')!.details).toMatchObject({ kid: doc.kid, alg: 'ES256' });
      expect(events.find((e) => e.type === 'credentials.exported')!.details).toMatchObject({
        format: 'json',
        encrypted: false,
        containsSecret: false,
        containsPrivateKey: true,
        kid: doc.kid,
        alg: 'ES256',
        path: file,
      });
      expect(exported.stdout + exported.stderr).not.toContain(String(doc.private_jwk!.d));
      expectNowhereInStore(doc.private_jwk!);
    } finally {
      await host.stop();
      core.close();
    }
  });

  test.each(['EdDSA', 'RS256'] as const)('--alg %s, as .env with a PKCS#8 PEM that jose imports', async (alg) => {
    const file = join(out, 'crm.env');
    const exported = await keyrack(data, ['credentials', 'export', 'CRM Sync', '--key', '--alg', alg, '--format', 'env', '--out', file]);
    expect(exported.code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('KEYRACK_TOKEN_ENDPOINT_AUTH_METHOD=private_key_jwt');
    expect(text).toContain(`KEYRACK_KEY_ALG=${alg}`);
    expect(text).not.toContain('KEYRACK_CLIENT_SECRET');
    const pem = /^KEYRACK_PRIVATE_KEY="(.*)"$/m.exec(text)![1]!.replace(/\\n/g, '\n');
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const key = await importPKCS8(pem, alg);
    const kid = /^KEYRACK_KEY_ID=(.*)$/m.exec(text)![1]!;
    expect((await clientKeys()).map((k) => [k.kid, k.alg])).toEqual([[kid, alg]]);
    // The key signs, and the reader turns the .env back into the JSON document (the private key as a JWK).
    await new SignJWT({}).setProtectedHeader({ alg, kid }).sign(key);
    const doc = parseCredentialDocument(text, 'env');
    expect(doc).toMatchObject({ token_endpoint_auth_method: 'private_key_jwt', kid, alg, private_jwk: { kid, alg, use: 'sig' } });
    expect(doc).not.toHaveProperty('note');
    expectNowhereInStore(doc.private_jwk!);
  });

  test('encrypted: the envelope hides the key; it opens with the passphrase', async () => {
    const file = join(out, 'crm.json.encrypted');
    const exported = await keyrack(data, ['credentials', 'export', 'CRM Sync', '--key', '--out', file, '--passphrase-stdin'], PASS);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('encrypted with your passphrase');
    const envelope = readFileSync(file, 'utf8');
    expect(JSON.parse(envelope)).toMatchObject({ type: 'keyrack_encrypted', content: 'json' });
    expect(envelope).not.toContain('private_jwk');
    const opened = await keyrack(data, ['credentials', 'open', file, '--passphrase-stdin', '--json'], PASS);
    expect(opened.code).toBe(0);
    const doc = JSON.parse(opened.stdout) as CredentialFileDocument;
    expect(doc).toMatchObject({ token_endpoint_auth_method: 'private_key_jwt', private_jwk: { kid: doc.kid } });
    expect((await clientKeys()).map((k) => k.kid)).toEqual([doc.kid]);
    // The example script for integrators opens the envelope whatever it holds.
    const script = spawnSync(process.execPath, ['examples/open-credential-file.mjs', file], { input: PASS, encoding: 'utf8' });
    expect(script.status, script.stderr).toBe(0);
    expect(JSON.parse(script.stdout)).toEqual(doc);
    const text = await keyrack(data, ['credentials', 'open', file, '--passphrase-stdin'], PASS);
    expect(text.stdout).toMatch(/Authentication:\s+private_key_jwt/);
    expect(text.stdout).not.toContain(String(doc.private_jwk!.d));
  });

  describe('refusals write nothing and register nothing', () => {
    const refused = async (args: string[], message: RegExp, stdin = '') => {
      const file = join(out, 'refused.json');
      const run = await keyrack(data, ['credentials', 'export', ...args, '--out', file], stdin);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toMatch(message);
      expect(existsSync(file)).toBe(false);
      expect(await clientKeys()).toEqual([]);
      expect((await log()).filter((e) => e.type === 'key.added' || e.type === 'credentials.exported')).toEqual([]);
    };

    test('an unknown user', () => refused(['Nobody', '--key'], /Nobody/));
    test('a person', async () => {
      expect((await keyrack(data, ['people', 'create', '--name', 'bob', '--password-stdin'], 'another good passphrase')).code).toBe(0);
      await refused(['bob', '--key'], /person/);
    });
    test('a bad --alg', () => refused(['CRM Sync', '--key', '--alg', 'HS256'], /--alg: "HS256"/));
    test('--alg without --key', () => refused(['CRM Sync', '--alg', 'RS256'], /--alg goes with --key/));
    test('--key with a secret option: export has none to give', () => refused(['CRM Sync', '--key', '--secret', 'x'], /unknown option '--secret'/));
    test('a short passphrase', () => refused(['CRM Sync', '--key', '--passphrase-stdin'], /Passphrase/, 'short\n'));
  });

  test('a key file whose kid, alg or method does not match its key is not read as one', async () => {
    const file = join(out, 'crm.json');
    expect((await keyrack(data, ['credentials', 'export', 'CRM Sync', '--key', '--out', file])).code).toBe(0);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const read = (changed: Record<string, unknown>) => () => parseCredentialDocument(JSON.stringify({ ...doc, ...changed }), 'json');
    expect(read({})).not.toThrow();
    expect(read({ kid: 'another' })).toThrow(/private_jwk/);
    expect(read({ alg: 'RS256' })).toThrow(/private_jwk/);
    expect(read({ token_endpoint_auth_method: undefined })).toThrow(/private_jwk/);
    expect(read({ private_jwk: undefined })).toThrow(/private_jwk: is missing/);
  });

  test('the key-file input takes no secret', () => {
    const input = { userId: 1, path: '/tmp/x.json', secret: 'A'.repeat(43) };
    expect(() => parseInput(writeKeyCredentialFileInput, input)).toThrow();
  });

  test('writing the file fails after the key is registered: the key is revoked at once, and logged so', async () => {
    const core = makeCore(data);
    try {
      // existsSync sees no file there, but the atomic write cannot create it: its folder is a file.
      const notAFolder = join(out, 'not-a-folder');
      writeFileSync(notAFolder, '');
      const service = new CredentialFilesService(core.deps, () => ({ issuer: 'http://keyrack.office.test:8080', tokenEndpoint: 'http://keyrack.office.test:8080/oauth2/token', caCertificate: null }));
      const admin = cliActor('test');
      const userId = (core.deps.db.prepare("SELECT id FROM users WHERE name = 'CRM Sync'").get() as { id: number }).id;
      await expect(
        service.writeKeyFile(admin, parseInput(writeKeyCredentialFileInput, { userId, path: join(notAFolder, 'crm.json') })),
      ).rejects.toThrow(/ENOTDIR/);
      expect(readdirSync(out)).toEqual(['not-a-folder']);
      const keys = await clientKeys();
      expect(keys).toHaveLength(1);
      expect(keys[0]!.state).toBe('revoked');
      const events = await log();
      expect(events.some((e) => e.type === 'key.revoked')).toBe(true);
      expect(events.some((e) => e.type === 'credentials.exported')).toBe(false);
    } finally {
      core.close();
    }
  });
});
