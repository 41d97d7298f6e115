import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { RETIRED_KEY_PUBLISHED_MS } from '../../electron/services/signing-keys.service.js';
import { claimsOf, headerOf, startFixture, tokenRequest, type Fixture } from './support.js';

let f: Fixture;
beforeEach(async () => {
  f = await startFixture();
});
afterEach(() => f.close());

const getJson = async (path: string) => {
  const response = await fetch(`${f.url}${path}`);
  return { response, json: (await response.json()) as Record<string, unknown> };
};

describe('RFC 8414 metadata', () => {
  test('the whole document, with the issuer byte-equal to the tokens\' iss', async () => {
    const { response, json } = await getJson('/.well-known/oauth-authorization-server');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(json).toEqual({
      issuer: f.url,
      token_endpoint: `${f.url}/oauth2/token`,
      jwks_uri: `${f.url}/jwks.json`,
      grant_types_supported: ['client_credentials'],
      response_types_supported: [],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['ES256', 'RS256', 'EdDSA'],
      introspection_endpoint: `${f.url}/oauth2/introspect`,
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
      introspection_endpoint_auth_signing_alg_values_supported: ['ES256', 'RS256', 'EdDSA'],
      revocation_endpoint: `${f.url}/oauth2/revoke`,
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
      revocation_endpoint_auth_signing_alg_values_supported: ['ES256', 'RS256', 'EdDSA'],
      registration_endpoint: `${f.url}/oauth2/register`,
    });
    const token = (await tokenRequest(f)).json.access_token as string;
    expect(claimsOf(token).iss).toBe(json.issuer);
  });

  test('a configured issuer is used as is, in the metadata and in every token', async () => {
    const g = await startFixture({ settings: { issuer: 'https://keyrack.office.lan:8443' } });
    try {
      const metadata = (await (await fetch(`${g.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, string>;
      expect(metadata.issuer).toBe('https://keyrack.office.lan:8443');
      expect(metadata.token_endpoint).toBe('https://keyrack.office.lan:8443/oauth2/token');
      expect(claimsOf((await tokenRequest(g)).json.access_token as string).iss).toBe('https://keyrack.office.lan:8443');
    } finally {
      await g.close();
    }
  });

  test('POST to the metadata is 405', async () => {
    const response = await fetch(`${f.url}/.well-known/oauth-authorization-server`, { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  test('healthz', async () => {
    const { response, json } = await getJson('/healthz');
    expect(response.status).toBe(200);
    expect(json).toEqual({ status: 'ready' });
  });
});

describe('JWKS', () => {
  const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

  test('public keys only, each with kid, alg and use', async () => {
    const { json } = await getJson('/jwks.json');
    const keys = json.keys as Record<string, unknown>[];
    expect(keys).toHaveLength(1);
    expect(Object.keys(keys[0]!).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
  });

  test('after a rotation both keys are published; tokens of either verify; the old key leaves once its tokens expired', async () => {
    const oldToken = (await tokenRequest(f)).json.access_token as string;
    const rotated = await f.keys.rotate(f.admin, { alg: 'RS256' }, 'ES256');
    await f.server.context.keys.reload();
    const newToken = (await tokenRequest(f)).json.access_token as string;
    expect(headerOf(newToken)).toMatchObject({ alg: 'RS256', kid: rotated.kid });

    const { json } = await getJson('/jwks.json');
    const keys = json.keys as Record<string, unknown>[];
    expect(keys.map((k) => k.kid).sort()).toEqual([headerOf(oldToken).kid, rotated.kid].sort());
    for (const key of keys) for (const member of PRIVATE_MEMBERS) expect(key).not.toHaveProperty(member);
    expect(Object.keys(keys.find((k) => k.kid === rotated.kid)!).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);

    const jwks = createLocalJWKSet(json as unknown as JSONWebKeySet);
    for (const token of [oldToken, newToken]) {
      await expect(jwtVerify(token, jwks, { issuer: f.server.issuer, typ: 'at+jwt' })).resolves.toBeTruthy();
    }

    // Still published a moment before every token the old key signed has surely expired, gone after.
    f.core.clock.advance(RETIRED_KEY_PUBLISHED_MS - 60_000);
    await f.server.context.keys.reload();
    expect(((await getJson('/jwks.json')).json.keys as unknown[]).length).toBe(2);
    f.core.clock.advance(61_000);
    await f.server.context.keys.reload();
    expect(((await getJson('/jwks.json')).json.keys as { kid: string }[]).map((k) => k.kid)).toEqual([rotated.kid]);
    f.core.clock.set(Date.now());
  });

  test('a key rotated by another process (keyrack keys rotate) is picked up without a restart', async () => {
    const before = headerOf((await tokenRequest(f)).json.access_token as string).kid;
    const rotated = await f.keys.rotate(f.admin, {}, 'ES256');
    // The key ring re-reads the store at most once a second (by the server's clock).
    f.core.clock.advance(1_001);
    const after = headerOf((await tokenRequest(f)).json.access_token as string).kid;
    f.core.clock.set(Date.now());
    expect(after).toBe(rotated.kid);
    expect(after).not.toBe(before);
  });
});
