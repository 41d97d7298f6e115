import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  AUTH_FAILED,
  auditText,
  CHALLENGE,
  claimsOf,
  headerOf,
  lastEventId,
  newClient,
  NO_BACKOFF,
  startFixture,
  tokenEvents,
  tokenRequest,
  type Client,
  type Fixture,
} from './support.js';
import { parseInputOf } from '../../shared/contract.js';

let f: Fixture;
beforeAll(async () => {
  // Back-off is tested on its own (guessing.test.ts); these refusals must not turn into 429s.
  f = await startFixture({ tuning: NO_BACKOFF });
});
afterAll(() => f.close());

/** Requests a token twice (first through argon2, then through the verified-secret cache): both refused alike. */
async function expectRefused(client: Client, reason: string): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const before = await lastEventId(f);
    const reply = await tokenRequest(f, {}, client);
    expect(reply.status).toBe(401);
    expect(reply.text).toBe(JSON.stringify(AUTH_FAILED));
    expect(reply.headers.get('www-authenticate')).toBe(CHALLENGE);
    const [event] = await tokenEvents(f, before);
    expect(event).toMatchObject({ type: 'token.denied', outcome: 'failure', reason, sourceIp: '127.0.0.1' });
    expect(event!.details.clientId).toBe(client.clientId);
  }
}

describe('refused clients: invalid_client on the wire, the reason in the log only', () => {
  test('a disabled user', async () => {
    const c = await newClient(f);
    expect((await tokenRequest(f, {}, c)).status).toBe(200); // its secret's verification is now cached
    await f.core.users.disable(f.admin, { id: c.userId });
    await expectRefused(c, 'user_disabled');
    await f.core.users.enable(f.admin, { id: c.userId });
    expect((await tokenRequest(f, {}, c)).status).toBe(200);
  });

  test('an expired user', async () => {
    const c = await newClient(f, { expiresAt: f.core.clock.now() + 60_000 });
    expect((await tokenRequest(f, {}, c)).status).toBe(200);
    f.core.clock.advance(61_000);
    try {
      await expectRefused(c, 'user_expired');
    } finally {
      f.core.clock.set(Date.now());
    }
  });

  test('a deleted user', async () => {
    const c = await newClient(f);
    await f.core.users.delete(f.admin, { id: c.userId });
    await expectRefused(c, 'user_deleted');
  });

  test('a revoked secret, whether its verification was cached or not', async () => {
    const c = await newClient(f);
    expect((await tokenRequest(f, {}, c)).status).toBe(200);
    await f.core.secrets.revoke(f.admin, { userId: c.userId, secretId: c.secretId });
    await expectRefused(c, 'secret_revoked');
  });

  test('an expired secret', async () => {
    const c = await newClient(f, { secretExpiresAt: f.core.clock.now() + 60_000 });
    expect((await tokenRequest(f, {}, c)).status).toBe(200);
    f.core.clock.advance(61_000);
    try {
      await expectRefused(c, 'secret_expired');
    } finally {
      f.core.clock.set(Date.now());
    }
  });

  test('an address outside the allowlist', async () => {
    const c = await newClient(f, { allowlist: ['192.168.50.0/24'] });
    await expectRefused(c, 'address_not_allowed');
  });

  test('no secret, hash or token in any log row', async () => {
    const text = await auditText(f);
    expect(text).not.toContain(f.crm.secret);
    expect(text).not.toMatch(/\$argon2id\$/);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]+\.eyJ/);
  });
});

describe('scope (RFC 6749 §3.3)', () => {
  test('no scope means every right the user holds', async () => {
    const reply = await tokenRequest(f);
    expect(reply.json.scope).toBe('mail:send properties:read');
    expect(claimsOf(reply.json.access_token as string).scope).toBe('mail:send properties:read');
  });

  test('a subset is granted as asked, duplicates once', async () => {
    const reply = await tokenRequest(f, { scope: 'properties:read properties:read' });
    expect(reply.status).toBe(200);
    expect(reply.json.scope).toBe('properties:read');
  });

  test('one scope beyond the rights refuses the whole request, and the log names what was missing', async () => {
    const before = await lastEventId(f);
    const reply = await tokenRequest(f, { scope: 'properties:read properties:write' });
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({ error: 'invalid_scope', error_description: 'The requested scope exceeds the rights of this client' });
    expect((await tokenEvents(f, before))[0]).toMatchObject({ reason: 'scope_not_granted', details: { missing: ['properties:write'] } });
  });

  test('an endpoint-style right (orders/import:write) is a scope-token: asked for, granted and carried in the token', async () => {
    await f.core.rights.addResource(f.admin, parseInputOf('rights.addResource', { name: 'orders/import', actions: ['write'] }));
    await f.core.groups.create(f.admin, parseInputOf('groups.create', { name: 'Order import', rights: [{ resource: 'orders/import', action: 'write' }] }));
    const c = await newClient(f, { groupNames: ['Order import'] });
    const asked = await tokenRequest(f, { scope: 'orders/import:write' }, c);
    expect(asked.status).toBe(200);
    expect(asked.json.scope).toBe('orders/import:write');
    expect(claimsOf(asked.json.access_token as string).scope).toBe('orders/import:write');
    const beyond = await tokenRequest(f, { scope: 'orders/import:write orders/export:read' }, c);
    expect(beyond.json).toMatchObject({ error: 'invalid_scope' });
  });

  test('a user without rights gets invalid_scope, not an empty token', async () => {
    const c = await newClient(f, { groupNames: [] });
    const reply = await tokenRequest(f, {}, c);
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({ error: 'invalid_scope', error_description: 'This client holds no rights, so there is nothing to put in a token' });
  });
});

describe('RFC 9068 access tokens', () => {
  test('header and claims, with mailboxes and record filters', async () => {
    const reply = await tokenRequest(f);
    const token = reply.json.access_token as string;
    const header = headerOf(token);
    expect(header).toEqual({ alg: 'ES256', kid: (await f.server.context.keys.signer()).kid, typ: 'at+jwt' });
    const claims = claimsOf(token);
    expect(Object.keys(claims).sort()).toEqual(['aud', 'client_id', 'exp', 'filters', 'iat', 'iss', 'jti', 'mailboxes', 'scope', 'sub']);
    expect(claims).toMatchObject({
      iss: f.server.issuer,
      sub: f.crm.clientId,
      client_id: f.crm.clientId,
      aud: 'urn:keyrack:lan-api',
      scope: 'mail:send properties:read',
      mailboxes: ['info@example.com'],
      filters: { properties: ['published_only'] },
    });
    expect(claims.jti).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(claims.iat).toBe(Math.floor(f.core.clock.now() / 1000));
    expect((claims.exp as number) - (claims.iat as number)).toBe(600);
    expect(claimsOf((await tokenRequest(f)).json.access_token as string).jti).not.toBe(claims.jti);
  });

  test('record filters travel only for resources the token carries a scope for', async () => {
    const addresses = await f.core.rights.addResource(f.admin, parseInputOf('rights.addResource', { name: 'addresses', actions: ['read'], filters: [{ name: 'published_only' }] }));
    await f.core.groups.create(f.admin, parseInputOf('groups.create', { name: 'Address policy', filterIds: [addresses.filters[0]!.id] }));
    const c = await newClient(f, { groupNames: ['Website', 'Address policy'] });
    expect(claimsOf((await tokenRequest(f, {}, c)).json.access_token as string).filters).toEqual({ properties: ['published_only'] });
    // A token asked only for mail:send carries no properties filter either.
    const mailOnly = claimsOf((await tokenRequest(f, { scope: 'mail:send' }, c)).json.access_token as string);
    expect(mailOnly.scope).toBe('mail:send');
    expect(mailOnly).not.toHaveProperty('filters');
  });

  test('a user with neither mailboxes nor filters gets neither claim', async () => {
    const claims = claimsOf((await tokenRequest(f, {}, f.rs)).json.access_token as string);
    expect(claims).not.toHaveProperty('mailboxes');
    expect(claims).not.toHaveProperty('filters');
    expect(claims.scope).toBe('keyrack:introspect');
  });

  test('a configured audience asked with resource (RFC 8707) or audience', async () => {
    for (const name of ['resource', 'audience']) {
      const reply = await tokenRequest(f, { [name]: 'https://other.example.lan' });
      expect(claimsOf(reply.json.access_token as string).aud).toBe('https://other.example.lan');
    }
  });

  test("the user's own lifetime overrides the server's", async () => {
    const c = await newClient(f);
    await f.core.users.update(f.admin, { id: c.userId, tokenLifetimeSeconds: 120 });
    const reply = await tokenRequest(f, {}, c);
    expect(reply.json.expires_in).toBe(120);
    const claims = claimsOf(reply.json.access_token as string);
    expect((claims.exp as number) - (claims.iat as number)).toBe(120);
    await f.core.users.update(f.admin, { id: c.userId, tokenLifetimeSeconds: null });
    expect((await tokenRequest(f, {}, c)).json.expires_in).toBe(600);
  });
});
