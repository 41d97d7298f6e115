import { existsSync, readdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { expectFieldError } from './support/fields.js';
import { ADMIN, BridgeClient, startKeyrack, type Keyrack } from './support/keyrack.js';
import { choose, combobox, textbox } from './support/mantine.js';
import { guardPage, type PageGuards } from './support/page-guards.js';

/**
 * Bad input in every form: the message shows next to the field in plain words, and nothing is saved
 * (checked behind the UI's back through a second session of the same bridge). Refusals that only main can
 * make (a name already taken) must come back to the same field.
 */
test.describe.configure({ mode: 'serial' });

let keyrack: Keyrack;
let page: Page;
let guards: PageGuards;
const api = { admin: null as unknown as BridgeClient };
let apiUserId = 0;

test.beforeAll(async ({ browser }) => {
  keyrack = await startKeyrack();
  page = await (await browser.newContext()).newPage();
  guards = guardPage(page);
});

test.afterAll(async () => {
  await page?.context().close();
  await keyrack?.stop();
});

const open = async (hash: string, heading: string | RegExp) => {
  await page.goto(`${keyrack.url}#${hash}`);
  const target = page.getByRole('heading', { name: heading, exact: typeof heading === 'string' });
  // Each test leaves its form holding the refused input, and the app asks before such a form is left
  // (lists-and-forms.spec.ts): leave it, the input was only there to be refused.
  const question = page.getByRole('dialog', { name: 'Leave without saving?' });
  await expect(target.or(question)).toBeVisible();
  if (await question.isVisible()) await question.getByRole('button', { name: 'Leave and discard changes' }).click();
  await expect(target).toBeVisible();
};

const countOf = async <T>(channel: string, input: unknown = {}) => {
  const value = await api.admin.call<T[] | { total: number }>(channel, input);
  return Array.isArray(value) ? value.length : value.total;
};

test('first run: name, password and repeat are checked; no administrator is made', async () => {
  await page.goto(keyrack.url);
  await expect(page.getByRole('heading', { name: 'Create the first administrator' })).toBeVisible();
  const create = page.getByRole('button', { name: 'Create administrator' });
  await create.click();
  await expectFieldError(textbox(page, 'Your name'), 'Name is required');
  await expectFieldError(textbox(page, 'Password'), 'Password must be at least 12 characters');

  await textbox(page, 'Your name').fill('!!!');
  await textbox(page, 'Password').fill(ADMIN.password);
  await textbox(page, 'Repeat the password').fill('something else entirely');
  await create.click();
  await expectFieldError(textbox(page, 'Your name'), 'Name must contain at least one letter or digit');
  await expectFieldError(textbox(page, 'Repeat the password'), 'The two passwords are not the same');

  const outsider = new BridgeClient(keyrack.url);
  expect(await outsider.call<{ setupNeeded: boolean }>('auth.status')).toMatchObject({ setupNeeded: true });

  await textbox(page, 'Your name').fill(ADMIN.name);
  await textbox(page, 'Repeat the password').fill(ADMIN.password);
  await create.click();
  await expect(page.getByRole('heading', { name: 'Overview', exact: true })).toBeVisible(); // home
  api.admin = new BridgeClient(keyrack.url);
  await api.admin.call('auth.login', ADMIN);
});

test('login: empty fields are named, a wrong password is refused without saying which part was wrong', async () => {
  await page.getByTestId('account-menu').click();
  await page.getByRole('menuitem', { name: 'Log out' }).click();
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await textbox(page, 'Name').fill('');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expectFieldError(textbox(page, 'Name'), 'Name is required');
  await expectFieldError(textbox(page, 'Password'), 'Password is required');

  await textbox(page, 'Name').fill('nobody-by-this-name');
  await textbox(page, 'Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Could not log in');
  // The same words for an unknown name as for a wrong password: no hint which names exist.
  const unknownName = await alert.textContent();
  await textbox(page, 'Name').fill(ADMIN.name);
  await textbox(page, 'Password').fill('not the password at all');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(textbox(page, 'Password')).toHaveValue('');
  await expect(alert).toHaveText(unknownName ?? '');

  await textbox(page, 'Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Overview', exact: true })).toBeVisible(); // home
});

test('new person: name, email, password; a name already taken comes back to the name field', async () => {
  const before = await countOf('users.list', {});
  await open('/users/new-person', 'New person');
  const submit = page.getByRole('button', { name: 'Create person' });
  await textbox(page, 'Email').fill('not an address');
  await textbox(page, 'Initial password').fill('short');
  await submit.click();
  await expectFieldError(textbox(page, 'Name'), 'Name is required');
  await expectFieldError(textbox(page, 'Email'), 'Enter a valid email address');
  await expectFieldError(textbox(page, 'Initial password'), 'Password must be at least 12 characters');

  await textbox(page, 'Name').fill(ADMIN.name);
  await textbox(page, 'Email').fill('alice@office.example');
  await textbox(page, 'Initial password').fill('a perfectly long password');
  await submit.click();
  await expectFieldError(textbox(page, 'Name'), /already|taken|exists|in use/i);
  expect(await countOf('users.list', {})).toBe(before);
});

test('new API user: name, email, description length, allowlist; a name already taken', async () => {
  await api.admin.call('users.createApiUser', { name: 'Existing integration', groupIds: [], mailboxIds: [], allowlist: [] });
  const before = await countOf('users.list', {});
  await open('/users/new-api', 'New API user');
  const submit = page.getByRole('button', { name: 'Create API user' });
  await textbox(page, 'Email').fill('it@');
  await textbox(page, 'Description').fill('x'.repeat(501));
  await submit.click();
  await expectFieldError(textbox(page, 'Name'), 'Name is required');
  await expectFieldError(textbox(page, 'Email'), 'Enter a valid email address');
  await expectFieldError(textbox(page, 'Description'), 'Description can be at most 500 characters');

  const allowlist = combobox(page, 'IP allowlist');
  await allowlist.fill('10.0.0.300');
  await allowlist.press('Enter');
  await expectFieldError(allowlist, /10\.0\.0\.300/);
  await expect(page.locator('.mantine-TagsInput-pill')).toHaveCount(0);
  await allowlist.fill('');
  await allowlist.press('Escape');

  await textbox(page, 'Name').fill('Existing integration');
  await textbox(page, 'Email').fill('it@office.example');
  await textbox(page, 'Description').fill('A second try with a name in use');
  await submit.click();
  await expectFieldError(textbox(page, 'Name'), /already|taken|exists|in use/i);
  await expect(page.getByText('This secret will not be shown again')).toHaveCount(0);
  expect(await countOf('users.list', {})).toBe(before);
});

test('group: a name is required and must be free', async () => {
  const before = await countOf('groups.list');
  await open('/groups/new', 'New group');
  const submit = page.getByRole('button', { name: 'Create group' });
  await textbox(page, 'Description').fill('No name yet');
  await submit.click();
  await expectFieldError(textbox(page, 'Name'), 'Group name is required');
  await textbox(page, 'Name').fill('Administrators');
  await submit.click();
  await expectFieldError(textbox(page, 'Name'), /already|taken|exists|in use/i);
  expect(await countOf('groups.list')).toBe(before);
});

test('rights resource: name and filter spelling, at least one action', async () => {
  const before = await countOf('rights.list');
  await open('/rights', 'Rights catalogue');
  await page.getByRole('button', { name: 'Add resource' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a resource' });
  await textbox(dialog, 'Resource name').fill('Address Book!');
  await combobox(dialog, 'Actions').focus();
  // Take away the three default actions with Backspace, as a keyboard user would.
  for (let i = 0; i < 3; i++) await combobox(dialog, 'Actions').press('Backspace');
  await dialog.getByRole('button', { name: 'Add a filter' }).click();
  await textbox(dialog, 'Filter 1 name').fill('Published Only');
  await dialog.getByRole('button', { name: 'Add resource' }).click();
  await expectFieldError(textbox(dialog, 'Resource name'), 'Resource must be lowercase letters, digits, _ or -, starting with a letter');
  await expectFieldError(combobox(dialog, 'Actions'), 'Give the resource at least one action');
  await expectFieldError(textbox(dialog, 'Filter 1 name'), 'Filter must be lowercase letters, digits, _ or -, starting with a letter');
  await expect(dialog).toBeVisible();
  expect(await countOf('rights.list')).toBe(before);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
});

test('rights resource: an endpoint-style name is accepted and listed under its first segment, in the catalogue and the matrix', async () => {
  await open('/rights', 'Rights catalogue');
  await page.getByRole('button', { name: 'Add resource' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a resource' });
  await textbox(dialog, 'Resource name').fill('orders/import');
  await dialog.getByRole('button', { name: 'Add resource' }).click();
  await expect(dialog).toBeHidden();
  const resources = await api.admin.call<{ name: string; actions: string[] }[]>('rights.list');
  expect(resources.find((r) => r.name === 'orders/import')).toBeDefined();
  await expect(page.getByRole('row', { name: /orders\/import/ })).toBeVisible();

  await open('/groups/new', 'New group');
  // The matrix heads the endpoint's rows with its first segment, and says to grant write and delete sparingly.
  const matrix = page.getByRole('table', { name: 'API rights' });
  await expect(matrix.getByRole('row', { name: 'orders/', exact: true })).toBeVisible();
  await expect(matrix.getByRole('checkbox', { name: 'orders/import: read' })).toBeVisible();
  await expect(page.getByTestId('rights-least-privilege')).toHaveText(/write and delete only where/);
});

test('mailbox: the address must be an email address, and free', async () => {
  await api.admin.call('mailboxes.create', { address: 'office@office.example', displayName: 'Office' });
  const before = await countOf('mailboxes.list');
  await open('/mailboxes', 'Mailboxes');
  await page.getByRole('button', { name: 'New mailbox' }).click();
  const dialog = page.getByRole('dialog', { name: 'New mailbox' });
  await textbox(dialog, 'Address').fill('office at example');
  await dialog.getByRole('button', { name: 'Create mailbox' }).click();
  await expectFieldError(textbox(dialog, 'Address'), 'Enter a valid email address');
  await textbox(dialog, 'Address').fill('office@office.example');
  await dialog.getByRole('button', { name: 'Create mailbox' }).click();
  await expectFieldError(textbox(dialog, 'Address'), /already|taken|exists|in use/i);
  expect(await countOf('mailboxes.list')).toBe(before);
});

test('secrets: add needs a label, rotate refuses an over-long one; no secret is made', async () => {
  const created = await api.admin.call<{ user: { id: number } }>('users.createApiUser', { name: 'Secret holder', groupIds: [], mailboxIds: [], allowlist: [] });
  apiUserId = created.user.id;
  const before = await countOf('secrets.list', { userId: apiUserId });
  await open(`/users/${apiUserId}/credentials`, /^Secret holder/);
  await page.getByRole('button', { name: 'Add secret' }).click();
  const add = page.getByRole('dialog', { name: 'Add a secret' });
  await add.getByRole('button', { name: 'Create secret' }).click();
  await expectFieldError(textbox(add, 'Label'), 'Label is required');
  await add.getByRole('button', { name: 'Cancel' }).click();

  await page.getByRole('button', { name: 'Rotate' }).click();
  const rotate = page.getByRole('dialog', { name: /Rotate/ });
  await choose(rotate, 'Old secret keeps working for', '1 hour');
  await textbox(rotate, 'New label').fill('l'.repeat(65));
  await rotate.getByRole('button', { name: 'Rotate secret' }).click();
  await expectFieldError(textbox(rotate, 'New label'), 'Label can be at most 64 characters');
  await rotate.getByRole('button', { name: 'Cancel' }).click();
  expect(await countOf('secrets.list', { userId: apiUserId })).toBe(before);
});

test('credential file export: the passphrase is checked and repeated; no file is written', async () => {
  await open(`/users/${apiUserId}/credentials`, /^Secret holder/);
  await page.getByRole('button', { name: 'Export without secret' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export credential file' });
  await expect(dialog.getByTestId('export-without-secret')).toBeVisible();
  await dialog.getByRole('switch', { name: 'Protect with a passphrase' }).check();
  await textbox(dialog, 'Passphrase').fill('too short');
  await textbox(dialog, 'Repeat passphrase').fill('something else');
  await dialog.getByRole('button', { name: 'Choose where to save…' }).click();
  await expectFieldError(textbox(dialog, 'Passphrase'), 'Passphrase must be at least 12 characters');
  await expectFieldError(textbox(dialog, 'Repeat passphrase'), 'The two passphrases differ');
  await expect(dialog).toBeVisible();
  expect(existsSync(keyrack.saveDir) ? readdirSync(keyrack.saveDir) : []).toEqual([]);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
});

test('user profile: email, name and token lifetime; the stored profile is unchanged', async () => {
  const before = await api.admin.call<object>('users.show', { id: apiUserId });
  await open(`/users/${apiUserId}/profile`, /^Secret holder/);
  await textbox(page, 'Email').fill('holder@');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expectFieldError(textbox(page, 'Email'), 'Enter a valid email address');
  await textbox(page, 'Name').fill('   ');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expectFieldError(textbox(page, 'Name'), 'Name is required');

  // An out-of-range lifetime keeps what was typed (no silent clamping on blur) and says why at the field.
  const lifetime = textbox(page, 'Token lifetime (seconds)');
  await lifetime.fill('30');
  await textbox(page, 'Email').focus();
  await expect(lifetime).toHaveValue('30');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expectFieldError(lifetime, 'At least 60 seconds');
  await lifetime.fill('100000');
  await textbox(page, 'Email').focus();
  await expect(lifetime).toHaveValue('100000');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expectFieldError(lifetime, 'At most one day');
  expect(await api.admin.call<object>('users.show', { id: apiUserId })).toEqual(before);
});

test('token server settings: port and token lifetime out of range; the settings stay as they were', async () => {
  const before = await api.admin.call<{ settings: object }>('server.status');
  await open('/server', 'Token server');
  const port = page.getByRole('textbox', { name: 'Port', exact: true });
  const lifetime = page.getByRole('textbox', { name: 'Token lifetime (seconds)', exact: true });
  await expect(port).toHaveValue(/^\d+$/);
  await port.fill('70000');
  await lifetime.fill('30');
  await expect(port).toHaveValue('70000');
  await expect(lifetime).toHaveValue('30');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expectFieldError(port, 'A port is 1 to 65535');
  await expectFieldError(lifetime, /60/);
  await expect(page.getByRole('dialog', { name: 'Save the token server settings?' })).toHaveCount(0);
  expect((await api.admin.call<{ settings: object }>('server.status')).settings).toEqual(before.settings);
  guards.assertClean();
});

test('token server settings: issuer, audiences and proxies are checked; good ones are saved', async () => {
  const before = await api.admin.call<{ settings: Record<string, unknown> }>('server.status');
  await open('/server', 'Token server');
  const issuer = textbox(page, 'Issuer');
  await issuer.fill('https://keyrack.office.test:8443/oauth');
  const audiences = combobox(page, 'Further audiences');
  await audiences.fill('not a uri');
  await audiences.press('Enter');
  const proxies = combobox(page, 'Trusted reverse proxies');
  await proxies.fill('proxy.lan');
  await proxies.press('Enter');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expectFieldError(issuer, 'The issuer must be an http(s) origin');
  await expectFieldError(audiences, 'An audience must be a URI');
  await expectFieldError(proxies, 'A proxy must be an IP address or a CIDR range');
  await expect(page.getByRole('dialog', { name: 'Save the token server settings?' })).toHaveCount(0);
  expect((await api.admin.call<{ settings: object }>('server.status')).settings).toEqual(before.settings);

  // The settings form's own button: the Mail relay card beside it has one too.
  await page.getByTestId('server-settings-form').getByRole('button', { name: 'Discard changes' }).click();
  await issuer.fill('https://keyrack.office.test:8443');
  await audiences.fill('urn:office:crm');
  await audiences.press('Enter');
  await proxies.fill('10.0.0.5');
  await proxies.press('Enter');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByRole('dialog', { name: 'Save the token server settings?' }).getByRole('button', { name: 'Save and restart' }).click();
  await expect
    .poll(async () => (await api.admin.call<{ settings: Record<string, unknown> }>('server.status')).settings)
    .toMatchObject({ issuer: 'https://keyrack.office.test:8443', audiences: ['urn:office:crm'], trustedProxies: ['10.0.0.5'] });
  guards.assertClean();
});

test('API users must have an allowlist: switched on the Users page, then the create form is refused without one', async () => {
  await open('/users', 'Users');
  const rule = page.getByRole('switch', { name: 'API users must have an allowlist' });
  await expect(rule).not.toBeChecked();
  await rule.click();
  await expect.poll(() => api.admin.call<{ requireAllowlist: boolean }>('policy.get')).toEqual({ requireAllowlist: true });
  const before = await countOf('users.list', {});
  await open('/users/new-api', 'New API user');
  // The office's rule follows what an entry may be; it does not replace that explanation.
  await expect(page.getByText('Addresses (192.0.2.10, 2001:db8::1), ranges (10.0.0.0/8) or a provider word. Required by this office', { exact: false })).toBeVisible();
  await textbox(page, 'Name').fill('No allowlist');
  await page.getByRole('button', { name: 'Create API user' }).click();
  await expectFieldError(combobox(page, 'IP allowlist'), 'This office requires an allowlist for every API user');
  expect(await countOf('users.list', {})).toBe(before);
  await open('/users', 'Users');
  await page.getByRole('switch', { name: 'API users must have an allowlist' }).click();
  await expect.poll(() => api.admin.call<{ requireAllowlist: boolean }>('policy.get')).toEqual({ requireAllowlist: false });
});
