import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { Channel, InputOf } from '../../shared/contract.js';
import { UNKNOWN_SERVER_ADDRESS } from '../../electron/credentials/endpoints.js';
import { aesGcmKeyWrapper } from '../../electron/crypto/key-wrap.js';
import { dispatch } from '../../electron/ipc/dispatch.js';
import { valueOf } from './support.js';
import { createHandlers, memorySessionSlot, type CallContext, type Handlers } from '../../electron/ipc/handlers.js';
import type { OpenFile } from '../../electron/shell/open-file.js';
import { contentOf, type SaveFile } from '../../electron/shell/save-file.js';
import { importJWK, SignJWT } from 'jose';
import type { CredentialFileDocument } from '../../shared/credential-files.dto.js';
import { readTokenServerSettings } from '../../electron/services/token-server-settings.js';
import { createTokenServerHost, type TokenServerHost } from '../../electron/token-server/host.js';
import { saveToFolder } from '../../electron/web-bridge/save-to-folder.js';
import { coreWithAdmin, tempDir, type TestCore } from '../support/core.js';
import { events, powerlessPerson, seedCatalogue } from '../support/fixtures.js';
import { FIXTURE, fixturePath } from '../ranges/fixtures.js';

const CLOUDFLARE_FILES = [fixturePath(FIXTURE.cloudflareV4), fixturePath(FIXTURE.cloudflareV6)];

let core: TestCore;
let host: TokenServerHost;
let handlers: Handlers;
let saveDir: string;
let openFile: ReturnType<typeof vi.fn<OpenFile>>;
let admin: CallContext;
let bob: CallContext;
let rangesServer: Server;

beforeEach(async () => {
  const made = await coreWithAdmin();
  core = made.core;
  core.clock.set(Date.now());
  await powerlessPerson(core, made.admin, 'bob');
  const keyWrapper = aesGcmKeyWrapper(randomBytes(32), 'test master key');
  host = createTokenServerHost({ core, dataDir: core.dataDir, keyWrapper, port: 0, tuning: { failureFloorMinMs: 1 } });
  saveDir = tempDir('keyrack-saves-');
  openFile = vi.fn<OpenFile>(async () => ({ chosen: true, paths: CLOUDFLARE_FILES }));
  // The providers' download URLs point at a loopback server holding Cloudflare's real files.
  rangesServer = createServer((req, res) => {
    const file = req.url === '/v4' ? CLOUDFLARE_FILES[0]! : req.url === '/v6' ? CLOUDFLARE_FILES[1]! : null;
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/plain' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => rangesServer.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(rangesServer.address() as AddressInfo).port}`;
  handlers = createHandlers(core, {
    tokenServer: { host, keyWrapper },
    saveFile: saveToFolder(saveDir),
    openFile,
    rangesDownload: { sources: { CLOUDFLARE: { kind: 'files', urls: [`${base}/v4`, `${base}/v6`] } }, timeoutMs: 5_000 },
  });
  admin = { session: memorySessionSlot() };
  bob = { session: memorySessionSlot() };
  await dispatch(handlers, 'auth.login', { name: 'alice', password: 'correct horse battery' }, admin);
  await dispatch(handlers, 'auth.login', { name: 'bob', password: 'another long password' }, bob);
});
afterEach(async () => {
  await host.stop();
  rangesServer.close();
  core.cleanup();
});

async function call<C extends Channel>(channel: C, input: InputOf<C>, who: CallContext = admin) {
  return dispatch(handlers, channel, input, who);
}
const value = <C extends Channel>(channel: C, input: InputOf<C>, who: CallContext = admin) => valueOf(handlers, channel, input, who);
const forbidden = { ok: false, error: { code: 'forbidden', message: 'You need permission to run the token server to do this.' } };
function freePort(): Promise<number> {
  const probe = createNetServer();
  return new Promise((resolve) => probe.listen(0, '127.0.0.1', () => {
    const { port } = probe.address() as AddressInfo;
    probe.close(() => resolve(port));
  }));
}
const lastEvent = (type: string) => events(core).find((e) => e.type === type);

describe('server.status', () => {
  test('reports the stopped server, its key protection and no CA yet; needs a session', async () => {
    const status = await value('server.status', {});
    expect(status).toMatchObject({ running: false, urls: [], ca: null, keyProtection: 'test master key', lastError: null });
    expect(status.settings).toEqual(await readTokenServerSettings(core.deps));
    expect(status.ranges).toHaveLength(5);
    // Reading needs no permission beyond an active session: the allowlist editor shows the same dates.
    expect((await call('server.status', {}, bob)).ok).toBe(true);
    expect(await call('server.status', {}, { session: memorySessionSlot() })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });

  test('bad input names the field', async () => {
    const result = await call('server.status', { verbose: true } as never);
    expect(result).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(JSON.stringify(result)).toContain('verbose');
  });
});

describe('server.start and server.stop', () => {
  test('start serves tokens on loopback and is logged; stop closes it and is logged', async () => {
    const started = await value('server.start', {});
    expect(started).toMatchObject({ running: true, tls: false });
    expect((await fetch(`${started.urls[0]}/healthz`)).status).toBe(200);
    expect(lastEvent('server.started')).toMatchObject({ outcome: 'success', actorName: 'alice', details: { how: 'start', urls: started.urls } });

    const stopped = await value('server.stop', {});
    expect(stopped.running).toBe(false);
    await expect(fetch(`${started.urls[0]}/healthz`)).rejects.toThrow();
    expect(lastEvent('server.stopped')).toMatchObject({ outcome: 'success', details: { urls: started.urls } });
  });

  test('a person without server.manage is refused, the refusal is logged, and nothing changes', async () => {
    expect(await call('server.start', {}, bob)).toEqual(forbidden);
    expect((await host.status()).running).toBe(false);
    expect(lastEvent('server.started')).toMatchObject({ outcome: 'failure', reason: 'forbidden', actorName: 'bob' });

    await value('server.start', {});
    expect(await call('server.stop', {}, bob)).toEqual(forbidden);
    expect((await host.status()).running).toBe(true);
  });

  test('bad input is refused before anything runs', async () => {
    const result = await call('server.start', { port: 1 } as never);
    expect(result).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect((await host.status()).running).toBe(false);
  });
});

describe('server.updateSettings', () => {
  test('saves, restarts a running server, and the new lifetime is in the next token', async () => {
    await value('server.start', {});
    const status = await value('server.updateSettings', { tokenLifetimeSeconds: 120 });
    expect(status).toMatchObject({ running: true, settings: { tokenLifetimeSeconds: 120 } });
    expect(lastEvent('settings.changed')!.details).toEqual({
      area: 'token_server',
      changed: ['tokenLifetimeSeconds'],
      before: { tokenLifetimeSeconds: 600 },
      after: { tokenLifetimeSeconds: 120 },
    });
    expect(lastEvent('server.started')).toMatchObject({ details: { how: 'restart' } });
    expect((await readTokenServerSettings(core.deps)).tokenLifetimeSeconds).toBe(120);
  });

  test('every documented setting: issuer, audiences, algorithm, host and proxies are saved, logged and served', async () => {
    await value('server.start', {});
    const change: InputOf<'server.updateSettings'> = {
      issuer: 'http://keyrack.office.test:8080',
      defaultAudience: 'urn:office:lan',
      audiences: ['https://crm.office.test', 'urn:office:mail'],
      signingAlg: 'RS256',
      host: '::',
      trustedProxies: ['10.0.0.5', '10.1.0.0/16'],
    };
    const status = await value('server.updateSettings', change);
    expect(status).toMatchObject({ running: true, issuer: change.issuer, settings: change });
    expect(lastEvent('settings.changed')!.details).toEqual({
      area: 'token_server',
      changed: ['issuer', 'defaultAudience', 'audiences', 'signingAlg', 'host', 'trustedProxies'],
      before: { issuer: null, defaultAudience: 'urn:keyrack:lan-api', audiences: [], signingAlg: 'ES256', host: '0.0.0.0', trustedProxies: [] },
      after: change,
    });
    // The restarted server answers with the new issuer (RFC 8414 metadata).
    const metadata = (await (await fetch(`${status.urls[0]}/.well-known/oauth-authorization-server`)).json()) as { issuer: string };
    expect(metadata.issuer).toBe(change.issuer);
    expect(await call('server.updateSettings', { audiences: ['not a uri'] })).toMatchObject({
      ok: false,
      error: { code: 'validation', fields: { 'audiences.0': expect.stringContaining('must be a URI') } },
    });
    expect(await call('server.updateSettings', { trustedProxies: ['proxy.lan'] })).toMatchObject({ ok: false, error: { code: 'validation' } });
  });

  test('changing only the signing algorithm saves it without restarting (it applies to the next key)', async () => {
    const started = await value('server.start', {});
    const status = await value('server.updateSettings', { signingAlg: 'RS256' });
    expect(status).toMatchObject({ running: true, startedAt: started.startedAt, settings: { signingAlg: 'RS256' } });
    expect(events(core).filter((e) => e.type === 'server.started')).toHaveLength(1);
    expect((await value('server.rotateKey', {})).alg).toBe('RS256');
  });

  test('turning on plain HTTP on the LAN is logged as such; a stopped server stays stopped', async () => {
    const status = await value('server.updateSettings', { plainHttpOnLan: true });
    expect(status).toMatchObject({ running: false, settings: { plainHttpOnLan: true } });
    expect(lastEvent('settings.changed')).toMatchObject({ reason: 'plain_http_on_lan_enabled' });
  });

  test('bad input names the field and changes nothing', async () => {
    await value('server.start', {});
    const before = (await host.status());
    expect(await call('server.updateSettings', { port: 70_000 })).toEqual({
      ok: false,
      error: { code: 'validation', message: 'port: A port is 1 to 65535', fields: { port: 'A port is 1 to 65535' } },
    });
    expect(await call('server.updateSettings', { tokenLifetimeSeconds: 5 })).toMatchObject({
      ok: false,
      error: { fields: { tokenLifetimeSeconds: 'At least 60 seconds' } },
    });
    expect(await call('server.updateSettings', {})).toMatchObject({ ok: false, error: { fields: { input: 'Change at least one setting' } } });
    expect(await readTokenServerSettings(core.deps)).toEqual(before.settings);
    expect((await host.status()).listening).toEqual(before.listening);
    expect(events(core).filter((e) => e.type === 'settings.changed')).toEqual([]);
  });

  test('a port in use: the start is refused with the reason, a failed restart leaves the settings saved and says why', async () => {
    // A host that follows the stored port (the app's own), and another program holding a port.
    const blocker = createNetServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as AddressInfo).port;
    try {
      await host.stop();
      const keyWrapper = aesGcmKeyWrapper(randomBytes(32), 'test master key');
      host = createTokenServerHost({ core, dataDir: core.dataDir, keyWrapper, tuning: { failureFloorMinMs: 1 } });
      handlers = createHandlers(core, { tokenServer: { host, keyWrapper } });
      await value('server.updateSettings', { port: taken });
      expect(await call('server.start', {})).toEqual({
        ok: false,
        error: { code: 'conflict', message: expect.stringContaining(`Port ${taken} on 127.0.0.1 is already in use`) },
      });
      expect(lastEvent('server.started')).toMatchObject({ outcome: 'failure', reason: 'port_in_use', details: { how: 'start' } });

      const free = await freePort();
      expect(await value('server.updateSettings', { port: free })).toMatchObject({ running: false });
      expect((await value('server.start', {})).listening).toEqual({ host: '127.0.0.1', port: free });
      const after = await value('server.updateSettings', { port: taken });
      expect(after).toMatchObject({ running: false, settings: { port: taken }, lastError: expect.stringContaining(String(taken)) });
      expect(lastEvent('server.started')).toMatchObject({ outcome: 'failure', reason: 'port_in_use', details: { how: 'restart' } });
    } finally {
      blocker.close();
    }
  });

  test('a person without server.manage is refused and nothing changes', async () => {
    expect(await call('server.updateSettings', { lanAccess: true }, bob)).toEqual(forbidden);
    expect((await readTokenServerSettings(core.deps)).lanAccess).toBe(false);
  });
});

describe('server.rotateKey', () => {
  test('makes a new active key; the previous one stays published', async () => {
    const first = (await value('server.start', {})).signingKeys[0]!;
    const rotated = await value('server.rotateKey', {});
    expect(rotated).toMatchObject({ active: true, alg: 'ES256' });
    expect(rotated.kid).not.toBe(first.kid);
    const keys = (await value('server.status', {})).signingKeys;
    expect(keys.map((k) => [k.kid, k.active])).toEqual([
      [rotated.kid, true],
      [first.kid, false],
    ]);
    const jwks = (await (await fetch(`${(await host.status()).urls[0]}/jwks.json`)).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid).sort()).toEqual([first.kid, rotated.kid].sort());
    expect(lastEvent('keys.rotated')).toMatchObject({ reason: 'rotation', actorName: 'alice' });
  });

  test('refused without server.manage, and for an unknown algorithm, with nothing changed', async () => {
    await value('server.start', {});
    const before = (await host.status()).signingKeys;
    expect(await call('server.rotateKey', {}, bob)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call('server.rotateKey', { alg: 'HS256' } as never)).toMatchObject({ ok: false, error: { code: 'validation', fields: { alg: expect.any(String) } } });
    expect((await host.status()).signingKeys).toEqual(before);
  });
});

describe('server.saveCaCertificate', () => {
  test('creates the CA when there is none, saves it (public mode) and logs where', async () => {
    const saved = await value('server.saveCaCertificate', {});
    expect(saved).toMatchObject({ saved: true, fingerprint: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/) });
    if (!saved.saved) throw new Error('not saved');
    expect(readFileSync(saved.path, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(statSync(saved.path).mode & 0o777).toBe(0o644);
    expect((await value('server.status', {})).ca).toMatchObject({ fingerprint: saved.fingerprint, source: 'generated' });
    expect(lastEvent('credentials.exported')).toMatchObject({ details: { what: 'ca_certificate', fingerprint: saved.fingerprint, path: saved.path } });
  });

  test('refused without server.manage: no CA made, no file written', async () => {
    expect(await call('server.saveCaCertificate', {}, bob)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(readdirSync(saveDir)).toEqual([]);
    expect(existsSync(join(core.dataDir, 'tls', 'ca.crt'))).toBe(false);
    expect(await call('server.saveCaCertificate', { path: '/tmp/x' } as never)).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(readdirSync(saveDir)).toEqual([]);
  });
});

describe('ranges', () => {
  test('status lists the five providers; import reads the files chosen in main and is logged', async () => {
    expect((await value('ranges.status', {})).map((r) => r.status)).toEqual(['missing', 'missing', 'missing', 'missing', 'missing']);
    const imported = await value('ranges.import', { provider: 'CLOUDFLARE' });
    expect(openFile).toHaveBeenCalledWith(expect.objectContaining({ multiple: true }));
    expect(imported).toMatchObject({ imported: true, info: { provider: 'CLOUDFLARE', status: 'loaded' } });
    expect((await value('ranges.status', {})).find((r) => r.provider === 'CLOUDFLARE')!.count).toBe(7);
    expect(lastEvent('ranges.updated')).toMatchObject({ outcome: 'success', details: { provider: 'CLOUDFLARE', how: 'import' } });
  });

  test('a cancelled dialog imports nothing', async () => {
    openFile.mockResolvedValueOnce({ chosen: false });
    expect(await value('ranges.import', {})).toEqual({ imported: false });
    expect(events(core).filter((e) => e.type === 'ranges.updated')).toEqual([]);
  });

  test('import: refused before the dialog opens without server.manage; an unknown provider names the field', async () => {
    expect(await call('ranges.import', {}, bob)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call('ranges.import', { provider: 'IBM' } as never)).toMatchObject({
      ok: false,
      error: { code: 'validation', fields: { provider: expect.stringContaining('Provider must be one of') } },
    });
    expect(openFile).not.toHaveBeenCalled();
    expect((await value('ranges.status', {})).every((r) => r.status === 'missing')).toBe(true);
  });

  test('update downloads, reports progress per provider, and is logged', async () => {
    const report = await value('ranges.update', { providers: ['CLOUDFLARE'] });
    expect(report).toMatchObject({ ok: true, results: [{ provider: 'CLOUDFLARE', ok: true }] });
    expect(await value('ranges.progress', {})).toMatchObject({
      running: false,
      startedAt: core.clock.now(),
      providers: [{ provider: 'CLOUDFLARE', phase: 'done', error: null }],
    });
    expect(lastEvent('ranges.updated')).toMatchObject({ outcome: 'success', details: { how: 'download' } });
  });

  test('update: refused without server.manage, and an empty provider list names the field', async () => {
    expect(await call('ranges.update', {}, bob)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call('ranges.update', { providers: [] })).toMatchObject({
      ok: false,
      error: { fields: { providers: 'Choose at least one provider' } },
    });
    expect(await value('ranges.progress', {})).toMatchObject({ running: false, startedAt: null });
  });
});

describe('credentials.export', () => {
  const OFFICE_ISSUER = 'http://keyrack.office.test:8080';
  async function apiUser() {
    const { group } = await seedCatalogue(core, { kind: 'cli', name: 'cli:test' });
    return value('users.createApiUser', { name: 'CRM Sync', groupIds: [group.id] });
  }

  test('right after creation the file holds the secret, is owner-only, and gets a token from the running server', async () => {
    const server = await value('server.start', {});
    const created = await apiUser();
    const saved = await value('credentials.export', { userId: created.user.id, secret: created.secret, format: 'json' });
    expect(saved).toMatchObject({ saved: true, format: 'json', encrypted: false, containsSecret: true, fileName: `${created.clientId}.json` });
    if (!saved.saved) throw new Error('not saved');
    expect(statSync(saved.path).mode & 0o777).toBe(0o600);
    const file = JSON.parse(readFileSync(saved.path, 'utf8')) as Record<string, string>;
    expect(file).toMatchObject({ type: 'keyrack_api_user', client_id: created.clientId, client_secret: created.secret, issuer: server.issuer });
    const reply = await fetch(file.token_endpoint!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: file.client_id!, client_secret: file.client_secret! }),
    });
    expect(reply.status).toBe(200);
    const exported = lastEvent('credentials.exported')!;
    expect(exported).toMatchObject({ targetName: 'CRM Sync', details: { format: 'json', containsSecret: true } });
    expect(JSON.stringify(exported)).not.toContain(created.secret);
  });

  test('with the server stopped: the issuer setting, else refused before any file is written', async () => {
    const created = await apiUser();
    expect(await call('credentials.export', { userId: created.user.id })).toEqual({
      ok: false,
      error: { code: 'conflict', message: UNKNOWN_SERVER_ADDRESS },
    });
    expect(readdirSync(saveDir)).toEqual([]);
    await value('server.updateSettings', { issuer: 'https://keyrack.office.test:8443' });
    const saved = await value('credentials.export', { userId: created.user.id });
    if (!saved.saved) throw new Error('not saved');
    expect(JSON.parse(readFileSync(saved.path, 'utf8'))).toMatchObject({
      issuer: 'https://keyrack.office.test:8443',
      token_endpoint: 'https://keyrack.office.test:8443/oauth2/token',
      ca_certificate: expect.stringContaining('BEGIN CERTIFICATE'),
    });
  });

  test('a re-export without the secret says so; .env with a passphrase is encrypted', async () => {
    await value('server.updateSettings', { issuer: OFFICE_ISSUER });
    const created = await apiUser();
    expect(await value('credentials.export', { userId: created.user.id, format: 'json' })).toMatchObject({ saved: true, containsSecret: false });
    const env = await value('credentials.export', { userId: created.user.id, format: 'env', passphrase: 'a long enough passphrase' });
    expect(env).toMatchObject({ saved: true, format: 'env', encrypted: true, fileName: `${created.clientId}.env.encrypted` });
  });

  test('refused without users.manage: nothing written, the refusal logged', async () => {
    const created = await apiUser();
    expect(await call('credentials.export', { userId: created.user.id, secret: created.secret }, bob)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(readdirSync(saveDir)).toEqual([]);
    expect(lastEvent('credentials.exported')).toMatchObject({ outcome: 'failure', reason: 'forbidden' });
  });

  test('bad input names the field and writes nothing', async () => {
    await value('server.updateSettings', { issuer: OFFICE_ISSUER });
    const created = await apiUser();
    expect(await call('credentials.export', { userId: created.user.id, passphrase: 'short' })).toMatchObject({
      ok: false,
      error: { code: 'validation', fields: { passphrase: 'Passphrase must be at least 12 characters' } },
    });
    expect(await call('credentials.export', { userId: created.user.id, format: 'xml' } as never)).toMatchObject({
      ok: false,
      error: { fields: { format: 'Format is json or env' } },
    });
    // A well-formed secret that is not this user's: refused after the check against the live secrets.
    expect(await call('credentials.export', { userId: created.user.id, secret: 'A'.repeat(43) })).toMatchObject({
      ok: false,
      error: { fields: { secret: expect.stringContaining('not a live secret') } },
    });
    const person = (await value('users.list', { kind: 'person' })).rows[0]!;
    expect(await call('credentials.export', { userId: person.id })).toMatchObject({ ok: false, error: { fields: { userId: expect.any(String) } } });
    expect(readdirSync(saveDir)).toEqual([]);
  });
});

describe('credentials.exportKey (the export dialog in key mode)', () => {
  async function apiUser() {
    const { group } = await seedCatalogue(core, { kind: 'cli', name: 'cli:test' });
    return value('users.createApiUser', { name: 'CRM Sync', groupIds: [group.id] });
  }
  /** Other handlers on the same core whose save dialog behaves as given; logged in as alice. */
  async function withSaveFile(saveFile: SaveFile) {
    const other = createHandlers(core, { tokenServer: { host, keyWrapper: aesGcmKeyWrapper(randomBytes(32), 'other') }, saveFile });
    const who: CallContext = { session: memorySessionSlot() };
    await dispatch(other, 'auth.login', { name: 'alice', password: 'correct horse battery' }, who);
    return (input: InputOf<'credentials.exportKey'>) => dispatch(other, 'credentials.exportKey', input, who);
  }

  test('the file holds the only private key; its public key is registered and a signed assertion gets a token', async () => {
    const server = await value('server.start', {});
    const created = await apiUser();
    const saved = await value('credentials.exportKey', { userId: created.user.id, format: 'json', alg: 'ES256' });
    expect(saved).toMatchObject({ saved: true, format: 'json', encrypted: false, containsSecret: false, kid: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    if (!saved.saved) throw new Error('not saved');
    expect(statSync(saved.path).mode & 0o777).toBe(0o600);
    const file = JSON.parse(readFileSync(saved.path, 'utf8')) as CredentialFileDocument;
    expect(file).toMatchObject({ client_id: created.clientId, token_endpoint_auth_method: 'private_key_jwt', kid: saved.kid, alg: 'ES256' });
    expect(file.client_secret).toBeUndefined();
    const keys = await value('clientKeys.list', { userId: created.user.id });
    expect(keys.map((k) => k.kid)).toEqual([saved.kid]);
    expect(keys[0]!.publicJwk).not.toHaveProperty('d');
    // The private half is nowhere in the store.
    const storeFiles = readdirSync(core.dataDir).filter((f) => f.startsWith('keyrack.db'));
    expect(storeFiles).toContain('keyrack.db');
    for (const f of storeFiles) expect(readFileSync(join(core.dataDir, f)).includes(file.private_jwk!.d)).toBe(false);

    const key = await importJWK(file.private_jwk!, 'ES256');
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({ iss: file.client_id, sub: file.client_id, aud: server.issuer!, iat: now, exp: now + 60, jti: randomUUID() })
      .setProtectedHeader({ alg: 'ES256', kid: file.kid! })
      .sign(key);
    const reply = await fetch(file.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      }),
    });
    expect(reply.status).toBe(200);
    expect(lastEvent('credentials.exported')).toMatchObject({ details: { containsPrivateKey: true, kid: saved.kid, containsSecret: false } });
    expect(JSON.stringify(events(core))).not.toContain(file.private_jwk!.d);
  });

  test('a cancelled save dialog registers no key and logs no export', async () => {
    await value('server.updateSettings', { issuer: 'http://keyrack.office.test:8080' });
    const created = await apiUser();
    const exportKey = await withSaveFile(async () => ({ saved: false }));
    expect(await exportKey({ userId: created.user.id })).toEqual({ ok: true, value: { saved: false } });
    expect(await value('clientKeys.list', { userId: created.user.id })).toEqual([]);
    expect(events(core).filter((e) => e.type === 'credentials.exported' || e.type === 'key.added')).toEqual([]);
  });

  test('a save that fails after the key was registered revokes that key', async () => {
    await value('server.updateSettings', { issuer: 'http://keyrack.office.test:8080' });
    const created = await apiUser();
    const exportKey = await withSaveFile(async (request) => {
      await contentOf(request);
      throw new Error('disk full');
    });
    expect(await exportKey({ userId: created.user.id })).toMatchObject({ ok: false });
    const keys = await value('clientKeys.list', { userId: created.user.id });
    expect(keys).toHaveLength(1);
    expect(keys[0]!.revokedAt).not.toBeNull();
    expect(events(core).filter((e) => e.type === 'credentials.exported')).toEqual([]);
  });

  test('refused: a secret beside the key, a person, no users.manage; nothing written or registered', async () => {
    await value('server.updateSettings', { issuer: 'http://keyrack.office.test:8080' });
    const created = await apiUser();
    expect(await call('credentials.exportKey', { userId: created.user.id, secret: created.secret } as never)).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(await call('credentials.exportKey', { userId: created.user.id, alg: 'HS256' } as never)).toMatchObject({ ok: false, error: { fields: { alg: expect.stringContaining('ES256') } } });
    const person = (await value('users.list', { kind: 'person' })).rows[0]!;
    expect(await call('credentials.exportKey', { userId: person.id })).toMatchObject({ ok: false, error: { fields: { userId: expect.any(String) } } });
    expect(await call('credentials.exportKey', { userId: created.user.id }, bob)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(readdirSync(saveDir)).toEqual([]);
    expect(await value('clientKeys.list', { userId: created.user.id })).toEqual([]);
  });
});
