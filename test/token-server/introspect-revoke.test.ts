import { generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  AUTH_FAILED,
  basic,
  CHALLENGE,
  claimsOf,
  headerOf,
  lastEventId,
  newClient,
  NO_BACKOFF,
  post,
  startFixture,
  tokenEvents,
  tokenRequest,
  type Client,
  type Fixture,
} from './support.js';

let f: Fixture;
beforeAll(async () => {
  f = await startFixture({ tuning: NO_BACKOFF });
});
afterAll(() => f.close());

const introspect = (token: string, caller: Client = f.rs) =>
  post(f.url, '/oauth2/introspect', { token }, { authorization: basic(caller.clientId, caller.secret) });
const revoke = (token: string, caller: Client = f.crm) =>
  post(f.url, '/oauth2/revoke', { token, token_type_hint: 'access_token' }, { authorization: basic(caller.clientId, caller.secret) });
const issue = async (client: Client = f.crm) => (await tokenRequest(f, {}, client)).json.access_token as string;

/** A token with the same header and claims as a real one, signed by a key this server never had. */
function foreignToken(real: string): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const [h, p] = real.split('.');
  const signature = sign('sha256', Buffer.from(`${h}.${p}`), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${h}.${p}.${signature.toString('base64url')}`;
}

function tampered(real: string): string {
  const [h, , s] = real.split('.');
  const claims = { ...claimsOf(real), scope: 'properties:read properties:delete' };
  return `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
}

describe('introspection (RFC 7662)', () => {
  test('401 with a challenge without client authentication', async () => {
    const reply = await post(f.url, '/oauth2/introspect', { token: await issue() });
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual(AUTH_FAILED);
    expect(reply.headers.get('www-authenticate')).toBe(CHALLENGE);
  });

  test('401 with a wrong secret', async () => {
    const reply = await introspect(await issue(), { ...f.rs, secret: 'wrong' });
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual(AUTH_FAILED);
  });

  test('403 for a client without the keyrack:introspect right', async () => {
    const reply = await introspect(await issue(), f.crm);
    expect(reply.status).toBe(403);
    expect(reply.json).toEqual({ error: 'unauthorized_client', error_description: 'This client lacks the keyrack:introspect right' });
    expect(reply.headers.get('cache-control')).toBe('no-store');
  });

  test('400 without a token parameter', async () => {
    const reply = await post(f.url, '/oauth2/introspect', {}, { authorization: basic(f.rs.clientId, f.rs.secret) });
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({ error: 'invalid_request', error_description: 'token is required' });
  });

  test('a good token: active, with every claim', async () => {
    const token = await issue();
    const before = await lastEventId(f);
    const reply = await introspect(token);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    expect(reply.json).toEqual({ active: true, ...claimsOf(token), token_type: 'Bearer' });
    expect((await tokenEvents(f, before))[0]).toMatchObject({
      type: 'token.introspected',
      outcome: 'success',
      details: { active: true, jti: claimsOf(token).jti, tokenClientId: f.crm.clientId },
    });
  });

  const INACTIVE: [string, () => Promise<string>][] = [
    ['unknown (not a JWT)', () => Promise.resolve('not-a-token')],
    ['an empty-looking JWT', () => Promise.resolve('e30.e30.')],
    ['tampered claims', async () => tampered(await issue())],
    ['signed by a foreign key', async () => foreignToken(await issue())],
    ['alg none', async () => {
      const real = await issue();
      const header = Buffer.from(JSON.stringify({ ...headerOf(real), alg: 'none' })).toString('base64url');
      return `${header}.${real.split('.')[1]}.`;
    }],
    ['expired', async () => {
      f.core.clock.set(Date.now() - 2 * 3600_000);
      try {
        return await issue();
      } finally {
        f.core.clock.set(Date.now());
      }
    }],
    ['revoked by its client', async () => {
      const token = await issue();
      expect((await revoke(token)).status).toBe(200);
      return token;
    }],
    ['of a user disabled since', async () => {
      const c = await newClient(f);
      const token = await issue(c);
      await f.core.users.disable(f.admin, { id: c.userId });
      return token;
    }],
  ];

  test.each(INACTIVE)('%s: {"active":false} and nothing else', async (_name, make) => {
    const reply = await introspect(await make());
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('{"active":false}');
  });

  test('a token of another Keyrack server (its own issuer and keys) is inactive', async () => {
    const g = await startFixture({ settings: { issuer: 'https://elsewhere.example:8443' } });
    try {
      const reply = await introspect((await tokenRequest(g)).json.access_token as string);
      expect(reply.text).toBe('{"active":false}');
    } finally {
      await g.close();
    }
  });
});

describe('revocation (RFC 7009)', () => {
  test('its own token: 200, empty, and it introspects inactive at once', async () => {
    const token = await issue();
    expect((await introspect(token)).json.active).toBe(true);
    const before = await lastEventId(f);
    const reply = await revoke(token);
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('');
    expect(reply.headers.get('cache-control')).toBe('no-store');
    expect((await introspect(token)).text).toBe('{"active":false}');
    expect((await tokenEvents(f, before))[0]).toMatchObject({ type: 'token.revoked', outcome: 'success', reason: null, details: { jti: claimsOf(token).jti } });
    // Revoking again changes nothing and still answers 200.
    expect((await revoke(token)).status).toBe(200);
  });

  test('an unknown token: 200, nothing revoked', async () => {
    const before = await lastEventId(f);
    const reply = await revoke('garbage');
    expect(reply.status).toBe(200);
    expect((await tokenEvents(f, before))[0]).toMatchObject({ type: 'token.revoked', outcome: 'failure', reason: 'unknown_token' });
  });

  test("another client's token: 200 to the caller, the token untouched", async () => {
    const other = await newClient(f);
    const token = await issue(other);
    const before = await lastEventId(f);
    expect((await revoke(token, f.crm)).status).toBe(200);
    expect((await tokenEvents(f, before))[0]).toMatchObject({ reason: 'foreign_token' });
    expect((await introspect(token)).json.active).toBe(true);
  });

  test('401 without client authentication, 400 without a token', async () => {
    const unauthenticated = await post(f.url, '/oauth2/revoke', { token: await issue() });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.json).toEqual(AUTH_FAILED);
    const missing = await post(f.url, '/oauth2/revoke', {}, { authorization: basic(f.crm.clientId, f.crm.secret) });
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual({ error: 'invalid_request', error_description: 'token is required' });
  });
});
