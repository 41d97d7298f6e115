import { expect, test, type Page } from '@playwright/test';
import { ADMIN, BridgeClient, startKeyrack, type Keyrack } from './support/keyrack.js';
import { tableRows, textbox } from './support/mantine.js';
import { guardPage, screenshot, type PageGuards } from './support/page-guards.js';

/**
 * Issue 13, "A newcomer's first hour": what a new administrator looks for in their first hour and could
 * not find. One browser session against a fresh Keyrack, in the order a newcomer meets these things.
 */
test.describe.configure({ mode: 'serial' });

let keyrack: Keyrack;
let page: Page;
let guards: PageGuards;
let seed: BridgeClient;
let bobId = 0;
const NEW_PASSWORD = 'a much better password 2';
const BOB_PASSWORD = 'bob gets a new one 3';

test.beforeAll(async ({ browser }) => {
  keyrack = await startKeyrack();
  seed = new BridgeClient(keyrack.url);
  await seed.call('auth.setup', ADMIN);
  bobId = (await seed.call<{ id: number }>('users.createPerson', { name: 'bob', password: 'bobs first password' })).id;
  page = await (await browser.newContext()).newPage();
  guards = guardPage(page);
});

test.afterAll(async () => {
  await page?.context().close();
  await keyrack?.stop();
});

async function logIn(name: string, password: string) {
  await textbox(page, 'Name').fill(name);
  await textbox(page, 'Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

async function accountMenu(item: string | RegExp) {
  await page.getByTestId('account-menu').click();
  await page.getByRole('menuitem', { name: item }).click();
}

test('change your own password from the account menu: the current one is asked, you stay logged in, your other sessions end', async () => {
  await page.goto(keyrack.url);
  await logIn(ADMIN.name, ADMIN.password);
  await expect(page.getByRole('heading', { name: 'Overview', exact: true })).toBeVisible();

  await accountMenu('Change password…');
  const dialog = page.getByRole('dialog', { name: 'Change your password' });
  await textbox(dialog, 'Current password').fill('not my password');
  await textbox(dialog, 'New password').fill(NEW_PASSWORD);
  await textbox(dialog, 'Repeat the new password').fill(NEW_PASSWORD);
  await dialog.getByRole('button', { name: 'Change password' }).click();
  await expect(dialog.getByText('The current password is wrong')).toBeVisible();
  await screenshot(page, 'first-hour-01-change-password');

  await textbox(dialog, 'Current password').fill(ADMIN.password);
  await dialog.getByRole('button', { name: 'Change password' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Your password is changed')).toBeVisible();
  // Still logged in: the next page loads without a login.
  await page.goto(`${keyrack.url}#/users`);
  await expect(page.getByRole('heading', { name: 'Users', exact: true })).toBeVisible();

  // Alice's other session (another browser) ended with the change; with the new password it is back.
  expect(await seed.errorOf('groups.list')).toBe('unauthenticated');
  await seed.call('auth.login', { name: ADMIN.name, password: NEW_PASSWORD });

  await accountMenu('Log out');
  await logIn(ADMIN.name, ADMIN.password);
  // The success notification is an alert too while it shows: look at the login form's own.
  await expect(page.getByRole('alert').filter({ hasText: 'Could not log in' })).toBeVisible();
  await textbox(page, 'Password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Users', exact: true })).toBeVisible();
});

test("reset another person's password from their page; the old one stops working and bob's session ends", async () => {
  const bobSession = new BridgeClient(keyrack.url);
  await bobSession.call('auth.login', { name: 'bob', password: 'bobs first password' });
  await page.goto(`${keyrack.url}#/users/${bobId}`);
  await expect(page.getByRole('heading', { name: /bob/ })).toBeVisible();
  await page.getByRole('button', { name: 'Reset password' }).click();
  const dialog = page.getByRole('dialog', { name: "Reset bob's password" });
  await textbox(dialog, 'New password').fill(BOB_PASSWORD);
  await textbox(dialog, 'Repeat the new password').fill(BOB_PASSWORD + 'x');
  await dialog.getByRole('button', { name: 'Set new password' }).click();
  await expect(dialog.getByText('The two passwords are not the same')).toBeVisible();
  await textbox(dialog, 'Repeat the new password').fill(BOB_PASSWORD);
  await screenshot(page, 'first-hour-02-reset-password');
  await dialog.getByRole('button', { name: 'Set new password' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText("bob's password is changed")).toBeVisible();

  const asBob = new BridgeClient(keyrack.url);
  expect(await asBob.errorOf('auth.login', { name: 'bob', password: 'bobs first password' })).toBe('unauthenticated');
  expect(await bobSession.errorOf('groups.list')).toBe('unauthenticated'); // logged in before the reset: ended
  expect(await asBob.errorOf('auth.login', { name: 'bob', password: BOB_PASSWORD })).toBeNull();
  // Your own page offers no reset: yours goes through the account menu, with the current password.
  await page.goto(`${keyrack.url}#/users/1`);
  await expect(page.getByRole('heading', { name: /alice/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Reset password' })).toHaveCount(0);
});

test('dark mode from the account menu, remembered after a reload, and back to following the system', async () => {
  const scheme = () => page.locator('html').getAttribute('data-mantine-color-scheme');
  expect(await scheme()).toBe('light'); // the browser says light
  await accountMenu('Dark');
  await expect.poll(scheme).toBe('dark');
  await page.reload();
  await expect(page.getByRole('heading', { name: /alice/ })).toBeVisible();
  await expect.poll(scheme).toBe('dark');
  await screenshot(page, 'first-hour-03-dark');
  await accountMenu('Follow the system');
  await expect.poll(scheme).toBe('light');
});

test('the Log filters by user: "Done by" and "Concerning" pickers, and everything about a user from their page', async () => {
  const crm = await seed.call<{ user: { id: number } }>('users.createApiUser', { name: 'CRM Sync', description: 'Nightly import' });
  await seed.call('users.update', { id: crm.user.id, description: 'Nightly import of addresses' });
  await page.goto(`${keyrack.url}#/log`);
  await expect(page.getByRole('heading', { name: 'Log', exact: true })).toBeVisible();

  // Done by: typed part of a name, picked from the suggestions (bob logged in during the reset test).
  const doneBy = page.getByRole('textbox', { name: 'Done by' }).or(page.getByRole('combobox', { name: 'Done by' }));
  await doneBy.fill('bo');
  await page.getByRole('option', { name: /^bob/ }).click();
  await expect(tableRows(page).first()).toContainText('bob');
  for (const row of await tableRows(page).all()) await expect(row.locator('td').nth(2)).toContainText('bob');
  await doneBy.fill('');

  // Concerning: found by its client id, which is not its name.
  const concerning = page.getByRole('textbox', { name: 'Concerning' }).or(page.getByRole('combobox', { name: 'Concerning' }));
  await concerning.click();
  await concerning.fill('keyrack-crm');
  await page.getByRole('option', { name: /CRM Sync/ }).click();
  await expect(tableRows(page)).toHaveCount(3); // created, its first secret, updated
  await expect(tableRows(page).first()).toContainText('CRM Sync');
  await screenshot(page, 'first-hour-05-log-concerning');

  // From the user's page: everything done by or concerning them, in one click.
  await page.goto(`${keyrack.url}#/users/${crm.user.id}`);
  await page.getByRole('link', { name: 'Everything in the log' }).click();
  await expect(page).toHaveURL(new RegExp(`about=${crm.user.id}`));
  await expect(page.getByLabel('Filters from the link')).toContainText('Done by or concerning CRM Sync');
  await expect(tableRows(page)).toHaveCount(3);
  await screenshot(page, 'first-hour-06-log-about-user');
});

test('the lock screen gives the right reason after "Lock now"', async () => {
  await accountMenu('Lock now');
  await expect(page.getByRole('heading', { name: 'Keyrack is locked' })).toBeVisible();
  await expect(page.getByText('You locked it.')).toBeVisible();
  await expect(page.getByText(/locked itself/)).toHaveCount(0);
  await screenshot(page, 'first-hour-04-locked');
  await textbox(page, 'Password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Log', exact: true })).toBeVisible();
  guards.assertClean();
});
