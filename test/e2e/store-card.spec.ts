import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ADMIN, BridgeClient, startKeyrack, type Keyrack } from './support/keyrack.js';
import { logIn, navTo, textbox } from './support/mantine.js';
import { guardPage, screenshot, type PageGuards } from './support/page-guards.js';

/**
 * Issue 10's Store card on the Token server page: the store in use (the bridge's SQLite file, chosen by
 * default, its schema current), and a store URL refused on its field, in main's words, with nothing written
 * to the data folder. The card is also saved to /tmp/store-card.png for a look, and the page to
 * test-results/screenshots/store-card.png.
 */
test.describe.configure({ mode: 'serial' });

let keyrack: Keyrack;
let page: Page;
let guards: PageGuards;

test.beforeAll(async ({ browser }) => {
  keyrack = await startKeyrack();
  await new BridgeClient(keyrack.url).call('auth.setup', ADMIN);
  page = await browser.newPage();
  guards = guardPage(page);
  await logIn(page, keyrack.url, ADMIN);
});

test.afterAll(async () => {
  await page?.context().close();
  await keyrack?.stop();
});

test.afterEach(() => guards.assertClean());

const card = () => page.getByTestId('store-card');

test('the Store card names the SQLite file in use, what chose it, and its schema', async () => {
  await navTo(page, 'Token server');
  await expect(card().getByRole('heading', { name: 'Store', exact: true })).toBeVisible();
  await expect(card().getByTestId('store-engine')).toHaveText('SQLite');
  await expect(card().getByTestId('store-in-use')).toHaveText(join(keyrack.dataDir, 'keyrack.db'));
  await expect(card().getByTestId('store-chosen-by')).toHaveText('the default (nothing chosen)');
  await expect(card().getByTestId('store-schema')).toHaveText(/^\d+ \(current\)$/);
  await expect(card().getByTestId('store-restart')).toHaveCount(0);
  await expect(card().getByTestId('store-env-wins')).toHaveCount(0);
});

test('a malformed store URL is refused on its field, and nothing is written', async () => {
  await card().getByText('PostgreSQL database', { exact: true }).click();
  await expect(card().getByText('No password here: Keyrack takes it from PGPASSWORD or ~/.pgpass of the account that runs it.')).toBeVisible();
  const url = textbox(card(), 'Store URL');

  // Empty: the form's own check (the contract's schema).
  await card().getByRole('button', { name: 'Check and use' }).click();
  await expect(card().getByText('Store URL is required')).toBeVisible();

  // A password inside: main refuses it before connecting, and does not repeat it.
  await url.fill('postgres://keyrack:hunter2@db.office.lan/keyrack');
  await card().getByRole('button', { name: 'Check and use' }).click();
  await expect(url).toHaveAttribute('aria-invalid', 'true');
  await expect(card().getByText(/it contains a password; put the password in PGPASSWORD or ~\/\.pgpass instead/)).toBeVisible();
  await expect(card()).not.toContainText('hunter2@');

  await url.fill('keyrack on the database server');
  await card().getByRole('button', { name: 'Check and use' }).click();
  await expect(card().getByText('The store URL is not usable: it is not a URL. Expected postgres://user@host:port/database.')).toBeVisible();
  expect(existsSync(join(keyrack.dataDir, 'store.json'))).toBe(false);
  await expect(card().getByTestId('store-restart')).toHaveCount(0);

  await card().scrollIntoViewIfNeeded();
  await card().screenshot({ path: '/tmp/store-card.png', animations: 'disabled' });
  await screenshot(page, 'store-card');
});
