import { randomBytes } from 'node:crypto';
import { createServer as createHttpsServer } from 'node:https';
import { createServer, type Server } from 'node:net';
import { checkServerIdentity, connect as tlsConnect } from 'node:tls';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parseInputOf } from '../../shared/contract.js';
import { ForbiddenError } from '../../shared/errors.js';
import { aesGcmKeyWrapper } from '../../electron/crypto/key-wrap.js';
import { describeTls, loadOrCreateTlsMaterial, readTlsCertificates, TLS_SERVER_OPTIONS } from '../../electron/crypto/tls.js';
import { tlsHome } from '../../electron/services/tls-certificates.js';
import { updateTokenServerSettings } from '../../electron/services/token-server-settings.js';
import { createTokenServerHost, type TokenServerHost } from '../../electron/token-server/host.js';
import { chooseTransport, listenHostFor } from '../../electron/token-server/listen-address.js';
import { PortInUseError } from '../../electron/token-server/server.js';
import type { Actor } from '../../electron/services/context.js';
import { coreWithAdmin, type TestCore } from '../support/core.js';
import { seedCatalogue } from '../support/fixtures.js';
import { basic, claimsOf, headerOf, post, TEST_TUNING } from './support.js';

let core: TestCore;
let admin: Actor;
let host: TokenServerHost;
let client: { clientId: string; secret: string; userId: number; secretId: number };

beforeEach(async () => {
  ({ core, admin } = await coreWithAdmin());
  core.clock.set(Date.now());
  const { group } = await seedCatalogue(core, admin);
  const created = await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'CRM Sync', groupIds: [group.id] }));
  client = { clientId: created.clientId, secret: created.secret, userId: created.user.id, secretId: created.secretInfo.id };
  host = createTokenServerHost({
    core,
    dataDir: core.dataDir,
    keyWrapper: aesGcmKeyWrapper(randomBytes(32), 'test master key'),
    port: 0,
    tuning: TEST_TUNING,
    auditWriter: 'inline', // the worker is compiled code: audit-sink.test.ts runs it from dist/
  });
});
afterEach(async () => {
  await host.stop();
  core.cleanup();
});

const token = (url: string) =>
  post(url, '/oauth2/token', { grant_type: 'client_credentials' }, { authorization: basic(client.clientId, client.secret) });

test('starts on loopback with the stored settings, reports its status and issues tokens', async () => {
  const before = (await host.status());
  expect(before).toMatchObject({ running: false, urls: [], issuer: null, listening: null, lastError: null });
  expect(before.ranges.map((r) => r.status)).toEqual(['missing', 'missing', 'missing', 'missing', 'missing']);

  const status = await host.start();
  expect(status.running).toBe(true);
  expect(status.tls).toBe(false); // loopback only: no TLS, no CA
  expect(status.caFingerprint).toBeNull();
  expect(status.listening!.host).toBe('127.0.0.1');
  expect(status.listening!.port).toBeGreaterThan(0);
  expect(status.urls).toEqual([`http://127.0.0.1:${status.listening!.port}`]);
  expect(status.issuer).toBe(status.urls[0]);
  expect(status.signingKeys).toEqual([
    expect.objectContaining({ alg: 'ES256', active: true, retiredAt: null, createdAt: expect.any(Number) }),
  ]);

  const reply = await token(status.urls[0]!);
  expect(reply.status).toBe(200);
  expect(claimsOf(reply.json.access_token as string).iss).toBe(status.issuer);
  expect((await host.start()).listening).toEqual(status.listening); // a second start is a no-op
});

test("status names the token endpoint (the metadata's), who reaches the server, and the port fixed when the host was made", async () => {
  expect((await host.status())).toMatchObject({ tokenEndpoint: null, reach: null, overrides: { host: null, port: 0 } });
  const status = await host.start();
  const metadata = (await (await fetch(new URL('/.well-known/oauth-authorization-server', status.urls[0]))).json()) as { token_endpoint: string };
  expect(status.tokenEndpoint).toBe(metadata.token_endpoint);
  expect(status.tokenEndpoint).toBe(`${status.urls[0]}/oauth2/token`);
  expect(status.reach).toBe('this-computer');
  // The stored port is 8443; this host was made with port 0, which wins at every start.
  expect(status.settings.port).toBe(8443);
  expect(status.listening!.port).not.toBe(8443);

  await updateTokenServerSettings(core.deps, admin, { issuer: 'https://keyrack.office.test:8443' });
  const renamed = await host.restart();
  expect(renamed.tokenEndpoint).toBe('https://keyrack.office.test:8443/oauth2/token');
  const again = (await (await fetch(new URL('/.well-known/oauth-authorization-server', renamed.urls[0]))).json()) as { token_endpoint: string };
  expect(again.token_endpoint).toBe(renamed.tokenEndpoint);
});

test('stop closes the port; restart picks up a changed lifetime', async () => {
  const first = await host.start();
  expect((await token(first.urls[0]!)).json.expires_in).toBe(600);
  await updateTokenServerSettings(core.deps, admin, { tokenLifetimeSeconds: 120 });
  // Settings take effect on restart, not before.
  expect((await token(first.urls[0]!)).json.expires_in).toBe(600);

  const second = await host.restart();
  expect(second.running).toBe(true);
  expect(second.settings.tokenLifetimeSeconds).toBe(120);
  const reply = await token(second.urls[0]!);
  expect(reply.json.expires_in).toBe(120);
  const claims = claimsOf(reply.json.access_token as string);
  expect((claims.exp as number) - (claims.iat as number)).toBe(120);

  await host.stop();
  expect((await host.status())).toMatchObject({ running: false, urls: [], listening: null });
  await expect(token(second.urls[0]!)).rejects.toThrow();
  await host.stop(); // idempotent
});

test('rotateKey: the next token is signed with the new key, and the old key stays published', async () => {
  const { urls } = await host.start();
  const oldKid = headerOf((await token(urls[0]!)).json.access_token as string).kid;
  const rotated = await host.rotateKey(admin);
  expect(rotated.active).toBe(true);
  expect(rotated.kid).not.toBe(oldKid);
  expect(headerOf((await token(urls[0]!)).json.access_token as string).kid).toBe(rotated.kid);
  const jwks = (await (await fetch(`${urls[0]}/jwks.json`)).json()) as { keys: { kid: string }[] };
  expect(jwks.keys.map((k) => k.kid).sort()).toEqual([oldKid, rotated.kid].sort());
  const keys = (await host.status()).signingKeys;
  expect(keys.map((k) => [k.kid, k.active])).toEqual([
    [rotated.kid, true],
    [oldKid, false],
  ]);
});

test('rotateKey needs server.manage', async () => {
  const person = await core.users.createPerson(admin, parseInputOf('users.createPerson', { name: 'bob', password: 'a long enough password' }));
  await expect(host.rotateKey({ kind: 'person', userId: person.id, name: 'bob' })).rejects.toThrow(ForbiddenError);
});

test('a revoked secret stops working at once, even with its verification cached', async () => {
  const { urls } = await host.start();
  expect((await token(urls[0]!)).status).toBe(200); // verified once, now cached
  await core.secrets.revoke(admin, { userId: client.userId, secretId: client.secretId });
  const reply = await token(urls[0]!);
  expect(reply.status).toBe(401);
  expect(reply.json).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed' });
});

test("revoking a secret drops the running server's cached verification at once (SecretsService hook)", async () => {
  await host.start();
  const url = (await host.status()).urls[0]!;
  expect((await token(url)).status).toBe(200);
  const secrets = host.running!.context.secrets;
  const digest = secrets.digest(client.clientId, client.secret);
  expect(secrets.lookup(client.clientId, digest, core.clock.now())).toBe(client.secretId);
  await core.secrets.revoke(admin, { userId: client.userId, secretId: client.secretId });
  expect(secrets.lookup(client.clientId, digest, core.clock.now())).toBeUndefined();
});

describe('a port in use', () => {
  let blocker: Server;
  let port: number;
  beforeEach(async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    port = (blocker.address() as { port: number }).port;
  });
  afterEach(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

  test('refuses to start with a PortInUseError and keeps it as lastError', async () => {
    const busy = createTokenServerHost({
      core,
      dataDir: core.dataDir,
      keyWrapper: aesGcmKeyWrapper(randomBytes(32), 'test'),
      port,
      auditWriter: 'inline',
    });
    await expect(busy.start()).rejects.toBeInstanceOf(PortInUseError);
    const status = (await busy.status());
    expect(status.running).toBe(false);
    expect(status.lastError).toBe(`Port ${port} on 127.0.0.1 is already in use; stop the other program or choose another port with --port`);
  });
});

describe('transport decision', () => {
  test.each([
    ['127.0.0.1', false, 'plain-loopback'],
    ['::1', false, 'plain-loopback'],
    ['127.0.0.2', false, 'plain-loopback'],
    ['0.0.0.0', false, 'tls'],
    ['::', false, 'tls'],
    ['192.168.1.5', false, 'tls'],
    ['fd00::5', false, 'tls'],
    ['192.168.1.5', true, 'plain-lan-opted-in'],
    ['0.0.0.0', true, 'plain-lan-opted-in'],
  ] as const)('%s with plainHttpOnLan=%s → %s', (address, plainHttpOnLan, expected) => {
    expect(chooseTransport(address, { plainHttpOnLan })).toBe(expected);
  });

  test('listens on loopback unless LAN access is on; an override wins', () => {
    expect(listenHostFor({ lanAccess: false, host: '0.0.0.0' })).toBe('127.0.0.1');
    expect(listenHostFor({ lanAccess: true, host: '0.0.0.0' })).toBe('0.0.0.0');
    expect(listenHostFor({ lanAccess: false, host: '0.0.0.0' }, '::1')).toBe('::1');
  });
});

describe('the server certificate names the address it listens on and the issuer (issue 17, item 3)', () => {
  /** A LAN address this machine does not have: the certificate is issued, then the bind fails (no LAN traffic). */
  const LAN = '10.99.0.1';

  test('keyrack serve --host 10.99.0.1: a client trusting the CA verifies the server by that address and the issuer\'s name', async () => {
    await updateTokenServerSettings(core.deps, admin, { issuer: 'https://keyrack.office.lan:8443' });
    const wrapper = aesGcmKeyWrapper(randomBytes(32), 'test master key');
    const lines: string[] = [];
    const tlsNames = { hostnames: ['localhost'], addresses: ['127.0.0.1'] };
    const lan = createTokenServerHost({ core, dataDir: core.dataDir, keyWrapper: wrapper, host: LAN, port: 0, tlsNames, auditWriter: 'inline', log: (m) => lines.push(m) });
    await expect(lan.start()).rejects.toMatchObject({ code: 'EADDRNOTAVAIL' });
    expect(lines).toEqual([
      'token server: issued a new server certificate (none yet) for keyrack.office.lan, localhost, 10.99.0.1, 127.0.0.1',
    ]);
    const names = { hostnames: ['keyrack.office.lan', 'localhost'], addresses: ['10.99.0.1', '127.0.0.1'] };
    const material = await loadOrCreateTlsMaterial(tlsHome(core), wrapper, names);
    expect(material.report?.issued).toBeNull(); // the same names: the host's certificate, not a new one
    expect(describeTls(material)).toMatchObject({ dnsNames: names.hostnames, ipAddresses: names.addresses });

    // curl --cacert ca.crt https://10.99.0.1:8443/ and https://keyrack.office.lan:8443/, served here on loopback.
    const server = createHttpsServer({ key: material.key, cert: material.cert, ...TLS_SERVER_OPTIONS }, (_q, s) => s.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      const verify = (name: string, servername?: string) =>
        new Promise<string>((resolve) => {
          const socket = tlsConnect(
            { host: '127.0.0.1', port, ca: material.caCert, servername, checkServerIdentity: (_h, cert) => checkServerIdentity(name, cert) },
            () => {
              socket.end();
              resolve('ok');
            },
          );
          socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
        });
      expect(await verify(LAN)).toBe('ok');
      expect(await verify('keyrack.office.lan', 'keyrack.office.lan')).toBe('ok');
      expect(await verify('10.99.0.2')).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }

    // Started again the same way: the certificate is kept, and the log says nothing about it.
    lines.length = 0;
    await expect(lan.start()).rejects.toMatchObject({ code: 'EADDRNOTAVAIL' });
    expect(lines).toEqual([]);
  });

  test("a data folder's CA from before the store is moved into it at the first TLS start, fingerprint unchanged, and logged", async () => {
    const wrapper = aesGcmKeyWrapper(randomBytes(32), 'test master key');
    const names = { hostnames: ['localhost'], addresses: ['10.99.0.1', '127.0.0.1'] };
    const before = await loadOrCreateTlsMaterial(core.dataDir, wrapper, names); // tls/ca.crt, as Keyrack kept it
    const lines: string[] = [];
    const lan = createTokenServerHost({ core, dataDir: core.dataDir, keyWrapper: wrapper, host: LAN, port: 0, tlsNames: { hostnames: ['localhost'], addresses: ['127.0.0.1'] }, auditWriter: 'inline', log: (m) => lines.push(m) });
    await expect(lan.start()).rejects.toMatchObject({ code: 'EADDRNOTAVAIL' });
    expect(lines).toEqual([`token server: moved Keyrack's CA (${before.caFingerprint}) from ${core.dataDir}/tls into the store; its fingerprint is unchanged`]);
    expect(await core.deps.store.get('SELECT fingerprint, origin FROM tls_authorities')).toEqual({ fingerprint: before.caFingerprint, origin: 'adopted' });
    expect((await readTlsCertificates(tlsHome(core)))?.caFingerprint).toBe(before.caFingerprint);
  });
});
