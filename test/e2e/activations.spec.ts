import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { severeViolations } from './support/axe.js';
import { ADMIN, BridgeClient, startKeyrack, type Keyrack } from './support/keyrack.js';
import { choose, logIn, textbox } from './support/mantine.js';
import { requestToken } from './support/oauth.js';
import { guardPage, screenshot, type PageGuards } from './support/page-guards.js';

/**
 * Issue 11, part 1, through the web bridge at 1024×768: the administrator creates an activation under
 * API users → Activations (the code shown once, with the vendor's curl snippet); a service registers with
 * that very curl command at the token server the bridge runs (RFC 7591); its token requests are refused
 * while the registration waits; the administrator approves it on the Overview and the service gets a token.
 * A second registration is refused (with a confirmation) and stays refused; one is approved in German;
 * the revoked activation's code registers nothing.
 */
test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1024, height: 768 } });

const run = promisify(execFile);

let keyrack: Keyrack;
let page: Page;
let guards: PageGuards;
let seed: BridgeClient;
/** What the administrator copied from the dialog and gave the vendor. */
const handed = { code: '', curl: '' };
const first = { clientId: '', secret: '' };
const second = { clientId: '', secret: '' };

test.beforeAll(async ({ browser }) => {
  keyrack = await startKeyrack();
  seed = new BridgeClient(keyrack.url);
  await seed.call('auth.setup', ADMIN);
  await seed.call('rights.addResource', { name: 'properties', actions: ['read', 'write'] });
  await seed.call('groups.create', { name: 'CRM read', rights: [{ resource: 'properties', action: 'read' }] });
  // A context of its own: axe-core (support/axe.ts) refuses pages made by browser.newPage().
  page = await (await browser.newContext({ viewport: { width: 1024, height: 768 } })).newPage();
  guards = guardPage(page);
  await logIn(page, keyrack.url, ADMIN);
});

test.afterAll(async () => {
  await page?.context().close();
  await keyrack?.stop();
});

test.afterEach(() => guards.assertClean());

/** Nothing cut at 1024×768: the page does not scroll sideways, nor does any table inside `scope`. */
async function expectNothingCut(p: Page, scope: Locator = p.locator('main')): Promise<void> {
  expect(await p.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
  for (const viewport of await scope.locator('.mantine-ScrollArea-viewport').all()) {
    expect(await viewport.evaluate((el: { scrollWidth: number; clientWidth: number }) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1);
  }
}

/** The vendor runs the snippet as given, with its own name; the answer's body and HTTP status. */
async function registerWithCurl(clientName: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const command = handed.curl.replace('"Your service"', JSON.stringify(clientName));
  const { stdout } = await run('bash', ['-c', `${command} -w '\\n%{http_code}'`], { timeout: 15_000 });
  const lines = stdout.trimEnd().split('\n');
  const status = Number(lines.pop());
  return { status, body: JSON.parse(lines.join('\n') || '{}') as Record<string, unknown> };
}

const tokenEndpoint = () => `${keyrack.tokenServerUrl!}/oauth2/token`;

test('API users → Activations: create one; the code and the vendor snippet are shown once', async () => {
  await page.goto(`${keyrack.url}#/users`);
  await page.getByRole('button', { name: 'Activations' }).click();
  await expect(page.getByRole('heading', { name: 'Activations', exact: true })).toBeVisible();
  await expect(page.getByText('No activations yet. Create one, and give the vendor its code.')).toBeVisible();

  await page.getByRole('button', { name: 'New activation' }).click();
  const dialog = page.getByRole('dialog', { name: 'New activation' });
  await textbox(dialog, 'Name').fill('CRM Cloud');
  await choose(dialog, 'Groups', 'CRM read');
  await dialog.getByRole('textbox', { name: 'Registrations allowed' }).fill('3');
  await dialog.getByRole('textbox', { name: 'Token lifetime (seconds)' }).fill('600');
  await expect(dialog.getByRole('switch', { name: 'Each registration needs my approval' })).toBeChecked();
  await screenshot(page, 'activations-01-create');
  expect(await severeViolations(page)).toEqual([]);
  await dialog.getByRole('button', { name: 'Create activation' }).click();

  const reveal = page.getByRole('dialog', { name: 'Copy the activation code now' });
  handed.code = await reveal.getByTestId('activation-code').innerText();
  expect(handed.code).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  handed.curl = await reveal.getByTestId('activation-curl').innerText();
  expect(handed.curl).toContain(`${keyrack.tokenServerUrl}/oauth2/register`);
  expect(handed.curl).toContain(`Bearer ${handed.code}`);
  await expect(reveal.getByTestId('activation-json')).toContainText('"initial_access_token"');
  await expect(reveal.getByTestId('activation-env')).toContainText('KEYRACK_ACTIVATION_CODE=kra_');
  await expect(reveal.getByRole('button', { name: 'Copy the activation code' })).toBeVisible();
  await screenshot(page, 'activations-02-code-once');
  expect(await severeViolations(page)).toEqual([]);
  await reveal.getByRole('button', { name: 'I have copied the code' }).click();
  await expect(reveal).toBeHidden();

  const row = page.getByTestId('activations').getByRole('row').filter({ hasText: 'CRM Cloud' });
  await expect(row).toContainText('active');
  await expect(row).toContainText('0 of 3');
  await expect(row).toContainText('each needs approval');
  // The template: the scopes its groups give now.
  await expect(row.getByTestId('activation-template')).toHaveText('properties:read');
  // The code is nowhere on the page once the dialog is closed.
  await expect(page.getByText(handed.code)).toHaveCount(0);
  await expectNothingCut(page);
  await screenshot(page, 'activations-03-listed');
});

test('a service registers with the curl snippet; its token requests wait for approval', async () => {
  const reply = await registerWithCurl('CRM Cloud Connector');
  expect(reply.status).toBe(201);
  expect(reply.body).toMatchObject({ client_name: 'CRM Cloud Connector', token_endpoint_auth_method: 'client_secret_basic' });
  first.clientId = String(reply.body.client_id);
  first.secret = String(reply.body.client_secret);
  const refused = await requestToken(tokenEndpoint(), first.clientId, first.secret);
  expect(refused).toMatchObject({ ok: false, status: 401, error: 'invalid_client' });
});

test('the Overview lists the pending registration; approved there, the service gets a token', async () => {
  await page.goto(`${keyrack.url}#/overview`);
  const card = page.getByTestId('pending-registrations');
  await expect(card.getByRole('heading', { name: 'Registrations waiting for approval' })).toBeVisible();
  const item = card.getByTestId('pending-registration').filter({ hasText: 'CRM Cloud Connector' });
  await expect(item).toContainText(first.clientId);
  await expect(item).toContainText('with “CRM Cloud”');
  await expect(item).toContainText('from 127.0.0.1');
  await expectNothingCut(page);
  await screenshot(page, 'activations-04-overview-pending');
  expect(await severeViolations(page)).toEqual([]);

  await item.getByRole('button', { name: 'Approve CRM Cloud Connector' }).click();
  await expect(card).toBeHidden();
  const token = await requestToken(tokenEndpoint(), first.clientId, first.secret);
  expect(token.ok).toBe(true);
  if (token.ok) {
    expect(token.claims).toMatchObject({ client_id: first.clientId, scope: 'properties:read' });
    // The template's token lifetime reached the API user the registration made.
    expect(token.claims.exp! - token.claims.iat!).toBe(600);
  }
});

test('a second registration is refused after a confirmation, and stays refused', async () => {
  const reply = await registerWithCurl('CRM Cloud Staging');
  expect(reply.status).toBe(201);
  second.clientId = String(reply.body.client_id);
  second.secret = String(reply.body.client_secret);

  // Still on the Overview since the approval: a reload shows the new registration now rather than at the
  // card's next 15 s refresh.
  await page.reload();
  const item = page.getByTestId('pending-registration').filter({ hasText: 'CRM Cloud Staging' });
  await item.getByRole('button', { name: 'Refuse CRM Cloud Staging' }).click();
  const confirm = page.getByRole('dialog', { name: 'Refuse the registration of “CRM Cloud Staging”?' });
  await expect(confirm).toContainText(`The API user ${second.clientId} is disabled`);
  // The card sits below the fold: back at the top, the full-page shot shows the page as the admin sees it.
  await page.evaluate('window.scrollTo(0, 0)');
  await screenshot(page, 'activations-05-refuse-confirm');
  expect(await severeViolations(page)).toEqual([]);
  await confirm.getByRole('button', { name: 'Refuse registration' }).click();
  await expect(page.getByTestId('pending-registrations')).toBeHidden();

  const refused = await requestToken(tokenEndpoint(), second.clientId, second.secret);
  expect(refused).toMatchObject({ ok: false, status: 401, error: 'invalid_client' });

  await page.goto(`${keyrack.url}#/users/activations`);
  await expect(page.getByTestId('activations').getByRole('row').filter({ hasText: 'CRM Cloud' })).toContainText('2 of 3');
  const registered = page.getByTestId('registrations');
  await expect(registered.getByRole('row').filter({ hasText: 'CRM Cloud Connector' })).toContainText('active');
  await expect(registered.getByRole('row').filter({ hasText: 'CRM Cloud Staging' })).toContainText('refused');
  await expectNothingCut(page);
  await screenshot(page, 'activations-06-registrations');
});

test('German: the pending registration on the Overview, approved there; the Activations page', async ({ browser }) => {
  const reply = await registerWithCurl('CRM Cloud Filiale');
  expect(reply.status).toBe(201);
  const clientId = String(reply.body.client_id);
  const secret = String(reply.body.client_secret);

  const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1024, height: 768 } });
  const de = await context.newPage();
  const deGuards = guardPage(de);
  try {
    await de.goto(keyrack.url);
    await textbox(de, 'Name').fill(ADMIN.name);
    await textbox(de, 'Passwort').fill(ADMIN.password);
    await de.getByRole('button', { name: 'Anmelden' }).click();
    const card = de.getByTestId('pending-registrations');
    await expect(card.getByRole('heading', { name: 'Registrierungen, die auf Freigabe warten' })).toBeVisible();
    await expect(card.getByTestId('pending-registration')).toContainText('mit „CRM Cloud“');
    await expectNothingCut(de);
    await screenshot(de, 'activations-de-01-overview-pending');
    await card.getByRole('button', { name: 'Freigeben CRM Cloud Filiale' }).click();
    await expect(card).toBeHidden();
    expect((await requestToken(tokenEndpoint(), clientId, secret)).ok).toBe(true);

    await de.goto(`${keyrack.url}#/users/activations`);
    await expect(de.getByTestId('activations').getByRole('row').filter({ hasText: 'CRM Cloud' })).toContainText('3 von 3');
    await expect(de.getByTestId('activations').getByRole('row').filter({ hasText: 'CRM Cloud' })).toContainText('aufgebraucht');
    await expectNothingCut(de);
    await screenshot(de, 'activations-de-02-page');

    // A second activation, created in German: the dialog, then its code once.
    await de.getByRole('button', { name: 'Neue Aktivierung' }).click();
    const dialog = de.getByRole('dialog', { name: 'Neue Aktivierung' });
    await expect(dialog.getByRole('switch', { name: 'Jede Registrierung braucht meine Freigabe' })).toBeChecked();
    await expect(dialog.getByRole('textbox', { name: 'Erlaubte Registrierungen' })).toHaveValue('1');
    await textbox(dialog, 'Name').fill('Buchhaltung Online');
    await choose(dialog, 'Gruppen', 'CRM read');
    await screenshot(de, 'activations-de-03-create');
    await dialog.getByRole('button', { name: 'Aktivierung anlegen' }).click();
    const reveal = de.getByRole('dialog', { name: 'Kopieren Sie den Aktivierungscode jetzt' });
    await expect(reveal.getByTestId('activation-curl')).toContainText('/oauth2/register');
    await expect(reveal.getByRole('button', { name: 'Aktivierungscode kopieren' })).toBeVisible();
    await expectNothingCut(de);
    await screenshot(de, 'activations-de-04-code-once');
    await reveal.getByRole('button', { name: 'Ich habe den Code kopiert' }).click();
    await expect(de.getByTestId('activations').getByRole('row').filter({ hasText: 'Buchhaltung Online' })).toContainText('0 von 1');
    await expectNothingCut(de);
    await screenshot(de, 'activations-de-05-page-with-revoke');
    deGuards.assertClean();
  } finally {
    await context.close();
  }
});

test('revoked with a confirmation, the activation code registers nothing more', async () => {
  // A fresh activation: the first one is used up, and revoking is offered only for active ones.
  const made = await seed.call<{ activation: { id: number }; code: string }>('activations.create', { name: 'ERP Trial', requiresApproval: false });
  await page.goto(`${keyrack.url}#/users/activations`);
  const row = page.getByTestId('activations').getByRole('row').filter({ hasText: 'ERP Trial' });
  await row.getByRole('button', { name: 'Revoke' }).click();
  const confirm = page.getByRole('dialog', { name: 'Revoke the activation “ERP Trial”?' });
  await screenshot(page, 'activations-07-revoke-confirm');
  await confirm.getByRole('button', { name: 'Revoke activation' }).click();
  await expect(row).toContainText('revoked');

  const response = await fetch(`${keyrack.tokenServerUrl}/oauth2/register`, {
    method: 'POST',
    headers: { authorization: `Bearer ${made.code}`, 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: 'Too late', token_endpoint_auth_method: 'client_secret_basic' }),
  });
  expect(response.status).toBe(401);
  expect(await response.json()).toMatchObject({ error: 'invalid_token' });

  await page.goto(`${keyrack.url}#/log`);
  await expect(page.getByRole('row').filter({ hasText: 'Registration approved' })).toHaveCount(2);
  await expect(page.getByRole('row').filter({ hasText: 'Registration refused' })).toHaveCount(1);
  await expect(page.getByRole('row').filter({ hasText: 'Activation revoked' })).toHaveCount(1);
  await screenshot(page, 'activations-08-log');
});
