import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { decodeJwt, importJWK, SignJWT, type JWK } from 'jose';
import type { CredentialFileDocument } from '../../shared/credential-files.dto.js';
import { severeViolations } from './support/axe.js';
import { ADMIN, BridgeClient, startKeyrack, type Keyrack } from './support/keyrack.js';
import { choose, combobox, textbox } from './support/mantine.js';
import { guardPage, screenshot, type PageGuards } from './support/page-guards.js';

/**
 * Issue 11, part 2, the app's face of `keyrack credentials export --key`: the administrator exports a
 * credential file in key mode from the API user's Credentials tab; the file holds a new private key, its
 * public key appears in the Public keys list, and an integration that has only the file signs a client
 * assertion (private_key_jwt, RFC 7523 §2.2) and gets a token from the token server the bridge runs.
 * At 1024×768, the smallest window the app supports; the dialog is also shown in German.
 */
test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1024, height: 768 } });

let keyrack: Keyrack;
let page: Page;
let guards: PageGuards;
let userId = 0;
let clientId = '';
let kid = '';
let seed: BridgeClient;

test.beforeAll(async ({ browser }) => {
  keyrack = await startKeyrack();
  seed = new BridgeClient(keyrack.url);
  await seed.call('auth.setup', ADMIN);
  await seed.call('rights.addResource', { name: 'properties', actions: ['read'] });
  const group = await seed.call<{ id: number }>('groups.create', { name: 'Integrations', rights: [{ resource: 'properties', action: 'read' }] });
  const created = await seed.call<{ user: { id: number }; clientId: string }>('users.createApiUser', { name: 'CRM Sync', groupIds: [group.id] });
  userId = created.user.id;
  clientId = created.clientId;
  // A context of its own: axe-core (support/axe.ts) refuses pages made by browser.newPage().
  page = await (await browser.newContext({ viewport: { width: 1024, height: 768 } })).newPage();
  guards = guardPage(page);
  await logIn(page);
});

test.afterAll(async () => {
  await page?.context().close();
  await keyrack?.stop();
});

test.afterEach(() => guards.assertClean());

async function logIn(p: Page, names = { name: 'Name', password: 'Password', button: 'Log in' }): Promise<void> {
  await p.goto(keyrack.url);
  await textbox(p, names.name).fill(ADMIN.name);
  await textbox(p, names.password).fill(ADMIN.password);
  await p.getByRole('button', { name: names.button }).click();
}

/** Nothing cut at 1024×768: the page does not scroll sideways, nor does the Public keys table. */
async function expectNothingCut(p: Page): Promise<void> {
  expect(await p.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
  for (const viewport of await p.getByTestId('client-keys').locator('.mantine-ScrollArea-viewport').all()) {
    expect(await viewport.evaluate((el: { scrollWidth: number; clientWidth: number }) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1);
  }
}

/** Nothing in the dialog is cut off at 1024×768: its content fits inside the window. */
async function expectDialogFits(p: Page, name: string): Promise<void> {
  const box = await p.getByRole('dialog', { name }).boundingBox();
  expect(box).not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(1024);
}

test('key mode: the file is saved, and its public key appears in the Public keys list', async () => {
  await expect(page.getByRole('heading', { name: 'Overview', exact: true })).toBeVisible();
  await page.goto(`${keyrack.url}#/users/${userId}/credentials`);
  const keys = page.getByTestId('client-keys');
  await expect(keys.getByText('No public keys: this API user authenticates with secrets only')).toBeVisible();

  await page.getByRole('button', { name: 'Export without secret' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export credential file' });
  await expect(dialog.getByTestId('export-without-secret')).toBeVisible();
  await dialog.getByText('A new key pair').click();
  await expect(dialog.getByTestId('export-key-mode')).toContainText('the private key goes only into this file');
  await expect(dialog.getByTestId('export-without-secret')).toBeHidden();
  await expect(combobox(dialog, 'Key algorithm')).toHaveValue('ES256');
  // EdDSA rather than the default, so the choice is seen to reach the file and the registered key.
  await choose(dialog, 'Key algorithm', 'EdDSA');
  await expect(combobox(dialog, 'Key algorithm')).toHaveValue('EdDSA');
  await expectDialogFits(page, 'Export credential file');
  await screenshot(page, 'export-key-01-dialog');
  expect(await severeViolations(page)).toEqual([]);

  expect(existsSync(keyrack.saveDir) ? readdirSync(keyrack.saveDir) : []).toEqual([]);
  await dialog.getByRole('button', { name: 'Choose where to save…' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(/saved to .*, with the private key of the new public key/)).toBeVisible();

  // The Public keys list shows the new key, under the label the export gives it, without a reload.
  const day = new Date().toISOString().slice(0, 10);
  await expect(keys.getByText(`Exported ${day}`)).toBeVisible();
  await expect(keys.getByText('EdDSA')).toBeVisible();
  kid = await keys.locator('code').first().innerText();
  expect(kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
  await screenshot(page, 'export-key-02-key-listed', { notifications: true });
});

test('the exported file alone gets a token: the integration signs an assertion with its private key', async () => {
  const files = readdirSync(keyrack.saveDir);
  expect(files).toEqual([`${clientId}.json`]);
  const file = JSON.parse(readFileSync(join(keyrack.saveDir, files[0]!), 'utf8')) as CredentialFileDocument;
  expect(file).toMatchObject({ client_id: clientId, token_endpoint_auth_method: 'private_key_jwt', kid, alg: 'EdDSA' });
  expect(file.client_secret).toBeUndefined();
  // The store has only the public half: what the list shows carries no private member.
  const listed = await seed.call<{ kid: string; publicJwk: Record<string, unknown> }[]>('clientKeys.list', { userId });
  expect(listed.map((k) => k.kid)).toEqual([kid]);
  expect(listed[0]!.publicJwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', x: (file.private_jwk as JWK).x });
  expect(listed[0]!.publicJwk).not.toHaveProperty('d');

  const key = await importJWK(file.private_jwk as JWK, 'EdDSA');
  const now = Math.floor(Date.now() / 1000);
  const assertion = await new SignJWT({ iss: file.client_id, sub: file.client_id, aud: file.issuer, iat: now, exp: now + 60, jti: randomUUID() })
    .setProtectedHeader({ alg: 'EdDSA', kid: file.kid! })
    .sign(key);
  const response = await fetch(file.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    }),
  });
  const body = (await response.json()) as Record<string, unknown>;
  expect(response.status).toBe(200);
  expect(body).toMatchObject({ token_type: 'Bearer', scope: 'properties:read' });
  expect(decodeJwt(String(body.access_token))).toMatchObject({ client_id: clientId, sub: clientId });

  await page.reload();
  await expect(page.getByTestId('client-keys').getByText('from 127.0.0.1')).toBeVisible();
  await expectNothingCut(page);
  await screenshot(page, 'export-key-03-key-used');

  await page.goto(`${keyrack.url}#/log`);
  await expect(page.getByRole('row').filter({ hasText: 'Client key added' })).toHaveCount(1);
  await expect(page.getByRole('row').filter({ hasText: 'Credential file exported' }).first()).toBeVisible();
  await screenshot(page, 'export-key-04-log');
});

test('German: the dialog in key mode', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1024, height: 768 } });
  const de = await context.newPage();
  const deGuards = guardPage(de);
  try {
    await logIn(de, { name: 'Name', password: 'Passwort', button: 'Anmelden' });
    await expect(de.getByRole('heading', { name: 'Übersicht', exact: true })).toBeVisible();
    await de.goto(`${keyrack.url}#/users/${userId}/credentials`);
    await de.getByRole('button', { name: 'Ohne Secret exportieren' }).click();
    const dialog = de.getByRole('dialog', { name: 'Zugangsdatei exportieren' });
    await dialog.getByText('Neues Schlüsselpaar').click();
    await expect(dialog.getByTestId('export-key-mode')).toContainText('der private Schlüssel kommt nur in diese Datei');
    await expect(combobox(dialog, 'Schlüsselalgorithmus')).toHaveValue('ES256');
    await expectNothingCut(de);
    await expectDialogFits(de, 'Zugangsdatei exportieren');
    await screenshot(de, 'export-key-de-01-dialog');
    deGuards.assertClean();
  } finally {
    await context.close();
  }
});
