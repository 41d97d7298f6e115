import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ADMIN, BridgeClient, startKeyrack, type Keyrack } from './support/keyrack.js';
import { choose, combobox, navTo, tableRows, textbox } from './support/mantine.js';
import { requestToken } from './support/oauth.js';
import { guardPage, screenshot, type PageGuards } from './support/page-guards.js';

/**
 * The administrator's journey, in one browser session, against a fresh Keyrack: first run, login, the rights
 * catalogue, a group with rights, a mailbox, an API user with both and an allowlist, its one-time secret
 * copied and exported; then the integration's side (a token from the running token server with that file),
 * the issuance in the Log, rotation with a grace period, revocation, and the Log saying why a request failed.
 */
test.describe.configure({ mode: 'serial' });

let keyrack: Keyrack;
let page: Page;
let guards: PageGuards;
let seed: BridgeClient;
const created = { clientId: '', secret: '', rotated: '', third: '', userId: 0, tokenEndpoint: '' };

interface CredentialFile {
  type: string;
  version: number;
  name: string;
  client_id: string;
  client_secret?: string;
  token_endpoint: string;
  scopes: string[];
  mailboxes: string[];
}

test.beforeAll(async ({ browser }) => {
  keyrack = await startKeyrack();
  const context = await browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(keyrack.url).origin });
  page = await context.newPage();
  guards = guardPage(page);
});

test.afterAll(async () => {
  await page?.context().close();
  await keyrack?.stop();
});

test('first run asks for an administrator, with a strength hint, and refuses a short password', async () => {
  await page.goto(keyrack.url);
  await expect(page.getByRole('heading', { name: 'Create the first administrator' })).toBeVisible();
  await textbox(page, 'Your name').fill(ADMIN.name);
  await textbox(page, 'Password').fill('short');
  await expect(page.getByTestId('password-strength')).toContainText('Too weak');
  await textbox(page, 'Repeat the password').fill('short');
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await expect(page.getByText('Password must be at least 12 characters')).toBeVisible();

  await textbox(page, 'Password').fill(ADMIN.password);
  await expect(page.getByTestId('password-strength')).toContainText(/Strong|Very strong/);
  await textbox(page, 'Repeat the password').fill(ADMIN.password + 'x');
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await expect(page.getByText('The two passwords are not the same')).toBeVisible();
  await textbox(page, 'Repeat the password').fill(ADMIN.password);
  await screenshot(page, '01-first-run');
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await expect(page.getByRole('heading', { name: 'Overview', exact: true })).toBeVisible(); // home
});

test('log out, a wrong password is refused in plain words, then log in', async () => {
  await page.getByTestId('account-menu').click();
  await page.getByRole('menuitem', { name: 'Log out' }).click();
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await textbox(page, 'Name').fill(ADMIN.name);
  await textbox(page, 'Password').fill('not the password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toContainText('Could not log in');
  await screenshot(page, '02-login-failed');
  await textbox(page, 'Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Overview', exact: true })).toBeVisible(); // home
  await page.goto(`${keyrack.url}#/users`);
  await expect(page.getByRole('heading', { name: 'Users', exact: true })).toBeVisible();
  await expect(page.getByRole('row', { name: /alice/ })).toBeVisible();
});

test('rights catalogue: add the resource the LAN API exposes, with a record filter', async () => {
  seed = new BridgeClient(keyrack.url);
  await seed.call('auth.login', ADMIN);
  await navTo(page, 'Rights catalogue');
  await expect(page.getByRole('heading', { name: 'Rights catalogue' })).toBeVisible();
  await page.getByRole('button', { name: 'Add resource' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a resource' });
  await textbox(dialog, 'Resource name').fill('addresses');
  await textbox(dialog, 'Description').fill('The address book API');
  // read, write and delete are offered by default.
  await expect(dialog.locator('.mantine-TagsInput-pill')).toHaveText(['read', 'write', 'delete']);
  await dialog.getByRole('button', { name: 'Add a filter' }).click();
  await textbox(dialog, 'Filter 1 name').fill('published_only');
  await textbox(dialog, 'Filter 1 description').fill('Only addresses published on the website');
  await dialog.getByRole('button', { name: 'Add resource' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole('row', { name: /addresses/ });
  await expect(row).toContainText('The address book API');
  await expect(row).toContainText('published_only');
  await screenshot(page, '11-rights');
});

test('groups: a group whose API rights are addresses read and write, published only', async () => {
  await navTo(page, 'Groups');
  await expect(page.getByRole('heading', { name: 'Groups' })).toBeVisible();
  await screenshot(page, '12-groups');
  await page.getByRole('button', { name: 'New group' }).click();
  await expect(page.getByRole('heading', { name: 'New group' })).toBeVisible();
  await textbox(page, 'Name').fill('CRM sync');
  await textbox(page, 'Description').fill('Reads and writes the address book');
  await page.getByRole('checkbox', { name: 'addresses: read' }).check();
  await page.getByRole('checkbox', { name: 'addresses: write' }).check();
  await page.getByRole('checkbox', { name: 'addresses: filter published_only' }).check();
  await expect(page.getByLabel('Scopes in tokens')).toHaveText(/addresses:read.*addresses:write/);
  await page.getByRole('button', { name: 'Create group' }).click();
  await expect(page.getByText('Group CRM sync created')).toBeVisible();
  await expect(page.getByRole('checkbox', { name: 'addresses: read' })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'addresses: delete' })).not.toBeChecked();
  await screenshot(page, '13-group-editor');
  const groups = await seed.call<{ name: string; id: number }[]>('groups.list');
  expect(groups.map((g) => g.name)).toContain('CRM sync');
});

test('mailboxes: the address the integration may send as', async () => {
  await navTo(page, 'Mailboxes');
  await page.getByRole('button', { name: 'New mailbox' }).click();
  const dialog = page.getByRole('dialog', { name: 'New mailbox' });
  await textbox(dialog, 'Address').fill('newsletter@office.example');
  await textbox(dialog, 'Display name').fill('Newsletter');
  await dialog.getByRole('button', { name: 'Create mailbox' }).click();
  await expect(page.getByText('Mailbox newsletter@office.example created')).toBeVisible();
  // Creating opens the mailbox's drawer; close it to see the list.
  await page.keyboard.press('Escape');
  await expect(page.getByRole('row', { name: /newsletter@office\.example/ })).toContainText('nobody yet');
  await screenshot(page, '14-mailboxes');
  await navTo(page, 'Users');
});

test('create an API user: groups with a live scope preview, a mailbox, an allowlist checked as typed', async () => {
  await page.getByRole('button', { name: 'New API user' }).click();
  await expect(page.getByRole('heading', { name: 'New API user' })).toBeVisible();
  await textbox(page, 'Name').fill('CRM sync');
  await textbox(page, 'Email').fill('it@office.example');
  await textbox(page, 'Description').fill('Nightly sync of the CRM address book');

  const preview = page.getByTestId('scopes-preview');
  await expect(preview).toContainText('No scopes');
  // Administrators is for people: the form does not offer it to an API user.
  await combobox(page, 'Groups').click();
  await expect(page.getByRole('option', { name: 'CRM sync', exact: true })).toBeVisible();
  await expect(page.getByRole('option', { name: 'Administrators', exact: true })).toHaveCount(0);
  await combobox(page, 'Groups').press('Escape');
  await choose(page, 'Groups', 'CRM sync');
  await expect(preview).toContainText('addresses:read');
  await expect(preview).toContainText('addresses:write');
  await expect(preview).toContainText('published_only');

  await choose(page, 'Mailboxes', /newsletter@office\.example/);
  await expect(preview).toContainText('May send as: newsletter@office.example');

  const allowlist = combobox(page, 'IP allowlist');
  await allowlist.fill('10.0.0.1/8');
  await expect(page.getByText('10.0.0.1/8 has host bits set: did you mean 10.0.0.0/8?')).toBeVisible();
  await allowlist.fill('10.0.0.0/8');
  await allowlist.press('Enter');
  await allowlist.fill('aws');
  await allowlist.press('Enter');
  await allowlist.fill('192.168.1.300');
  await allowlist.press('Enter');
  await expect(page.getByText(/192\.168\.1\.300 is not an (IPv4|IP) address/)).toBeVisible();
  await allowlist.fill('127.0.0.1');
  await allowlist.press('Enter');
  const tags = page.locator('.mantine-TagsInput-pill');
  await expect(tags).toHaveText(['10.0.0.0/8', 'AWS', '127.0.0.1']);
  await allowlist.press('Escape');
  await screenshot(page, '03-create-api-user');

  await page.getByRole('button', { name: 'Create API user' }).click();
  await expect(page.getByText('This secret will not be shown again')).toBeVisible();
  created.clientId = (await page.getByTestId('reveal-client-id').textContent()) ?? '';
  created.secret = (await page.getByTestId('reveal-secret').textContent()) ?? '';
  expect(created.clientId).toBe('keyrack-crm-sync');
  expect(created.secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
});

test('copy the secret to the clipboard', async () => {
  await page.getByRole('button', { name: 'Copy client secret' }).click();
  await expect.poll(() => page.evaluate('navigator.clipboard.readText()')).toBe(created.secret);
  await page.getByRole('button', { name: 'Copy client id' }).click();
  await expect.poll(() => page.evaluate('navigator.clipboard.readText()')).toBe(created.clientId);
  await screenshot(page, '04-secret-reveal');
});

test('export the credential file from the reveal screen', async () => {
  await page.getByRole('button', { name: 'Export credential file' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export credential file' });
  await expect(dialog).toContainText('This file contains the client secret');
  await screenshot(page, '04b-export-credential-file');
  await dialog.getByRole('button', { name: 'Choose where to save…' }).click();
  await expect(page.getByText(/keyrack-crm-sync.*\.json saved to/)).toBeVisible();
  await expect(dialog).toBeHidden();

  const files = readdirSync(keyrack.saveDir).filter((name) => name.endsWith('.json'));
  expect(files).toHaveLength(1);
  const path = join(keyrack.saveDir, files[0]!);
  // Owner-only: the file holds a secret.
  expect(statSync(path).mode & 0o077).toBe(0);
  const file = JSON.parse(readFileSync(path, 'utf8')) as CredentialFile;
  expect(file).toMatchObject({ type: 'keyrack_api_user', version: 1, name: 'CRM sync', client_id: created.clientId, client_secret: created.secret });
  expect(file.scopes).toEqual(expect.arrayContaining(['addresses:read', 'addresses:write']));
  expect(file.mailboxes).toEqual(['newsletter@office.example']);
  created.tokenEndpoint = file.token_endpoint;
  expect(new URL(created.tokenEndpoint).hostname).toBe('127.0.0.1');
});

test('the integration uses the file: a token from the running token server', async () => {
  const token = await requestToken(created.tokenEndpoint, created.clientId, created.secret);
  expect(token.ok, JSON.stringify(token.body)).toBe(true);
  if (!token.ok) return;
  expect(token.claims.client_id).toBe(created.clientId);
  expect(token.claims.scope?.split(' ')).toEqual(expect.arrayContaining(['addresses:read', 'addresses:write']));
  expect(token.claims.scope?.split(' ')).not.toContain('addresses:delete');
  expect(token.body.token_type).toMatch(/^bearer$/i);
});

test('the detail opens on the profile; the table lists the API user with its last use', async () => {
  await page.getByRole('button', { name: 'I have stored the secret' }).click();
  await expect(page.getByRole('tab', { name: 'Profile', selected: true })).toBeVisible();
  created.userId = Number(/#\/users\/(\d+)/.exec(page.url())?.[1]);
  expect(created.userId).toBeGreaterThan(0);
  // The secret is gone from the page for good.
  await expect(page.getByText(created.secret)).toHaveCount(0);
  await screenshot(page, '06-user-profile');

  await page.getByRole('link', { name: '← Users' }).click();
  const row = page.getByRole('row', { name: /CRM sync/ });
  await expect(row).toContainText('keyrack-crm-sync');
  await expect(row).toContainText('Active');
  await expect(row).toContainText('from 127.0.0.1');
  await choose(page, 'Kind', 'People');
  await expect(page.getByRole('row', { name: /CRM sync/ })).toHaveCount(0);
  await choose(page, 'Kind', 'API users');
  await expect(page.getByRole('row', { name: /CRM sync/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /alice/ })).toHaveCount(0);
  await screenshot(page, '05-users-table');
  await textbox(page, 'Search').fill('nothing matches this');
  await expect(page.getByText('No user matches these filters')).toBeVisible();
  await textbox(page, 'Search').fill('crm');
  // The search refetches the page after a pause: a click on a link the refetch then replaces opens nothing
  // (seen once in CI under load), so click until the user's page is open.
  await expect(async () => {
    await page.getByRole('link', { name: 'CRM sync' }).click();
    await expect(page.getByRole('tab', { name: 'Profile', selected: true })).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 15_000 });
});

test('detail tabs: groups and effective rights, mailboxes, network', async () => {
  await page.getByRole('tab', { name: 'Groups and rights' }).click();
  await expect(page.getByTestId('scopes-preview')).toContainText('addresses:read');
  await expect(page.getByTestId('scopes-preview')).toContainText('newsletter@office.example');
  await screenshot(page, '07-user-groups');

  await page.getByRole('tab', { name: 'Mailboxes' }).click();
  await expect(page.locator('.mantine-MultiSelect-pill')).toHaveText([/newsletter@office\.example/]);
  await screenshot(page, '07b-user-mailboxes');

  await page.getByRole('tab', { name: 'Network' }).click();
  await expect(page.locator('.mantine-TagsInput-pill')).toHaveText(['10.0.0.0/8', 'AWS', '127.0.0.1']);
  await combobox(page, 'IP allowlist').fill('2001:db8::/32');
  await combobox(page, 'IP allowlist').press('Enter');
  // The provider suggestions stay open after Enter and cover the buttons below; a person closes them.
  await combobox(page, 'IP allowlist').press('Escape');
  await page.getByRole('button', { name: 'Save allowlist' }).click();
  await expect(page.getByText('Allowlist of CRM sync saved.')).toBeVisible();
  const detail = await seed.call<{ allowlist: { entry: string }[] }>('users.show', { id: created.userId });
  expect(detail.allowlist.map((e) => e.entry)).toEqual(expect.arrayContaining(['10.0.0.0/8', 'AWS', '127.0.0.1', '2001:db8::/32']));
  await screenshot(page, '08-user-network');
});

test('the Log shows the issuance: who, from where, and its details', async () => {
  await navTo(page, 'Log');
  await expect(page.getByRole('heading', { name: 'Log', exact: true })).toBeVisible();
  await screenshot(page, '15-log');
  await choose(page, 'Event', /^Token issued/);
  const issued = tableRows(page).filter({ hasText: 'Token issued' });
  await expect(issued).toHaveCount(1);
  await expect(issued).toContainText('CRM sync');
  await expect(issued).toContainText('127.0.0.1');
  const drawer = page.getByRole('dialog', { name: /Event #/ });
  // The filtered page may still be replacing its rows (a refetch after the filter): a click on a row that
  // is then swapped opens nothing, so click until the drawer is open.
  await expect(async () => {
    await issued.getByRole('button', { name: /^Details of event/ }).click();
    await expect(drawer).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 15_000 });
  await expect(drawer).toContainText('addresses:read');
  // The token itself is never logged.
  await expect(drawer).not.toContainText(created.secret);
  // Details as labelled fields, not JSON: the scope under its label with a plain explanation of the word,
  // the token's expiry as a time in the app's format; the stored JSON only behind "Technical details".
  const details = drawer.getByTestId('event-details');
  await expect(details.getByText('Scope', { exact: true })).toBeVisible();
  await expect(details.getByLabel(/^What the token allows/)).toBeVisible();
  await expect(details.getByText('Credentials sent', { exact: true })).toBeVisible();
  await expect(details).toContainText(/Token expires\s*\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
  await expect(details.getByText(/"jti":/)).toBeHidden();
  await details.getByRole('button', { name: 'Technical details' }).click();
  await expect(details.getByText(/"jti":/)).toBeVisible();
  await details.getByRole('button', { name: 'Technical details' }).click();
  await screenshot(page, '16-log-drawer');
  await page.keyboard.press('Escape');
});

test('the Log sorts by time, oldest first, and keeps the order in its URL', async () => {
  await page.goto(`${keyrack.url}#/log`);
  await expect(page.getByTestId('log-time-order')).toHaveAttribute('data-order', 'newest');
  await expect(tableRows(page).first()).toBeVisible();
  await expect(tableRows(page).first()).not.toContainText('Signing key rotated');
  await page.getByRole('button', { name: /^Time, / }).click();
  await expect(page).toHaveURL(/order=oldest/);
  // The first thing that ever happened: Keyrack's first start made its signing key.
  await expect(tableRows(page).first()).toContainText('Signing key rotated');
  await page.reload();
  await expect(tableRows(page).first()).toContainText('Signing key rotated');
  await screenshot(page, '15b-log-oldest-first');
  await page.getByRole('button', { name: /^Time, / }).click();
  await expect(page).not.toHaveURL(/order=oldest/);
  await expect(tableRows(page).first()).not.toContainText('Signing key rotated');
});

test('rotate with a grace period: the old secret keeps working beside the new one', async () => {
  await page.goto(`${keyrack.url}#/users/${created.userId}/credentials`);
  // The secrets' table (the public keys' table follows it on the same tab).
  const rows = page.locator('.mantine-datatable').first().locator('tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Initial secret');
  await expect(rows.first()).toContainText('live');
  await expect(rows.first()).toContainText('by alice');
  await expect(rows.first()).toContainText('from 127.0.0.1');

  await rows.first().getByRole('button', { name: 'Rotate' }).click();
  const rotateDialog = page.getByRole('dialog', { name: /Rotate/ });
  await choose(rotateDialog, 'Old secret keeps working for', '1 hour');
  await textbox(rotateDialog, 'New label').fill('Rotated for the new server');
  await rotateDialog.getByRole('button', { name: 'Rotate secret' }).click();
  const reveal = page.getByRole('dialog', { name: /New secret/ });
  await expect(reveal.getByText('This secret will not be shown again')).toBeVisible();
  created.rotated = (await reveal.getByTestId('reveal-secret').textContent()) ?? '';
  expect(created.rotated).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  expect(created.rotated).not.toBe(created.secret);
  await reveal.getByRole('button', { name: 'I have stored the secret' }).click();

  await expect(rows).toHaveCount(2);
  const old = page.getByRole('row', { name: /Initial secret/ });
  await expect(old).toContainText('live');
  // Its grace period ends within the hour: the expiry shows as a warning.
  await expect(old.locator('[data-expiry="soon"]')).toBeVisible();
  await screenshot(page, '09-user-credentials');

  expect((await requestToken(created.tokenEndpoint, created.clientId, created.secret)).ok).toBe(true);
  expect((await requestToken(created.tokenEndpoint, created.clientId, created.rotated)).ok).toBe(true);
});

test('a grace period that ends now: the replaced secret stops working at once', async () => {
  const current = page.getByRole('row', { name: /Rotated for the new server/ });
  await current.getByRole('button', { name: 'Rotate' }).click();
  const rotateDialog = page.getByRole('dialog', { name: /Rotate/ });
  await choose(rotateDialog, 'Old secret keeps working for', 'End it now');
  await textbox(rotateDialog, 'New label').fill('Third secret');
  await rotateDialog.getByRole('button', { name: 'Rotate secret' }).click();
  const reveal = page.getByRole('dialog', { name: /New secret/ });
  created.third = (await reveal.getByTestId('reveal-secret').textContent()) ?? '';
  await reveal.getByRole('button', { name: 'I have stored the secret' }).click();
  await expect(current).toContainText('expired');

  const refused = await requestToken(created.tokenEndpoint, created.clientId, created.rotated);
  expect(refused).toMatchObject({ ok: false, status: 401, error: 'invalid_client' });
  expect((await requestToken(created.tokenEndpoint, created.clientId, created.third)).ok).toBe(true);
});

test('revoke: the next token request with that secret fails', async () => {
  const old = page.getByRole('row', { name: /Initial secret/ });
  await old.getByRole('button', { name: 'Revoke' }).click();
  const confirm = page.getByRole('dialog', { name: /Revoke the secret/ });
  await expect(confirm).toContainText('stops working at once');
  await confirm.getByRole('button', { name: 'Revoke secret' }).click();
  await expect(old).toContainText('revoked');
  await expect(page.getByRole('row', { name: /Third secret/ })).toContainText('live');

  const refused = await requestToken(created.tokenEndpoint, created.clientId, created.secret);
  expect(refused).toMatchObject({ ok: false, status: 401, error: 'invalid_client' });
  // What the client is told says nothing about why; the Log does.
  expect(JSON.stringify(refused.body)).not.toMatch(/revoked|expired/);
});

test('the Log says why each refused request failed', async () => {
  await page.goto(`${keyrack.url}#/log`);
  await choose(page, 'Event', /^Token refused/);
  const refused = tableRows(page).filter({ hasText: 'Token refused' });
  await expect(refused).toHaveCount(2);
  await expect(refused.filter({ hasText: /revoked/ })).toHaveCount(1);
  await expect(refused.filter({ hasText: /expired/ })).toHaveCount(1);
  await expect(refused.first()).toContainText('127.0.0.1');
  await screenshot(page, '17-log-refusals');
});

test('the Token server page shows where it answers; the Overview sums up the day', async () => {
  await navTo(page, 'Token server');
  await expect(page.getByRole('heading', { name: 'Token server', exact: true })).toBeVisible();
  await expect(page.getByTestId('server-url-0')).toContainText(new URL(created.tokenEndpoint).host);
  await screenshot(page, '18-token-server');
  await navTo(page, 'Overview');
  await expect(page.getByRole('heading', { name: 'Overview', exact: true })).toBeVisible();
  await screenshot(page, '00-overview');
});

test('Activity shows what happened to this API user', async () => {
  await page.goto(`${keyrack.url}#/users/${created.userId}/activity`);
  const table = page.locator('.mantine-datatable');
  await expect(table).toContainText(/secret\.revoked|Secret revoked/);
  await expect(table).toContainText(/secret\.rotated|Secret rotated/);
  await expect(table).toContainText(/allowlist\.changed|IP allowlist changed/);
  await expect(table).toContainText(/user\.created|User created/);
  // Details in words on the row, the full labelled list when the row opens.
  const createdRow = tableRows(page).filter({ hasText: 'User created' });
  await expect(createdRow).toContainText('Client id: keyrack-');
  await expect(table).not.toContainText('"clientId"');
  await createdRow.click();
  const expanded = page.getByTestId(/^activity-details-/);
  await expect(expanded.getByText('Allowed addresses', { exact: true })).toBeVisible();
  // Its group and mailbox ids read as their names (the group links to its page).
  await expect(expanded.getByRole('link', { name: 'CRM sync' })).toBeVisible();
  await expect(expanded).toContainText('newsletter@office.example');
  await screenshot(page, '10-user-activity');
  guards.assertClean();
});

test('the same screens in the dark theme', async () => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(`${keyrack.url}#/users/${created.userId}/credentials`);
  await expect(page.getByRole('row', { name: /Third secret/ })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await screenshot(page, '90-dark-user-credentials');
  await page.goto(`${keyrack.url}#/users`);
  await expect(page.getByRole('row', { name: /CRM sync/ })).toBeVisible();
  await screenshot(page, '91-dark-users');
  await page.emulateMedia({ colorScheme: 'light' });
  guards.assertClean();
});
