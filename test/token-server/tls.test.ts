import { randomBytes, X509Certificate } from 'node:crypto';
import { request } from 'node:https';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { aesGcmKeyWrapper } from '../../electron/crypto/key-wrap.js';
import { loadOrCreateTlsMaterial, type TlsMaterial } from '../../electron/crypto/tls.js';
import { createAllowlistChecker } from '../../electron/net/allowlist-checker.js';
import { EMPTY_RANGE_SET } from '../../electron/ranges/types.js';
import { SigningKeysService } from '../../electron/services/signing-keys.service.js';
import { DEFAULT_TOKEN_SERVER_SETTINGS } from '../../electron/services/token-server-settings.js';
import { PlainHttpRefusedError, startTokenServer, transportRefusal, type RunningTokenServer } from '../../electron/token-server/server.js';
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

  test('the fingerprint integrators compare is the CA certificate\'s SHA-256', () => {
    expect(material.caFingerprint).toBe(new X509Certificate(material.caCert).fingerprint256);
    expect(material.caFingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const server = new X509Certificate(material.cert);
    expect(server.checkIssued(new X509Certificate(material.caCert))).toBe(true);
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
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
