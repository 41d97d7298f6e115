import { randomBytes, X509Certificate } from 'node:crypto';
import { request } from 'node:https';
import type { Socket } from 'node:net';
import { connect, type ConnectionOptions } from 'node:tls';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { aesGcmKeyWrapper } from '../../electron/crypto/key-wrap.js';
import { loadOrCreateTlsMaterial, type TlsMaterial } from '../../electron/crypto/tls.js';
import { createAllowlistChecker } from '../../electron/net/allowlist-checker.js';
import { EMPTY_RANGE_SET } from '../../electron/ranges/types.js';
import { SigningKeysService } from '../../electron/services/signing-keys.service.js';
import { DEFAULT_TOKEN_SERVER_SETTINGS } from '../../electron/services/token-server-settings.js';
import { transportRefusal } from '../../electron/token-server/router.js';
import { parseInputOf } from '../../shared/contract.js';
import { PlainHttpRefusedError, startTokenServer, type RunningTokenServer } from '../../electron/token-server/server.js';
import { basic, startFixture, TEST_TUNING, type Fixture } from './support.js';

let f: Fixture;
let material: TlsMaterial;
let secure: RunningTokenServer;
beforeAll(async () => {
  f = await startFixture();
  material = await loadOrCreateTlsMaterial(f.core.dataDir, f.wrapper, { hostnames: ['localhost'], addresses: ['127.0.0.1'] });
  secure = await startTokenServer({
    deps: f.core.deps,
    keys: f.keys,
    settings: DEFAULT_TOKEN_SERVER_SETTINGS,
    allowlist: createAllowlistChecker(() => EMPTY_RANGE_SET),
    tls: { key: material.key, cert: material.cert },
    host: '127.0.0.1',
    port: 0,
    tuning: TEST_TUNING,
    auditWriter: 'inline',
  });
});
afterAll(async () => {
  await secure.close();
  await f.close();
});

interface HttpsReply {
  status: number;
  body: string;
}

function tokenOverTls(ca: string | undefined): Promise<HttpsReply> {
  const body = 'grant_type=client_credentials&scope=properties%3Aread';
  return new Promise((resolve, reject) => {
    const req = request(
      `${secure.url}/oauth2/token`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basic(f.crm.clientId, f.crm.secret),
        },
        ...(ca ? { ca } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('TLS with the generated certificate authority', () => {
  test('a client that trusts the CA gets a token; the issuer is the https URL', async () => {
    expect(secure.tls).toBe(true);
    expect(secure.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const reply = await tokenOverTls(material.caCert);
    expect(reply.status).toBe(200);
    const claims = JSON.parse(Buffer.from((JSON.parse(reply.body) as { access_token: string }).access_token.split('.')[1]!, 'base64url').toString()) as { iss: string };
    expect(claims.iss).toBe(secure.issuer);
  });

  test('a client that does not trust it refuses the connection', async () => {
    await expect(tokenOverTls(undefined)).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
  });

  test('a service registers over TLS with an activation code (RFC 7591), and manages its registration at the https URI', async () => {
    const created = await f.core.activations.create(f.admin, parseInputOf('activations.create', { name: 'Over TLS' }));
    const send = (method: string, path: string, token: string, body?: string) =>
      new Promise<HttpsReply>((resolve, reject) => {
        const req = request(
          `${secure.url}${path}`,
          { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, ca: material.caCert },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString() }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    const registered = await send('POST', '/oauth2/register', created.code, JSON.stringify({ client_name: 'TLS Vendor' }));
    expect(registered.status).toBe(201);
    const body = JSON.parse(registered.body) as { client_id: string; registration_client_uri: string; registration_access_token: string };
    expect(body.registration_client_uri).toBe(`${secure.issuer}/oauth2/register/${body.client_id}`);
    expect(body.registration_client_uri).toMatch(/^https:/);
    const read = await send('GET', new URL(body.registration_client_uri).pathname, body.registration_access_token);
    expect(read.status).toBe(200);
    expect(JSON.parse(read.body)).toMatchObject({ client_id: body.client_id, client_name: 'TLS Vendor' });
  });

  test('the fingerprint integrators compare is the CA certificate\'s SHA-256', () => {
    expect(material.caFingerprint).toBe(new X509Certificate(material.caCert).fingerprint256);
    expect(material.caFingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const server = new X509Certificate(material.cert);
    expect(server.checkIssued(new X509Certificate(material.caCert))).toBe(true);
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
  });
});

/** A TLS handshake with the token server by a client offering only what `options` allow: the negotiated suite. */
function handshake(options: ConnectionOptions): Promise<{ protocol: string | null; cipher: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: secure.port, ca: material.caCert, servername: 'localhost', ...options }, () => {
      const result = { protocol: socket.getProtocol(), cipher: socket.getCipher().name };
      socket.end();
      resolve(result);
    });
    socket.on('error', reject);
    socket.setTimeout(5_000, () => socket.destroy(new Error('handshake timed out')));
  });
}

describe('cipher suites (RFC 9325 §4.2: AEAD with forward secrecy only)', () => {
  test.each([
    ['CBC with SHA-1', 'ECDHE-ECDSA-AES128-SHA'],
    ['CBC with SHA-256', 'ECDHE-ECDSA-AES128-SHA256'],
    ['CBC with SHA-384', 'ECDHE-ECDSA-AES256-SHA384'],
    ['CCM8 (a 64-bit tag)', 'ECDHE-ECDSA-AES128-CCM8'],
    ['CCM', 'ECDHE-ECDSA-AES128-CCM'],
    ['ARIA-GCM', 'ECDHE-ECDSA-ARIA128-GCM-SHA256'],
    ['CAMELLIA-CBC', 'ECDHE-ECDSA-CAMELLIA128-SHA256'],
  ])('TLS 1.2 with %s only is refused (%s)', async (_name, cipher) => {
    // The alert the server sends when no suite in common: handshake_failure (RFC 5246 §7.4.1.3).
    await expect(handshake({ maxVersion: 'TLSv1.2', ciphers: cipher })).rejects.toMatchObject({
      code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
    });
  });

  test.each(['ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-ECDSA-CHACHA20-POLY1305'])(
    'TLS 1.2 with %s is served',
    async (cipher) => {
      expect(await handshake({ maxVersion: 'TLSv1.2', ciphers: cipher })).toEqual({ protocol: 'TLSv1.2', cipher });
    },
  );

  test('a client offering everything gets TLS 1.3; offering CBC beside GCM on TLS 1.2 gets GCM', async () => {
    expect(await handshake({})).toEqual({ protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' });
    const mixed = await handshake({ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES128-GCM-SHA256' });
    expect(mixed).toEqual({ protocol: 'TLSv1.2', cipher: 'ECDHE-ECDSA-AES128-GCM-SHA256' });
  });

  test('TLS 1.1 is refused', async () => {
    await expect(handshake({ minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' })).rejects.toThrow();
  });
});

describe('plain HTTP on the LAN', () => {
  test('starting without TLS on a non-loopback address is refused unless opted in', async () => {
    const keys = new SigningKeysService(f.core.deps, () => aesGcmKeyWrapper(randomBytes(32), 'x'));
    await expect(
      startTokenServer({
        deps: f.core.deps,
        keys,
        settings: { ...DEFAULT_TOKEN_SERVER_SETTINGS, lanAccess: true, host: '0.0.0.0', plainHttpOnLan: false },
        allowlist: createAllowlistChecker(() => EMPTY_RANGE_SET),
        port: 0,
      }),
    ).rejects.toBeInstanceOf(PlainHttpRefusedError);
  });

  const socket = (remoteAddress: string, encrypted = false) => ({ socket: { remoteAddress, encrypted } as unknown as Socket });
  const config = (plainHttpAllowed: boolean) => ({ config: { plainHttpAllowed } as Fixture['server']['context']['config'] });

  test.each([
    ['a LAN client over plain HTTP', '192.168.1.5', false, false, false, 'plain_http'],
    ['a mapped LAN client over plain HTTP', '::ffff:192.168.1.5', false, false, false, 'plain_http'],
    ['an IPv6 LAN client over plain HTTP', 'fd00::5', false, false, false, 'plain_http'],
    ['a LAN client with the opt-in', '192.168.1.5', false, false, true, null],
    ['a LAN client over TLS', '192.168.1.5', true, true, false, null],
    ['loopback over plain HTTP', '127.0.0.1', false, false, false, null],
    ['mapped loopback over plain HTTP', '::ffff:127.0.0.1', false, false, false, null],
    ['IPv6 loopback over plain HTTP', '::1', false, false, false, null],
  ] as const)('%s', (_name, address, tls, encrypted, optIn, reason) => {
    const refusal = transportRefusal(config(optIn), socket(address, encrypted), false, tls);
    expect(refusal?.reason ?? null).toBe(reason);
    if (refusal) expect(refusal.description).toBe('Credentials are accepted only over TLS');
  });

  test('parameters in the URL are refused on every transport', () => {
    expect(transportRefusal(config(true), socket('127.0.0.1'), true, true)?.reason).toBe('query_string');
  });
});
