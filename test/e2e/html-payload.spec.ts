import { expect, test, type Page } from '@playwright/test';
import { ADMIN, BridgeClient, startKeyrack, type Keyrack } from './support/keyrack.js';
import { choose, combobox, tableRows, textbox } from './support/mantine.js';
import { guardPage, screenshot, type PageGuards } from './support/page-guards.js';

/**
 * An HTML and script payload typed into every text field, then every page that shows those values: all of it
 * renders as text. Nothing may run (window.__xss stays undefined, no dialog, no CSP complaint) and no element
 * from the payload may reach the DOM.
 */
test.describe.configure({ mode: 'serial' });

const PAYLOAD = '<img src=x onerror=window.__xss=1><script>window.__xss=1</script>';
/** For fields of at most 64 characters (names, labels); still an element with a handler. */
const SHORT = '<img src=x onerror=window.__xss=2>';
const PERSON = '<svg onload=window.__xss=3>';

let keyrack: Keyrack;
let page: Page;
let guards: PageGuards;
let apiUserId = 0;

test.beforeAll(async ({ browser }) => {
  keyrack = await startKeyrack();
  await new BridgeClient(keyrack.url).call('auth.setup', ADMIN);
  page = await (await browser.newContext()).newPage();
  guards = guardPage(page);
  await page.goto(keyrack.url);
  await textbox(page, 'Name').fill(ADMIN.name);
  await textbox(page, 'Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Overview', exact: true })).toBeVisible(); // home
});

test.afterAll(async () => {
  await page?.context().close();
  await keyrack?.stop();
});

/** Nothing from a payload became an element, and nothing ran. */
async function expectInert(): Promise<void> {
  await expect(page.locator('img[src="x"], svg[onload], script:not([src])')).toHaveCount(0);
  expect(await page.evaluate('typeof window.__xss')).toBe('undefined');
  expect(guards.problems).toEqual([]);
}

/** The payload is on the page as the characters typed. */
async function expectShownAsText(text: string): Promise<void> {
  await expect(page.getByText(text, { exact: false }).first()).toBeVisible();
  await expectInert();
}

const go = async (hash: string) => {
  await page.goto(`${keyrack.url}#${hash}`);
  await expect(page.locator('main h1')).toBeVisible();
};

test('rights catalogue: resource and filter descriptions', async () => {
  await go('/rights');
  await page.getByRole('button', { name: 'Add resource' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a resource' });
  await textbox(dialog, 'Resource name').fill('payload');
  await textbox(dialog, 'Description').fill(PAYLOAD);
  await dialog.getByRole('button', { name: 'Add a filter' }).click();
  await textbox(dialog, 'Filter 1 name').fill('marked');
  await textbox(dialog, 'Filter 1 description').fill(PAYLOAD);
  await dialog.getByRole('button', { name: 'Add resource' }).click();
  await expect(dialog).toBeHidden();
  await expectShownAsText(PAYLOAD);
  await page.getByText('marked', { exact: true }).hover();
  await expectInert();
});

test('groups: name and description, in the list and the editor', async () => {
  await go('/groups/new');
  await textbox(page, 'Name').fill(SHORT);
  await textbox(page, 'Description').fill(PAYLOAD);
  await page.getByRole('checkbox', { name: 'payload: read' }).check();
  await page.getByRole('checkbox', { name: 'payload: filter marked' }).check();
  await page.getByRole('button', { name: 'Create group' }).click();
  await expect(page.getByText(`Group ${SHORT} created`)).toBeVisible();
  await expectShownAsText(SHORT);
  await go('/groups');
  await expectShownAsText(PAYLOAD);
});

test('mailboxes: display name, in the list and the drawer', async () => {
  await go('/mailboxes');
  await page.getByRole('button', { name: 'New mailbox' }).click();
  const dialog = page.getByRole('dialog', { name: 'New mailbox' });
  await textbox(dialog, 'Address').fill('payload@office.example');
  await textbox(dialog, 'Display name').fill(PAYLOAD);
  await dialog.getByRole('button', { name: 'Create mailbox' }).click();
  await expect(page.getByRole('dialog', { name: 'payload@office.example' })).toBeVisible();
  await expect(textbox(page.getByRole('dialog', { name: 'payload@office.example' }), 'Display name')).toHaveValue(PAYLOAD);
  await page.keyboard.press('Escape');
  await expectShownAsText(PAYLOAD);
});

test('new API user: name, description, the refused allowlist entry echoed in its message, the reveal', async () => {
  await go('/users/new-api');
  await textbox(page, 'Name').fill(SHORT);
  await textbox(page, 'Description').fill(PAYLOAD);
  await choose(page, 'Groups', SHORT);
  await choose(page, 'Mailboxes', /payload@office\.example/);
  const allowlist = combobox(page, 'IP allowlist');
  await allowlist.fill(SHORT);
  await allowlist.press('Enter');
  // The refusal quotes what was typed: as text.
  await expect(page.getByText(SHORT, { exact: false }).first()).toBeVisible();
  await expectInert();
  await allowlist.fill('');
  await allowlist.press('Escape');
  await expect(page.getByTestId('scopes-preview')).toContainText('payload:read');
  await page.getByRole('button', { name: 'Create API user' }).click();
  await expect(page.getByText('This secret will not be shown again')).toBeVisible();
  await expectShownAsText(`API user ${SHORT} is ready`);
  await page.getByRole('button', { name: 'I have stored the secret' }).click();
  apiUserId = Number(/#\/users\/(\d+)/.exec(page.url())?.[1]);
  expect(apiUserId).toBeGreaterThan(0);
});

test('the API user: every tab, and a secret labelled with the payload', async () => {
  for (const tab of ['profile', 'groups', 'mailboxes', 'network', 'credentials']) {
    await go(`/users/${apiUserId}/${tab}`);
    await expectShownAsText(SHORT);
  }
  await page.getByRole('button', { name: 'Add secret' }).click();
  const add = page.getByRole('dialog', { name: 'Add a secret' });
  await textbox(add, 'Label').fill(SHORT);
  await add.getByRole('button', { name: 'Create secret' }).click();
  await expect(page.getByRole('dialog', { name: /New secret/ })).toBeVisible();
  await page.getByRole('dialog', { name: /New secret/ }).getByRole('button', { name: 'I have stored the secret' }).click();
  await expect(page.getByRole('row', { name: new RegExp(SHORT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) })).toContainText('live');
  await expectInert();
  await go(`/users/${apiUserId}/activity`);
  await expect(page.locator('.mantine-datatable')).toContainText('secret');
  await expectInert();
});

test('a person with a payload name; the users table and its search', async () => {
  await go('/users/new-person');
  await textbox(page, 'Name').fill(PERSON);
  await textbox(page, 'Initial password').fill('a perfectly long password');
  await page.getByRole('button', { name: 'Create person' }).click();
  await expectShownAsText(`${PERSON} can now log in.`);
  await go('/users');
  await expectShownAsText(PERSON);
  await expectShownAsText(SHORT);
  await textbox(page, 'Search').fill(PAYLOAD);
  // The payload is the API user's description, so the search finds that one user, shown as text. (This
  // expected "No user matches these filters" and passed only because the table keeps its empty state in
  // the page, transparent, which Playwright counts as visible; EmptyState now hides it for real.)
  await expect(tableRows(page)).toHaveCount(1);
  await expect(tableRows(page).first()).toContainText(SHORT);
  await expectInert();
});

test('the log: rows, the detail drawer and the search field', async () => {
  await go('/log');
  await expectShownAsText(SHORT);
  await page.getByRole('button', { name: /^Details of event/ }).first().click();
  const drawer = page.getByRole('dialog', { name: /Event #/ });
  await expect(drawer).toBeVisible();
  await expectInert();
  await page.keyboard.press('Escape');
  await textbox(page, 'Search').fill(PAYLOAD);
  // Done by takes at most 64 characters; the short payload keeps the filters valid, so the search runs.
  // It is an autocomplete now (suggesting users, whose payload names must show as text too).
  await combobox(page, 'Done by').fill(SHORT);
  await expect(page.getByText('No event matches these filters')).toBeVisible();
  // No event row (each starts with its time); the table keeps one empty row for its layout.
  await expect(tableRows(page).filter({ hasText: /\d{4}-\d{2}-\d{2}/ })).toHaveCount(0);
  await screenshot(page, '30-payload-log');
  await expectInert();
  guards.assertClean();
});
