import { expect, test, type Page } from '@playwright/test';
import { openCore } from '../../electron/core.js';
import { ADMIN, BridgeClient, startKeyrack, type Keyrack } from './support/keyrack.js';
import { textbox } from './support/mantine.js';
import { guardPage, screenshot, type PageGuards } from './support/page-guards.js';

/**
 * The New API user form as an administrator meets it: Enter in a field never creates the API user (and so
 * never shows a secret mid-form), and the first secret expires in 90 days unless another choice is made,
 * with a warning when "Never" is chosen.
 */
test.describe.configure({ mode: 'serial' });

let keyrack: Keyrack;
let page: Page;
let guards: PageGuards;
let behind: BridgeClient;

test.beforeAll(async ({ browser }) => {
  keyrack = await startKeyrack({
    prepare: async (dataDir) => {
      const core = openCore({ dataDir });
      try {
        await core.auth.setup(ADMIN);
      } finally {
        core.close();
      }
    },
  });
  behind = new BridgeClient(keyrack.url);
  await behind.call('auth.login', ADMIN);
  page = await (await browser.newContext()).newPage();
  guards = guardPage(page);
  await page.goto(keyrack.url);
  await textbox(page, 'Name').fill(ADMIN.name);
  await page.getByLabel(/^Password/).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
});

test.afterAll(async () => {
  await page?.context().close();
  await keyrack?.stop();
});

const apiUsers = async () =>
  (await behind.call<{ rows: { name: string; kind: string }[] }>('users.list', { kind: 'api' })).rows.map((u) => u.name);

test('tabbing through the pickers leaves their lists closed (an open list covered the allowlist); the arrow key or a click opens them', async () => {
  // Before the form first loads the mailbox list (the first test of the file, so nothing is cached yet).
  await behind.call('mailboxes.create', { address: 'tabbing@example.com' });
  await page.goto(`${keyrack.url}#/users/new-api`);
  const groups = page.getByRole('combobox', { name: 'Groups', exact: true });
  const mailboxes = page.getByRole('combobox', { name: 'Mailboxes', exact: true });
  const option = page.getByRole('option', { name: /tabbing@example\.com/ });
  await textbox(page, 'Description').focus();
  await page.keyboard.press('Tab');
  await expect(groups).toBeFocused();
  await expect(groups).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('Tab');
  await expect(mailboxes).toBeFocused();
  await expect(mailboxes).toHaveAttribute('aria-expanded', 'false');
  await expect(option).toHaveCount(0);
  await expect(page.getByRole('combobox', { name: /IP allowlist/ })).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await expect(option).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(option).toHaveCount(0);
  await mailboxes.click();
  await expect(option).toBeVisible();
  await page.keyboard.press('Escape');
  guards.assertClean();
});

test('Enter in the name or the account expiry does not create the API user', async () => {
  await page.goto(`${keyrack.url}#/users/new-api`);
  await expect(page.getByRole('heading', { name: 'New API user' })).toBeVisible();
  await textbox(page, 'Name').fill('Enter test');
  await textbox(page, 'Name').press('Enter');
  await page.getByRole('textbox', { name: 'Account expires' }).fill('2030-01-31');
  await page.getByRole('textbox', { name: 'Account expires' }).press('Enter');
  await page.waitForTimeout(500);
  await expect(page.getByRole('heading', { name: 'New API user' })).toBeVisible();
  await expect(page.getByText('Client secret')).toHaveCount(0);
  expect(await apiUsers()).not.toContain('Enter test');
  guards.assertClean();
});

test('the first secret expires in 90 days by default; Never warns; the button creates it with that expiry', async () => {
  await page.goto(`${keyrack.url}#/users/new-api`);
  const presets = page.getByTestId('secret-expiry-preset');
  await expect(presets.getByRole('radio', { name: '90 days' })).toBeChecked();
  const in90 = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
  await expect(page.getByText(`Stops working at the end of ${in90}.`)).toBeVisible();
  await presets.getByText('Never').click();
  await expect(page.getByTestId('secret-expiry-never')).toContainText('If it leaks, it works until someone revokes it');
  await screenshot(page, 'new-api-user-never-warning');
  await presets.getByText('90 days').click();
  await expect(page.getByTestId('secret-expiry-never')).toHaveCount(0);
  await textbox(page, 'Name').fill('Ninety days');
  await page.getByRole('button', { name: 'Create API user' }).click();
  await expect(page.getByRole('heading', { name: 'API user Ninety days is ready' })).toBeVisible();
  const { rows } = await behind.call<{ rows: { name: string; nextSecretExpiry: number | null }[] }>('users.list', { kind: 'api' });
  const made = rows.find((u) => u.name === 'Ninety days')!;
  expect(new Date(made.nextSecretExpiry!).toISOString().slice(0, 10)).toBe(in90);
  guards.assertClean();
});

test("a disabled API user's live secrets are not shown as a green LIVE, but as on hold", async () => {
  const { rows } = await behind.call<{ rows: { id: number; name: string }[] }>('users.list', { kind: 'api' });
  const id = rows.find((u) => u.name === 'Ninety days')!.id;
  await page.goto(`${keyrack.url}#/users/${id}/credentials`);
  await expect(page.getByText('live', { exact: true })).toBeVisible();
  await behind.call('users.disable', { id });
  await page.reload();
  await expect(page.getByText('live · on hold')).toBeVisible();
  await expect(page.getByText('live', { exact: true })).toHaveCount(0);
  await screenshot(page, 'secrets-of-a-disabled-api-user');
  guards.assertClean();
});
