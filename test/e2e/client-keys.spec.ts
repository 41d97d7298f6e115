import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { exportPKCS8, exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { ADMIN, BridgeClient, startKeyrack, type Keyrack } from './support/keyrack.js';
import { logIn, textbox } from './support/mantine.js';
import { guardPage, screenshot, type PageGuards } from './support/page-guards.js';

/**
 * Issue 11, part 2, through the web bridge: the administrator adds an integration's public key on the API
 * user's Credentials tab; the integration signs a client assertion (private_key_jwt, RFC 7523) and gets a
 * token from the token server the bridge runs; the administrator revokes the key; the next assertion is
 * refused, and the Log says why.
 */
test.describe.configure({ mode: 'serial' });

let keyrack: Keyrack;
let page: Page;
let guards: PageGuards;
let userId = 0;
let clientId = '';
let pair: { privateKey: CryptoKey; publicKey: CryptoKey };
let kid = '';

test.beforeAll(async ({ browser }) => {
  keyrack = await startKeyrack();
  const seed = new BridgeClient(keyrack.url);
  await seed.call('auth.setup', ADMIN);
  await seed.call('rights.addResource', { name: 'properties', actions: ['read'] });
  const group = await seed.call<{ id: number }>('groups.create', { name: 'Integrations', rights: [{ resource: 'properties', action: 'read' }] });
  const created = await seed.call<{ user: { id: number }; clientId: string }>('users.createApiUser', { name: 'CRM Sync', groupIds: [group.id] });
  userId = created.user.id;
  clientId = created.clientId;
  pair = await generateKeyPair('ES256', { extractable: true });
  page = await browser.newPage();
  guards = guardPage(page);
  await logIn(page, keyrack.url, ADMIN);
});

test.afterAll(async () => {
  await page?.context().close();
  await keyrack?.stop();
});

test.afterEach(() => guards.assertClean());

/** What the integration does: a fresh assertion, signed with its private key, at the token endpoint. */
async function tokenWithAssertion(): Promise<{ status: number; body: Record<string, unknown> }> {
  const server = keyrack.tokenServerUrl!;
  const issuer = ((await (await fetch(`${server}/.well-known/oauth-authorization-server`)).json()) as { issuer: string }).issuer;
  const now = Math.floor(Date.now() / 1000);
  const assertion = await new SignJWT({ iss: clientId, sub: clientId, aud: issuer, iat: now, exp: now + 60, jti: randomUUID() })
    .setProtectedHeader({ alg: 'ES256', kid })
    .sign(pair.privateKey);
  const response = await fetch(`${server}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

test('a private key is refused with the reason on the field, then the public key is added', async () => {
  expect(keyrack.tokenServerUrl).not.toBeNull();
  await page.goto(`${keyrack.url}#/users/${userId}/credentials`);
  const section = page.getByTestId('client-keys');
  await expect(section.getByText('No public keys: this API user authenticates with secrets only')).toBeVisible();
  await section.getByRole('button', { name: 'Add public key' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a public key' });
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  await textbox(dialog, 'Public key').fill(await exportPKCS8(privateKey));
  await textbox(dialog, 'Label').fill('CRM production');
  await dialog.getByRole('button', { name: 'Add key' }).click();
  await expect(dialog.getByText('This is a private key; give only the public key')).toBeVisible();
  await screenshot(page, 'client-keys-01-private-key-refused');

  await textbox(dialog, 'Public key').fill(await exportSPKI(pair.publicKey));
  await dialog.getByRole('button', { name: 'Add key' }).click();
  await expect(dialog).toBeHidden();
  await expect(section.getByText('CRM production')).toBeVisible();
  await expect(section.getByText('ES256')).toBeVisible();
  // The key id the page shows is the one the integration puts in its assertions' header.
  kid = await section.locator('code').first().innerText();
  expect(kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
  await screenshot(page, 'client-keys-02-key-added');
});

test('the integration signs an assertion and gets a token; the page shows the key\'s last use', async () => {
  const reply = await tokenWithAssertion();
  expect(reply.status).toBe(200);
  expect(reply.body).toMatchObject({ token_type: 'Bearer', scope: 'properties:read' });
  await page.reload();
  const section = page.getByTestId('client-keys');
  await expect(section.getByText('from 127.0.0.1')).toBeVisible();
  await screenshot(page, 'client-keys-03-last-use');
});

test('revoked in the app, the key is refused at once, and the Log says why', async () => {
  const section = page.getByTestId('client-keys');
  await section.getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('dialog', { name: 'Revoke the public key “CRM production”?' }).getByRole('button', { name: 'Revoke key' }).click();
  await expect(section.getByText('revoked', { exact: true })).toBeVisible();
  await screenshot(page, 'client-keys-04-revoked');

  const reply = await tokenWithAssertion();
  expect(reply.status).toBe(401);
  expect(reply.body).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed' });

  await page.goto(`${keyrack.url}#/log`);
  // Newest first: the refusal, with its reason, right above the revocation that caused it.
  await expect(page.getByRole('row').filter({ hasText: 'Token refused' }).first()).toContainText('Client key revoked');
  await expect(page.getByRole('row').filter({ hasText: 'Client key added' })).toHaveCount(1);
  await screenshot(page, 'client-keys-05-log');
});
