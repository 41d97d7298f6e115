import express from 'express';
import { auth } from 'express-oauth2-jwt-bearer';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { claimsOf, headerOf, startFixture, tokenRequest, type Fixture } from './support.js';

/** Real OAuth libraries from npm, unchanged, against the server: the point of the server. */
let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.close());

test('openid-client discovers the server (RFC 8414) and gets a token with client_secret_basic', async () => {
  const config = await oidc.discovery(new URL(f.url), f.crm.clientId, f.crm.secret, oidc.ClientSecretBasic(f.crm.secret), {
    algorithm: 'oauth2',
    execute: [oidc.allowInsecureRequests],
  });
  expect(config.serverMetadata().issuer).toBe(f.server.issuer);
  const tokens = await oidc.clientCredentialsGrant(config, { scope: 'properties:read' });
  expect(tokens.token_type).toBe('bearer');
  expect(tokens.scope).toBe('properties:read');
  expect(tokens.expires_in).toBe(600);
  const claims = claimsOf(tokens.access_token);
  expect(claims).toMatchObject({
    iss: f.server.issuer,
    sub: f.crm.clientId,
    client_id: f.crm.clientId,
    aud: 'urn:keyrack:lan-api',
    scope: 'properties:read',
    mailboxes: ['info@example.com'],
    filters: { properties: ['published_only'] },
  });
  expect(headerOf(tokens.access_token)).toEqual({ alg: 'ES256', kid: expect.any(String), typ: 'at+jwt' });
});

test('openid-client with client_secret_post', async () => {
  const config = await oidc.discovery(new URL(f.url), f.crm.clientId, f.crm.secret, oidc.ClientSecretPost(f.crm.secret), {
    algorithm: 'oauth2',
    execute: [oidc.allowInsecureRequests],
  });
  const tokens = await oidc.clientCredentialsGrant(config);
  expect(tokens.scope!.split(' ').sort()).toEqual(['mail:send', 'properties:read']);
});

test("jose's remote JWKS verifies a token: issuer, audience, typ", async () => {
  const token = (await tokenRequest(f)).json.access_token as string;
  const jwks = createRemoteJWKSet(new URL(`${f.url}/jwks.json`));
  const { payload, protectedHeader } = await jwtVerify(token, jwks, {
    issuer: f.server.issuer,
    audience: 'urn:keyrack:lan-api',
    typ: 'at+jwt',
    algorithms: ['ES256'],
  });
  expect(protectedHeader.typ).toBe('at+jwt');
  expect(payload.exp! - payload.iat!).toBe(600);
  expect(typeof payload.jti).toBe('string');
});

describe('express-oauth2-jwt-bearer as the resource server', () => {
  let api: Server;
  let apiUrl: string;
  beforeAll(async () => {
    const app = express();
    app.use(
      auth({
        issuerBaseURL: f.server.issuer,
        audience: 'urn:keyrack:lan-api',
        tokenSigningAlg: 'ES256',
        jwksUri: `${f.url}/jwks.json`,
        issuer: f.server.issuer,
      }),
    );
    app.get('/properties', (req, res) => {
      res.json({ sub: req.auth?.payload.sub, scope: req.auth?.payload.scope });
    });
    api = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => api.close(() => resolve())));

  const call = (token: string) => fetch(`${apiUrl}/properties`, { headers: { authorization: `Bearer ${token}` } });

  test('accepts a valid token', async () => {
    const token = (await tokenRequest(f, { scope: 'properties:read' })).json.access_token as string;
    const response = await call(token);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ sub: f.crm.clientId, scope: 'properties:read' });
  });

  test('rejects a tampered token', async () => {
    const token = (await tokenRequest(f)).json.access_token as string;
    const [h, p, s] = token.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
    claims.scope = 'properties:read properties:delete';
    const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
    expect((await call(forged)).status).toBe(401);
    // A flipped bit in the signature as well.
    const sig = Buffer.from(s!, 'base64url');
    sig[0]! ^= 1;
    expect((await call(`${h}.${p}.${sig.toString('base64url')}`)).status).toBe(401);
  });

  test('rejects an expired token', async () => {
    f.core.clock.set(Date.now() - 2 * 3600_000);
    const token = (await tokenRequest(f)).json.access_token as string;
    f.core.clock.set(Date.now());
    expect(claimsOf(token).exp as number).toBeLessThan(Date.now() / 1000);
    expect((await call(token)).status).toBe(401);
  });

  test('rejects a token for another audience', async () => {
    const reply = await tokenRequest(f, { resource: 'https://other.example.lan' });
    expect(reply.status).toBe(200);
    const token = reply.json.access_token as string;
    expect(claimsOf(token).aud).toBe('https://other.example.lan');
    expect((await call(token)).status).toBe(401);
  });
});
