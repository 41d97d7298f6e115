import { expect, test } from '@playwright/test';
import { ADMIN, BridgeClient, startKeyrack, type Keyrack } from './support/keyrack.js';
import { textbox } from './support/mantine.js';
import { screenshot } from './support/page-guards.js';

/**
 * A page whose code cannot be loaded (the bridge restarted with a new build, a dropped connection): the
 * shell and its navigation stay, the page says what happened and offers a reload, and the reload works.
 * Before, React unmounted the whole app and the window went blank.
 */
let keyrack: Keyrack;
test.beforeAll(async () => {
  keyrack = await startKeyrack();
  await new BridgeClient(keyrack.url).call('auth.setup', ADMIN);
});
test.afterAll(async () => keyrack?.stop());

test('a page whose code fails to load says so inside the shell, and Reload brings it back', async ({ page }) => {
  const groupsChunk = '**/assets/GroupsPage-*.js';
  await page.route(groupsChunk, (route) => route.abort());
  const logIn = async () => {
    await textbox(page, 'Name').fill(ADMIN.name);
    await textbox(page, 'Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('heading', { name: 'Overview', exact: true })).toBeVisible();
  };
  await page.goto(keyrack.url);
  await logIn();

  await page.goto(`${keyrack.url}#/groups`);
  const alert = page.getByRole('alert').filter({ hasText: 'This page could not be shown' });
  await expect(alert).toBeVisible();
  await expect(page.getByRole('link', { name: 'Users' })).toBeVisible(); // the shell is still there
  await screenshot(page, 'page-load-failure');
  // Another page still works from the same shell.
  await page.getByRole('link', { name: 'Mailboxes' }).click();
  await expect(page.getByRole('heading', { name: 'Mailboxes', exact: true })).toBeVisible();

  await page.unroute(groupsChunk);
  await page.goto(`${keyrack.url}#/groups`);
  await expect(alert).toBeVisible(); // the browser keeps a failed import: only a reload fetches it again
  await alert.getByRole('button', { name: 'Reload' }).click();
  await expect(page.getByRole('heading', { name: 'Groups', exact: true })).toBeVisible();
  await expect(alert).toHaveCount(0);
});
