import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import * as oauth from 'oauth4webapi';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseInputOf } from '../../shared/contract.js';
import type { ActivationCreated } from '../../shared/activations.dto.js';
import {
  AUTH_FAILED,
  auditText,
  basic,
  lastEventId,
  NO_BACKOFF,
  post,
  startFixture,
  type Fixture,
  type Reply,
} from './support.js';

/**
 * Activation codes over real HTTP (RFC 7591 registration, RFC 7592 management): every answer's status,
 * headers and body, every refusal with nothing created and its reason in the log, the approval flow, and
 * real client libraries getting tokens with what a registration handed out.
 */

const BEARER_CHALLENGE = 'Bearer error="invalid_token"';
const CODE_REFUSED = {
  error: 'invalid_token',
  error_description: 'The activation code is not valid: it is unknown, expired, used up or revoked',
};
const TOKEN_REFUSED = { error: 'invalid_token', error_description: 'The registration access token is not valid for this client' };

let f: Fixture;
let websiteId: number;
let mailboxId: number;

beforeAll(async () => {
  f = await startFixture({ tuning: NO_BACKOFF });
  websiteId = (f.core.db.prepare("SELECT id FROM groups WHERE name = 'Website'").get() as { id: number }).id;
  mailboxId = (f.core.db.prepare("SELECT id FROM mailboxes WHERE address = 'info@example.com'").get() as { id: number }).id;
});
afterAll(() => f.close());

let activationCounter = 0;
async function activation(input: Record<string, unknown> = {}): Promise<ActivationCreated> {
  return f.core.activations.create(
    f.admin,
    parseInputOf('activations.create', {
      name: `Vendor ${++activationCounter}`,
      groupIds: [websiteId],
      mailboxIds: [mailboxId],
      allowlist: ['127.0.0.1'],
      tokenLifetimeSeconds: 600,
      ...input,
    }),
  );
}

async function send(method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const response = await fetch(`${f.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // not JSON
  }
  return { status: response.status, headers: response.headers, text, json };
}

const register = (code: string | undefined, body: unknown, headers: Record<string, string> = {}) =>
  send('POST', '/oauth2/register', body, code === undefined ? headers : { authorization: `Bearer ${code}`, ...headers });

const manage = (method: 'GET' | 'PUT' | 'DELETE', uri: string, token: string | undefined, body?: unknown) =>
  send(method, new URL(uri).pathname, body, token === undefined ? {} : { authorization: `Bearer ${token}` });

const count = (table: string) => (f.core.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

function registrationEvents(since: number) {
  return (
    f.core.db
      .prepare(`SELECT type, outcome, reason, actor_name AS actorName, source_ip AS sourceIp, details FROM audit_events WHERE id > ? ORDER BY id`)
      .all(since) as { type: string; outcome: string; reason: string | null; actorName: string; sourceIp: string | null; details: string | null }[]
  ).map((e) => ({ ...e, details: e.details ? (JSON.parse(e.details) as Record<string, unknown>) : {} }));
}

function expectNoStore(reply: Reply) {
  expect(reply.headers.get('cache-control')).toBe('no-store');
  expect(reply.headers.get('pragma')).toBe('no-cache');
}

async function tokenWith(clientId: string, secret: string, fields: Record<string, string> = {}) {
  return post(f.url, '/oauth2/token', { grant_type: 'client_credentials', ...fields }, { authorization: basic(clientId, secret) });
}

describe('the metadata document', () => {
  test('lists registration_endpoint (RFC 8414 §2)', async () => {
    const doc = (await (await fetch(`${f.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(doc.registration_endpoint).toBe(`${f.server.issuer}/oauth2/register`);
  });
});

describe('a secret-based registration', () => {
  let created: ActivationCreated;
  let reply: Reply;
  const since = { id: 0 };

  beforeAll(async () => {
    created = await activation({ maxRegistrations: 2 });
    since.id = await lastEventId(f);
    reply = await register(created.code, {
      client_name: 'Acme CRM',
      token_endpoint_auth_method: 'client_secret_basic',
      scope: 'properties:read',
      contacts: ['ops@acme.example'],
      software_id: 'acme-crm',
      software_version: '4.2.0',
      unknown_member: 'ignored (RFC 7591 §2)',
    });
  });

  test('answers 201 with the client information response (RFC 7591 §3.2.1), never cached', async () => {
    expect(reply.status).toBe(201);
    expectNoStore(reply);
    expect(reply.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    const body = reply.json;
    expect(Object.keys(body).sort()).toEqual(
      [
        'client_id',
        'client_id_issued_at',
        'client_name',
        'client_secret',
        'client_secret_expires_at',
        'contacts',
        'grant_types',
        'registration_access_token',
        'registration_client_uri',
        'response_types',
        'scope',
        'software_id',
        'software_version',
        'token_endpoint_auth_method',
      ].sort(),
    );
    expect(body).toMatchObject({
      client_id: 'keyrack-acme-crm',
      client_secret_expires_at: 0,
      client_name: 'Acme CRM',
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['client_credentials'],
      response_types: [],
      scope: 'properties:read',
      contacts: ['ops@acme.example'],
      software_id: 'acme-crm',
      software_version: '4.2.0',
      registration_client_uri: `${f.server.issuer}/oauth2/register/keyrack-acme-crm`,
    });
    expect(body.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.registration_access_token).toMatch(/^krr_[A-Za-z0-9_-]{43}$/);
    expect(body.client_id_issued_at).toBe(Math.floor(f.core.clock.now() / 1000));
  });

  test('creates the API user from the template: groups, mailboxes, allowlist, token lifetime', async () => {
    const user = (await f.core.users.list(f.admin, parseInputOf('users.list', { search: 'Acme CRM' }))).rows[0]!;
    const detail = await f.core.users.show(f.admin, { id: user.id });
    expect(detail).toMatchObject({ kind: 'api', status: 'active', clientId: 'keyrack-acme-crm', tokenLifetimeSeconds: 600 });
    expect(detail.groups.map((g) => g.name)).toEqual(['Website']);
    expect(detail.mailboxes.map((m) => m.address)).toEqual(['info@example.com']);
    expect(detail.allowlist.map((e) => e.entry)).toEqual(['127.0.0.1']);
  });

  test('logs who registered: the activation, the address, the software id; never the code or a secret', async () => {
    const event = registrationEvents(since.id).find((e) => e.type === 'registration.created')!;
    expect(event).toMatchObject({ outcome: 'success', sourceIp: '127.0.0.1', actorName: `activation:${created.activation.name}` });
    expect(event.details).toMatchObject({
      activationId: created.activation.id,
      activation: created.activation.name,
      clientId: 'keyrack-acme-crm',
      softwareId: 'acme-crm',
      softwareVersion: '4.2.0',
      state: 'active',
    });
    const all = await auditText(f);
    expect(all).not.toContain(created.code);
    expect(all).not.toContain(reply.json.client_secret as string);
    expect(all).not.toContain(reply.json.registration_access_token as string);
  });

  test('openid-client, unchanged, gets a token with the registered credentials, held to the registered scope', async () => {
    const config = await oidc.discovery(new URL(f.url), reply.json.client_id as string, reply.json.client_secret as string, undefined, {
      algorithm: 'oauth2',
      execute: [oidc.allowInsecureRequests],
    });
    const tokens = await oidc.clientCredentialsGrant(config);
    expect(tokens.scope).toBe('properties:read');
    expect(tokens.expires_in).toBe(600);
    // mail:send is in the template's group, but the registration asked only for properties:read.
    const wider = await tokenWith(reply.json.client_id as string, reply.json.client_secret as string, { scope: 'mail:send' });
    expect(wider.status).toBe(400);
    expect(wider.json.error).toBe('invalid_scope');
  });

  test('the activation counts the registration', async () => {
    const listed = (await f.core.activations.list(f.admin)).find((a) => a.id === created.activation.id)!;
    expect(listed).toMatchObject({ status: 'active', registrationsUsed: 1, maxRegistrations: 2 });
  });

  test('RFC 7592 read: 200 with the registration, no client_secret', async () => {
    const read = await manage('GET', reply.json.registration_client_uri as string, reply.json.registration_access_token as string);
    expect(read.status).toBe(200);
    expectNoStore(read);
    const { client_secret: _secret, ...rest } = reply.json;
    expect(read.json).toEqual({ ...rest, client_secret_expires_at: 0 });
  });

  test('RFC 7592 read with a wrong or absent token: 401 invalid_token with the Bearer challenge (RFC 6750 §3)', async () => {
    const uri = reply.json.registration_client_uri as string;
    const since = await lastEventId(f);
    for (const token of [undefined, `krr_${'A'.repeat(43)}`, created.code, 'not-a-token']) {
      const read = await manage('GET', uri, token);
      expect(read.status).toBe(401);
      expect(read.json).toEqual(TOKEN_REFUSED);
      expect(read.headers.get('www-authenticate')).toBe(BEARER_CHALLENGE);
      expectNoStore(read);
    }
    // Another client's URI with this token: the same answer.
    const other = await manage('GET', `${f.server.issuer}/oauth2/register/keyrack-crm-sync`, reply.json.registration_access_token as string);
    expect(other.status).toBe(401);
    expect(other.json).toEqual(TOKEN_REFUSED);
    const events = registrationEvents(since).filter((e) => e.type === 'registration.read');
    expect(events).toHaveLength(5);
    expect(events.every((e) => e.outcome === 'failure' && e.reason === 'invalid_registration_token')).toBe(true);
  });

  test('RFC 7592 update: new metadata within the template, a new secret, the old one ends at once', async () => {
    const uri = reply.json.registration_client_uri as string;
    const token = reply.json.registration_access_token as string;
    const wider = await manage('PUT', uri, token, { client_name: 'Acme CRM', token_endpoint_auth_method: 'client_secret_basic', scope: 'properties:write' });
    expect(wider.status).toBe(400);
    expect(wider.json).toEqual({ error: 'invalid_client_metadata', error_description: 'scope asks for more than this activation allows: properties:write' });
    // The refusal changed nothing: the old secret still works.
    expect((await tokenWith(reply.json.client_id as string, reply.json.client_secret as string)).status).toBe(200);

    const updated = await manage('PUT', uri, token, {
      client_name: 'Acme CRM Cloud',
      token_endpoint_auth_method: 'client_secret_basic',
      scope: 'properties:read mail:send',
      software_id: 'acme-crm',
      software_version: '4.3.0',
    });
    expect(updated.status).toBe(200);
    expectNoStore(updated);
    expect(updated.json).toMatchObject({
      client_id: 'keyrack-acme-crm',
      client_name: 'Acme CRM Cloud',
      scope: 'mail:send properties:read',
      software_version: '4.3.0',
      client_secret_expires_at: 0,
      registration_access_token: token,
    });
    expect(updated.json.contacts).toBeUndefined();
    const secret = updated.json.client_secret as string;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(secret).not.toBe(reply.json.client_secret);
    expect((await tokenWith(reply.json.client_id as string, reply.json.client_secret as string)).status).toBe(401);
    // The server re-reads a client's rights at most once a second (grant-facts.ts).
    f.core.clock.set(f.core.clock.now() + 1_500);
    const fresh = await tokenWith(reply.json.client_id as string, secret);
    expect(fresh.status).toBe(200);
    expect((fresh.json.scope as string).split(' ').sort()).toEqual(['mail:send', 'properties:read']);
    reply.json.client_secret = secret;

    const method = await manage('PUT', uri, token, { token_endpoint_auth_method: 'client_secret_post' });
    expect(method.status).toBe(400);
    expect(method.json.error).toBe('invalid_client_metadata');
  });

  test('RFC 7592 delete: 204, the API user disabled, its tokens refused, the event logged', async () => {
    const uri = reply.json.registration_client_uri as string;
    const token = reply.json.registration_access_token as string;
    const since = await lastEventId(f);
    const gone = await manage('DELETE', uri, token);
    expect(gone.status).toBe(204);
    expect(gone.text).toBe('');
    expectNoStore(gone);
    const user = (await f.core.users.list(f.admin, parseInputOf('users.list', { search: 'Acme CRM' }))).rows[0]!;
    expect(user.status).toBe('disabled');
    const refused = await tokenWith(reply.json.client_id as string, reply.json.client_secret as string);
    expect(refused.status).toBe(401);
    expect(refused.json).toEqual(AUTH_FAILED);
    expect(registrationEvents(since).map((e) => [e.type, e.outcome])).toEqual(
      expect.arrayContaining([
        ['user.disabled', 'success'],
        ['registration.deleted', 'success'],
      ]),
    );
    // Deleted once: the token no longer manages anything (RFC 7592 §2.3).
    for (const method of ['DELETE', 'GET', 'PUT'] as const) {
      const again = await manage(method, uri, token, method === 'PUT' ? { client_name: 'Acme CRM' } : undefined);
      expect(again.status, method).toBe(401);
      expect(again.json, method).toEqual({ error: 'invalid_token', error_description: 'This registration has ended' });
      expect(again.headers.get('www-authenticate')).toBe(BEARER_CHALLENGE);
    }
  });
});

describe('refused activation codes: 401 invalid_token, nothing created, the failure logged', () => {
  async function expectCodeRefused(code: string | undefined, reason: string, headers: Record<string, string> = {}) {
    const users = count('users');
    const registrations = count('client_registrations');
    const since = await lastEventId(f);
    const reply = await register(code, { client_name: `Refused ${randomUUID().slice(0, 8)}` }, headers);
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual(CODE_REFUSED);
    expect(reply.headers.get('www-authenticate')).toBe(BEARER_CHALLENGE);
    expectNoStore(reply);
    expect(count('users')).toBe(users);
    expect(count('client_registrations')).toBe(registrations);
    const events = registrationEvents(since);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'registration.created', outcome: 'failure', reason, sourceIp: '127.0.0.1' });
    expect(events[0]!.details.error).toBe('invalid_token');
    if (code) expect(JSON.stringify(events)).not.toContain(code);
  }

  test('no code, a malformed one, an unknown one', async () => {
    await expectCodeRefused(undefined, 'no_code');
    await expectCodeRefused('hello', 'unknown_code');
    await expectCodeRefused(`kra_${'B'.repeat(43)}`, 'unknown_code');
    // A code in another scheme is no bearer code.
    await expectCodeRefused(undefined, 'no_code', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` });
  });

  test('expired', async () => {
    const created = await activation({ expiresAt: f.core.clock.now() + 60_000 });
    const now = f.core.clock.now();
    f.core.clock.set(now + 60_000);
    try {
      await expectCodeRefused(created.code, 'activation_expired');
    } finally {
      f.core.clock.set(now);
    }
    expect((await f.core.activations.list(f.admin)).find((a) => a.id === created.activation.id)!.status).toBe('active');
  });

  test('used up', async () => {
    const created = await activation();
    expect((await register(created.code, { client_name: `Only ${activationCounter}` })).status).toBe(201);
    await expectCodeRefused(created.code, 'activation_used_up');
    expect((await f.core.activations.list(f.admin)).find((a) => a.id === created.activation.id)!.status).toBe('used_up');
  });

  test('revoked', async () => {
    const created = await activation();
    const revoked = await f.core.activations.revoke(f.admin, { id: created.activation.id });
    expect(revoked.status).toBe('revoked');
    await expectCodeRefused(created.code, 'activation_revoked');
  });
});

describe('refused metadata: 400 invalid_client_metadata, nothing created, the slot kept', () => {
  async function expectMetadataRefused(body: unknown, description: string) {
    const created = await activation();
    const users = count('users');
    const reply = await register(created.code, body);
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({ error: 'invalid_client_metadata', error_description: description });
    expectNoStore(reply);
    expect(count('users')).toBe(users);
    const listed = (await f.core.activations.list(f.admin)).find((a) => a.id === created.activation.id)!;
    expect(listed.registrationsUsed).toBe(0);
    // The code still works afterwards.
    expect((await register(created.code, { client_name: `After refusal ${activationCounter}` })).status).toBe(201);
  }

  test('a scope wider than the template', () =>
    expectMetadataRefused({ client_name: 'Wide', scope: 'properties:read properties:delete' }, 'scope asks for more than this activation allows: properties:delete'));

  test('jwks_uri: the server fetches no URLs', () =>
    expectMetadataRefused(
      { token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'https://vendor.example/jwks.json' },
      'jwks_uri is not supported: this server does not fetch URLs; send the public keys inline as jwks',
    ));

  test('a jwks key that is no allowed public key (HMAC, RSA under 2048 bits, a private key)', async () => {
    await expectMetadataRefused(
      { token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] } },
      expect.stringMatching(/^jwks key 1: /) as unknown as string,
    );
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' });
    await expectMetadataRefused(
      { token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [small] } },
      expect.stringMatching(/^jwks key 1: .*2048/) as unknown as string,
    );
    const ec = await generateKeyPair('ES256', { extractable: true });
    await expectMetadataRefused(
      { token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [await exportJWK(ec.privateKey)] } },
      expect.stringMatching(/^jwks key 1: /) as unknown as string,
    );
  });

  test('private_key_jwt without keys, jwks with a secret method, an unknown method, a bad name', async () => {
    await expectMetadataRefused({ token_endpoint_auth_method: 'private_key_jwt' }, 'private_key_jwt needs jwks with at least one public key');
    await expectMetadataRefused({ token_endpoint_auth_method: 'client_secret_basic', jwks: { keys: [] } }, 'jwks is only for token_endpoint_auth_method private_key_jwt');
    await expectMetadataRefused(
      { token_endpoint_auth_method: 'none' },
      'token_endpoint_auth_method must be one of client_secret_basic, client_secret_post, private_key_jwt',
    );
    await expectMetadataRefused({ client_name: '   ' }, expect.stringMatching(/^client_name: /) as unknown as string);
    await expectMetadataRefused({ grant_types: ['authorization_code'] }, 'grant_types: this server supports only client_credentials');
    await expectMetadataRefused(['not', 'an', 'object'], 'The body must be a JSON object of client metadata');
  });

  test('wrong content type, malformed JSON, too large: invalid_request as at the token endpoint', async () => {
    const created = await activation();
    const asForm = await register(created.code, 'client_name=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(asForm.status).toBe(400);
    expect(asForm.json).toEqual({ error: 'invalid_request', error_description: 'The body must be application/json' });
    const broken = await register(created.code, '{"client_name":');
    expect(broken.status).toBe(400);
    expect(broken.json).toEqual({ error: 'invalid_request', error_description: 'The body is not valid JSON' });
    const big = await register(created.code, JSON.stringify({ client_name: 'Big', software_id: 'x'.repeat(20_000) }));
    expect(big.status).toBe(413);
    expect(big.json.error).toBe('invalid_request');
    const query = await send('POST', '/oauth2/register?client_name=x', {}, { authorization: `Bearer ${created.code}` });
    expect(query.status).toBe(400);
    const method = await send('GET', '/oauth2/register', undefined, { authorization: `Bearer ${created.code}` });
    expect(method.status).toBe(405);
    expect(method.headers.get('allow')).toBe('POST');
    expect((await f.core.activations.list(f.admin)).find((a) => a.id === created.activation.id)!.registrationsUsed).toBe(0);
  });
});

describe('a key-based registration (private_key_jwt with an inline jwks)', () => {
  test('registers the public key through the client-keys rules, and oauth4webapi gets a token with PrivateKeyJwt', async () => {
    const created = await activation();
    const pair = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'vendor-key-1', use: 'sig' };
    const reply = await register(created.code, { client_name: 'Key Vendor', token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [jwk] } });
    expect(reply.status).toBe(201);
    expect(reply.json.client_secret).toBeUndefined();
    expect(reply.json.client_secret_expires_at).toBeUndefined();
    expect(reply.json.token_endpoint_auth_method).toBe('private_key_jwt');
    expect(reply.json.jwks).toEqual({ keys: [expect.objectContaining({ kid: 'vendor-key-1', alg: 'ES256', kty: 'EC', crv: 'P-256' })] });
    const clientId = reply.json.client_id as string;
    const userId = (f.core.db.prepare('SELECT user_id AS id FROM credentials WHERE client_id = ?').get(clientId) as { id: number }).id;
    // No live secret: the one the users service makes is revoked at once.
    expect((await f.core.secrets.list(f.admin, { userId })).map((s) => s.state)).toEqual(['revoked']);
    expect((await f.core.clientKeys.list(f.admin, { userId })).map((k) => [k.kid, k.state])).toEqual([['vendor-key-1', 'live']]);

    const issuer = new URL(f.server.issuer);
    const as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', [oauth.allowInsecureRequests]: true }),
    );
    const client: oauth.Client = { client_id: clientId };
    const response = await oauth.clientCredentialsGrantRequest(as, client, oauth.PrivateKeyJwt({ key: pair.privateKey, kid: 'vendor-key-1' }), new URLSearchParams(), {
      [oauth.allowInsecureRequests]: true,
    });
    const result = await oauth.processClientCredentialsResponse(as, client, response);
    expect(result.access_token).toEqual(expect.any(String));

    // RFC 7592 update with a new key: the old one is revoked, the new one registered.
    const next = await generateKeyPair('EdDSA', { extractable: true });
    const nextJwk = { ...(await exportJWK(next.publicKey)), kid: 'vendor-key-2' };
    const updated = await manage('PUT', reply.json.registration_client_uri as string, reply.json.registration_access_token as string, {
      client_name: 'Key Vendor',
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [nextJwk] },
    });
    expect(updated.status).toBe(200);
    expect(updated.json.client_secret).toBeUndefined();
    expect((await f.core.clientKeys.list(f.admin, { userId })).map((k) => [k.kid, k.state]).sort()).toEqual([
      ['vendor-key-1', 'revoked'],
      ['vendor-key-2', 'live'],
    ]);
    // A kid once used (now revoked) is not taken again, and the refusal changes nothing.
    const reuse = await manage('PUT', reply.json.registration_client_uri as string, reply.json.registration_access_token as string, {
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [nextJwk, { ...(await exportJWK((await generateKeyPair('ES256', { extractable: true })).publicKey)), kid: 'vendor-key-1' }] },
    });
    expect(reuse.status).toBe(400);
    expect(reuse.json).toEqual({
      error: 'invalid_client_metadata',
      error_description: 'jwks: the key id vendor-key-1 was used before; give the new key a new kid',
    });
    expect((await f.core.clientKeys.list(f.admin, { userId })).filter((k) => k.state === 'live').map((k) => k.kid)).toEqual(['vendor-key-2']);

    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({ iss: clientId, sub: clientId, aud: f.server.issuer, iat: now, exp: now + 60, jti: randomUUID() })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'vendor-key-2' })
      .sign(next.privateKey);
    const token = await post(f.url, '/oauth2/token', {
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    });
    expect(token.status).toBe(200);
  });
});

describe('approval', () => {
  test('pending: registered at once, tokens refused invalid_client (pending_approval in the log only) until approved', async () => {
    const created = await activation({ requiresApproval: true });
    const reply = await register(created.code, { client_name: 'Waiting Vendor' });
    expect(reply.status).toBe(201);
    const clientId = reply.json.client_id as string;
    const secret = reply.json.client_secret as string;

    const pending = await f.core.activations.pending(f.admin);
    const mine = pending.find((r) => r.clientId === clientId)!;
    expect(mine).toMatchObject({ state: 'pending', activationName: created.activation.name, clientName: 'Waiting Vendor', sourceIp: '127.0.0.1' });

    const since = await lastEventId(f);
    const refused = await tokenWith(clientId, secret);
    expect(refused.status).toBe(401);
    expect(refused.json).toEqual(AUTH_FAILED);
    expect(refused.text).not.toContain('pending');
    const denial = registrationEvents(since).find((e) => e.type === 'token.denied')!;
    expect(denial).toMatchObject({ outcome: 'failure', reason: 'pending_approval' });

    const approved = await f.core.activations.approve(f.admin, { id: mine.id });
    expect(approved).toMatchObject({ state: 'active', decidedBy: f.admin.name });
    expect((await f.core.activations.pending(f.admin)).some((r) => r.clientId === clientId)).toBe(false);
    const issued = await tokenWith(clientId, secret);
    expect(issued.status).toBe(200);
    expect(registrationEvents(since).some((e) => e.type === 'registration.approved' && e.outcome === 'success')).toBe(true);
  });

  test('refused: the API user is disabled, its tokens stay refused, the refusal logged', async () => {
    const created = await activation({ requiresApproval: true });
    const reply = await register(created.code, { client_name: 'Unwanted Vendor' });
    const clientId = reply.json.client_id as string;
    const mine = (await f.core.activations.pending(f.admin)).find((r) => r.clientId === clientId)!;
    const since = await lastEventId(f);
    const refusedRegistration = await f.core.activations.refuse(f.admin, { id: mine.id });
    expect(refusedRegistration.state).toBe('refused');
    expect((await f.core.users.show(f.admin, { id: mine.userId! })).status).toBe('disabled');
    const refused = await tokenWith(clientId, reply.json.client_secret as string);
    expect(refused.status).toBe(401);
    expect(registrationEvents(since).map((e) => e.type)).toEqual(expect.arrayContaining(['user.disabled', 'registration.refused', 'token.denied']));
    await expect(f.core.activations.approve(f.admin, { id: mine.id })).rejects.toThrow(/refused, not pending/);
  });
});

describe('guessing codes', () => {
  test('is throttled like the token endpoint: the address back-off, 429 with Retry-After', async () => {
    const g = await startFixture({ tuning: { addressBackoff: { freeFailures: 3, firstDelayMs: 60_000, maxDelayMs: 60_000, resetAfterMs: 3_600_000, maxKeys: 100 } } });
    try {
      const guess = () =>
        fetch(`${g.url}/oauth2/register`, {
          method: 'POST',
          headers: { authorization: `Bearer kra_${randomUUID().replace(/-/g, '').padEnd(43, 'x')}`, 'content-type': 'application/json' },
          body: '{}',
        });
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await guess()).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      const throttled = await guess();
      expect(throttled.headers.get('retry-after')).toBe('60');
      // The right code is refused too while the address waits: guessing cannot go on by mixing in a good one.
      const created = await g.core.activations.create(g.admin, parseInputOf('activations.create', { name: 'Throttled' }));
      const good = await fetch(`${g.url}/oauth2/register`, {
        method: 'POST',
        headers: { authorization: `Bearer ${created.code}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(good.status).toBe(429);
    } finally {
      await g.close();
    }
  });
});
