import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import * as oauth from 'oauth4webapi';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAllowlistChecker } from '../../electron/net/allowlist-checker.js';
import { EMPTY_RANGE_SET } from '../../electron/ranges/types.js';
import { SigningKeysService } from '../../electron/services/signing-keys.service.js';
import { DEFAULT_TOKEN_SERVER_SETTINGS } from '../../electron/services/token-server-settings.js';
import { startTokenServer } from '../../electron/token-server/server.js';
import { parseInputOf } from '../../shared/contract.js';
import {
  AUTH_FAILED,
  basic,
  CHALLENGE,
  claimsOf,
  lastEventId,
  newClient,
  NO_BACKOFF,
  post,
  startFixture,
  tokenEvents,
  type Client,
  type Fixture,
} from './support.js';

/**
 * private_key_jwt (RFC 7523 §2.2 and §3, RFC 7521 §4.2) over real HTTP: real client libraries unchanged,
 * then every rule of the assertion broken in turn, each answered with the one invalid_client body and its
 * own reason in the log.
 */

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

let f: Fixture;
let client: Client;
let pair: { privateKey: CryptoKey; publicKey: CryptoKey };
let kid: string;

/** A key pair whose public half is added to `c` through the service, as the admin does. */
async function keyFor(c: Client, alg: 'ES256' | 'RS256' | 'EdDSA' = 'ES256', extra: { expiresAt?: number } = {}) {
  const keys = await generateKeyPair(alg, { extractable: true });
  const info = await f.core.clientKeys.add(
    f.admin,
    parseInputOf('clientKeys.add', { userId: c.userId, key: await exportSPKI(keys.publicKey), label: `${alg} key`, ...extra }),
  );
  return { ...keys, kid: info.kid, id: info.id, alg };
}

/** A well-formed assertion for `c`, with `claims` laid over the defaults (undefined removes one). */
function assertion(
  c: Client,
  key: CryptoKey,
  keyId: string | undefined,
  claims: Partial<Record<keyof JWTPayload, unknown>> = {},
  alg = 'ES256',
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = { iss: c.clientId, sub: c.clientId, aud: f.server.issuer, iat: now, exp: now + 60, jti: randomUUID() };
  for (const [name, value] of Object.entries(claims)) {
    if (value === undefined) delete payload[name];
    else payload[name] = value;
  }
  return new SignJWT(payload as JWTPayload).setProtectedHeader(keyId === undefined ? { alg } : { alg, kid: keyId }).sign(key);
}

const withAssertion = (jwt: string, path = '/oauth2/token', fields: Record<string, string> = { grant_type: 'client_credentials' }) =>
  post(f.url, path, { ...fields, client_assertion_type: JWT_BEARER, client_assertion: jwt });

/** The refusal every failure gets (same as a wrong secret's), and the reason it was logged with. */
async function expectRefused(reply: Awaited<ReturnType<typeof post>>, since: number, reason: string, type = 'token.denied') {
  expect(reply.status).toBe(401);
  expect(reply.json).toEqual(AUTH_FAILED);
  expect(reply.headers.get('www-authenticate')).toBe(CHALLENGE);
  expect(reply.headers.get('cache-control')).toBe('no-store');
  const events = await tokenEvents(f, since);
  expect(events.at(-1)).toMatchObject({ type, outcome: 'failure', reason });
  expect(events.at(-1)!.details.method).toBe('private_key_jwt');
}

beforeAll(async () => {
  f = await startFixture({ tuning: NO_BACKOFF });
  client = await newClient(f);
  const key = await keyFor(client);
  pair = key;
  kid = key.kid;
});
afterAll(() => f.close());

describe('a client with a public key gets tokens', () => {
  test.each(['ES256', 'RS256', 'EdDSA'] as const)('%s: token issued, logged with the key, its last use recorded', async (alg) => {
    const c = await newClient(f);
    const key = await keyFor(c, alg);
    const since = await lastEventId(f);
    const reply = await withAssertion(await assertion(c, key.privateKey, key.kid, {}, alg));
    expect(reply.status).toBe(200);
    expect(claimsOf(reply.json.access_token as string)).toMatchObject({ sub: c.clientId, client_id: c.clientId });
    expect((await tokenEvents(f, since))).toEqual([
      expect.objectContaining({ type: 'token.issued', outcome: 'success', details: expect.objectContaining({ method: 'private_key_jwt', keyId: key.id }) }),
    ]);
    const [listed] = await f.core.clientKeys.list(f.admin, { userId: c.userId });
    expect(listed).toMatchObject({ kid: key.kid, lastUsedIp: '127.0.0.1', lastUsedAt: expect.any(Number) });
  });

  test('without a kid, the key is found by the header\'s alg; the token endpoint URL is accepted as aud', async () => {
    const reply = await withAssertion(await assertion(client, pair.privateKey, undefined, { aud: `${f.server.issuer}/oauth2/token` }));
    expect(reply.status).toBe(200);
  });

  test('openid-client, unchanged, with its PrivateKeyJwt', async () => {
    const config = await oidc.discovery(new URL(f.url), client.clientId, {}, oidc.PrivateKeyJwt({ key: pair.privateKey, kid }), {
      algorithm: 'oauth2',
      execute: [oidc.allowInsecureRequests],
    });
    expect(config.serverMetadata().token_endpoint_auth_methods_supported).toContain('private_key_jwt');
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'properties:read' });
    expect(tokens.scope).toBe('properties:read');
    expect(claimsOf(tokens.access_token).sub).toBe(client.clientId);
    // And again: each request signs a fresh jti.
    expect((await oidc.clientCredentialsGrant(config)).access_token).toEqual(expect.any(String));
  });

  test('oauth4webapi, unchanged, with its PrivateKeyJwt', async () => {
    const issuer = new URL(f.url);
    const as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', [oauth.allowInsecureRequests]: true }),
    );
    const c: oauth.Client = { client_id: client.clientId };
    const auth = oauth.PrivateKeyJwt({ key: pair.privateKey, kid });
    const response = await oauth.clientCredentialsGrantRequest(as, c, auth, new URLSearchParams({ scope: 'properties:read' }), {
      [oauth.allowInsecureRequests]: true,
    });
    const result = await oauth.processClientCredentialsResponse(as, c, response);
    expect(result.scope).toBe('properties:read');
  });

  test('introspection and revocation take private_key_jwt too', async () => {
    const token = (await withAssertion(await assertion(client, pair.privateKey, kid))).json.access_token as string;
    // The resource server (keyrack:introspect) authenticates with a key of its own.
    const rsKey = await keyFor(f.rs);
    const introspected = await withAssertion(await assertion(f.rs, rsKey.privateKey, rsKey.kid), '/oauth2/introspect', { token });
    expect(introspected.status).toBe(200);
    expect(introspected.json).toMatchObject({ active: true, client_id: client.clientId });
    const revoked = await withAssertion(await assertion(client, pair.privateKey, kid), '/oauth2/revoke', { token });
    expect(revoked.status).toBe(200);
    const after = await withAssertion(await assertion(f.rs, rsKey.privateKey, rsKey.kid), '/oauth2/introspect', { token });
    expect(after.json).toEqual({ active: false });
    const badRevoke = await withAssertion(await assertion(client, pair.privateKey, kid, { aud: 'https://elsewhere' }), '/oauth2/revoke', { token });
    expect(badRevoke.status).toBe(401);
    expect(badRevoke.json).toEqual(AUTH_FAILED);
  });
});

describe('every rule, broken in turn', () => {
  const now = () => Math.floor(Date.now() / 1000);
  /** Each wrong claim set and the reason the log must give. */
  const wrongClaims: [string, () => Partial<Record<keyof JWTPayload, unknown>>, string][] = [
    ['iss another client', () => ({ iss: 'keyrack-someone-else' }), 'assertion_issuer'],
    ['iss missing', () => ({ iss: undefined }), 'assertion_issuer'],
    ['sub another client (with client_id naming ours)', () => ({}), 'assertion_subject'],
    ['aud elsewhere', () => ({ aud: 'https://elsewhere.example' }), 'assertion_audience'],
    ['aud missing', () => ({ aud: undefined }), 'assertion_audience'],
    ['exp missing', () => ({ exp: undefined }), 'assertion_claims'],
    ['exp too far ahead', () => ({ exp: now() + 3600 }), 'assertion_lifetime'],
    ['exp past', () => ({ exp: now() - 120, iat: now() - 180 }), 'assertion_expired'],
    ['nbf in the future', () => ({ nbf: now() + 120 }), 'assertion_not_yet_valid'],
    ['iat in the future', () => ({ iat: now() + 120 }), 'assertion_not_yet_valid'],
    ['jti missing', () => ({ jti: undefined }), 'assertion_claims'],
  ];

  test('each wrong claim: 401 invalid_client, the reason in the log only (property: any order, any jti)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...wrongClaims), fc.uuid(), async ([what, claims, reason], jti) => {
        const since = await lastEventId(f);
        let reply;
        if (what.startsWith('sub')) {
          // The body's client_id names our client, the assertion's sub another: the subject check refuses it.
          const jwt = await assertion(client, pair.privateKey, kid, { sub: 'keyrack-someone-else', jti });
          reply = await post(f.url, '/oauth2/token', {
            grant_type: 'client_credentials', client_id: client.clientId, client_assertion_type: JWT_BEARER, client_assertion: jwt,
          });
          await expectRefused(reply, since, 'assertion_subject');
          return;
        }
        reply = await withAssertion(await assertion(client, pair.privateKey, kid, { jti, ...claims() }));
        await expectRefused(reply, since, reason);
      }),
      { numRuns: 30 },
    );
  });

  test('without client_id, the sub names the client: a sub no client has is unknown_client', async () => {
    const since = await lastEventId(f);
    await expectRefused(await withAssertion(await assertion(client, pair.privateKey, kid, { sub: 'keyrack-nobody' })), since, 'unknown_client');
  });

  test('a replayed jti is refused, however often it comes back', async () => {
    const jwt = await assertion(client, pair.privateKey, kid);
    expect((await withAssertion(jwt)).status).toBe(200);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/oauth2/token', '/oauth2/revoke'), async (path) => {
        const since = await lastEventId(f);
        const fields: Record<string, string> = path === '/oauth2/token' ? { grant_type: 'client_credentials' } : { token: 'x' };
        await expectRefused(await withAssertion(jwt, path, fields), since, 'assertion_replayed', path === '/oauth2/token' ? 'token.denied' : 'token.revoked');
      }),
      { numRuns: 4 },
    );
  });

  test('alg none is refused', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', kid })).toString('base64url');
    const n = now();
    const body = Buffer.from(JSON.stringify({ iss: client.clientId, sub: client.clientId, aud: f.server.issuer, exp: n + 60, jti: randomUUID() })).toString('base64url');
    const since = await lastEventId(f);
    await expectRefused(await withAssertion(`${header}.${body}.`), since, 'assertion_alg');
  });

  test('HS256 with the public key as the HMAC secret is refused', async () => {
    const jwk = await exportJWK(pair.publicKey);
    const secret = new TextEncoder().encode(JSON.stringify(jwk));
    const n = now();
    const jwt = await new SignJWT({ iss: client.clientId, sub: client.clientId, aud: f.server.issuer, exp: n + 60, jti: randomUUID() })
      .setProtectedHeader({ alg: 'HS256', kid })
      .sign(secret);
    const pem = new TextEncoder().encode(await exportSPKI(pair.publicKey));
    const jwt2 = await new SignJWT({ iss: client.clientId, sub: client.clientId, aud: f.server.issuer, exp: n + 60, jti: randomUUID() })
      .setProtectedHeader({ alg: 'HS256', kid })
      .sign(pem);
    for (const token of [jwt, jwt2]) {
      const since = await lastEventId(f);
      await expectRefused(await withAssertion(token), since, 'assertion_alg');
    }
  });

  test('a key that is not the client\'s: under its kid, assertion_signature; under an unknown kid, unknown_key', async () => {
    const stranger = await generateKeyPair('ES256');
    let since = await lastEventId(f);
    await expectRefused(await withAssertion(await assertion(client, stranger.privateKey, kid)), since, 'assertion_signature');
    since = await lastEventId(f);
    await expectRefused(await withAssertion(await assertion(client, stranger.privateKey, 'no-such-kid')), since, 'unknown_key');
  });

  test('a revoked key, then an expired key, are refused with their reasons', async () => {
    const c = await newClient(f);
    const key = await keyFor(c);
    expect((await withAssertion(await assertion(c, key.privateKey, key.kid))).status).toBe(200);
    await f.core.clientKeys.revoke(f.admin, { userId: c.userId, kid: key.kid });
    let since = await lastEventId(f);
    await expectRefused(await withAssertion(await assertion(c, key.privateKey, key.kid)), since, 'key_revoked');

    // The server runs on the fixture's clock: the key expires when that clock passes its expiry.
    const soon = await keyFor(c, 'ES256', { expiresAt: f.core.clock.now() + 1000 });
    expect((await withAssertion(await assertion(c, soon.privateKey, soon.kid))).status).toBe(200);
    f.core.clock.advance(1000);
    since = await lastEventId(f);
    await expectRefused(await withAssertion(await assertion(c, soon.privateKey, soon.kid)), since, 'key_expired');
  });

  test('the wrong client_assertion_type, or none beside an assertion: invalid_client', async () => {
    const jwt = await assertion(client, pair.privateKey, kid);
    for (const type of ['urn:ietf:params:oauth:client-assertion-type:saml2-bearer', `${JWT_BEARER} `]) {
      const since = await lastEventId(f);
      const reply = await post(f.url, '/oauth2/token', { grant_type: 'client_credentials', client_assertion_type: type, client_assertion: jwt });
      await expectRefused(reply, since, 'assertion_type');
    }
    const since = await lastEventId(f);
    await expectRefused(await post(f.url, '/oauth2/token', { grant_type: 'client_credentials', client_assertion: jwt }), since, 'assertion_missing');
  });

  test('an assertion plus Basic or client_secret is invalid_request', async () => {
    const jwt = await assertion(client, pair.privateKey, kid);
    const form = { grant_type: 'client_credentials', client_assertion_type: JWT_BEARER, client_assertion: jwt };
    const both = [
      await post(f.url, '/oauth2/token', form, { authorization: basic(client.clientId, client.secret) }),
      await post(f.url, '/oauth2/token', { ...form, client_id: client.clientId, client_secret: client.secret }),
    ];
    for (const reply of both) {
      expect(reply.status).toBe(400);
      expect(reply.json).toEqual({ error: 'invalid_request', error_description: 'Use one client authentication method, not both' });
    }
  });

  test('a disabled API user with a good assertion: user_disabled', async () => {
    const c = await newClient(f);
    const key = await keyFor(c);
    await f.core.users.disable(f.admin, { id: c.userId });
    const since = await lastEventId(f);
    await expectRefused(await withAssertion(await assertion(c, key.privateKey, key.kid)), since, 'user_disabled');
  });
});

test('a restart does not forget used jtis', async () => {
  const jti = randomUUID();
  expect((await withAssertion(await assertion(client, pair.privateKey, kid, { jti }))).status).toBe(200);
  const deps = f.core.deps;
  const restarted = await startTokenServer({
    deps,
    keys: new SigningKeysService(deps, () => f.wrapper),
    settings: DEFAULT_TOKEN_SERVER_SETTINGS,
    allowlist: createAllowlistChecker(() => EMPTY_RANGE_SET),
    host: '127.0.0.1',
    port: 0,
    tuning: NO_BACKOFF,
    auditWriter: 'inline',
  });
  try {
    const jwt = await assertion(client, pair.privateKey, kid, { jti, aud: restarted.issuer });
    const reply = await post(restarted.url, '/oauth2/token', { grant_type: 'client_credentials', client_assertion_type: JWT_BEARER, client_assertion: jwt });
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual(AUTH_FAILED);
    expect((await tokenEvents(f)).at(-1)).toMatchObject({ reason: 'assertion_replayed' });
    // A fresh jti on the new server works.
    const fresh = await assertion(client, pair.privateKey, kid, { aud: restarted.issuer });
    expect((await post(restarted.url, '/oauth2/token', { grant_type: 'client_credentials', client_assertion_type: JWT_BEARER, client_assertion: fresh })).status).toBe(200);
  } finally {
    await restarted.close();
  }
});
