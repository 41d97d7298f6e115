import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openCore } from '../../electron/core.js';
import type { Actor } from '../../electron/services/context.js';
import { ARCHIVE_FOLDER } from '../../electron/services/log-archive.js';
import { expectFieldError } from './support/fields.js';
import { ADMIN, BridgeClient, startKeyrack, type Keyrack } from './support/keyrack.js';
import { navTo, textbox } from './support/mantine.js';
import { guardPage, screenshot, type PageGuards } from './support/page-guards.js';
import { parseInputOf } from '../../shared/contract.js';

/**
 * Log retention from the Log page: the period is shown and changed with the shared schema's limits, bad
 * input saves nothing, a saved period survives a reload, and "Archive and prune now" on a store with
 * events from long ago writes an archive and leaves a "log.pruned" event at the top of the log.
 */
test.describe.configure({ mode: 'serial' });

const DAY = 86_400_000;
/** Events this old are written before the app starts: the administrator's setup and two API users. */
const LONG_AGO_DAYS = 400;
const OLD_API_USERS = ['Old CRM sync', 'Old newsletter'];

let keyrack: Keyrack;
let page: Page;
let guards: PageGuards;
let oldEvents = 0;
const behind = { client: null as unknown as BridgeClient };

/** The store as an office that has used Keyrack for over a year would have it, written through the core. */
async function storeFromLongAgo(dataDir: string): Promise<void> {
  let now = Date.now() - LONG_AGO_DAYS * DAY;
  const core = openCore({ dataDir, clock: { now: () => now } });
  try {
    const session = await core.auth.setup(ADMIN);
    const admin: Actor = { kind: 'person', userId: session.userId, name: session.name };
    for (const name of OLD_API_USERS) {
      now += DAY;
      await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name }));
    }
    oldEvents = (core.db.prepare('SELECT count(*) AS n FROM audit_events').get() as { n: number }).n;
  } finally {
    core.close();
  }
}

test.beforeAll(async ({ browser }) => {
  keyrack = await startKeyrack({ prepare: storeFromLongAgo });
  behind.client = new BridgeClient(keyrack.url);
  await behind.client.call('auth.login', ADMIN);
  page = await (await browser.newContext()).newPage();
  guards = guardPage(page);
});

test.afterAll(async () => {
  await page?.context().close();
  await keyrack?.stop();
});

const retentionOf = () => behind.client.call<{ keepDays: number | null }>('log.retention');
const days = () => textbox(page, 'Days to keep');
const save = () => page.getByRole('button', { name: 'Save period' });

test('the Log page leads to retention: keep everything by default, where archives go, nothing to prune', async () => {
  await page.goto(keyrack.url);
  await textbox(page, 'Name').fill(ADMIN.name);
  await page.getByLabel(/^Password/).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await navTo(page, 'Log');
  await page.getByRole('link', { name: 'Retention' }).click();
  await expect(page.getByRole('heading', { name: 'Log retention' })).toBeVisible();
  await expect(page).toHaveURL(/#\/log\/retention$/);

  await expect(page.getByTestId('retention-current')).toHaveText('Now: Keep everything');
  await expect(page.getByRole('radio', { name: 'Keep everything' })).toBeChecked();
  await expect(page.getByTestId('retention-due')).toHaveText('The log keeps everything, so there is nothing to prune.');
  await expect(page.getByTestId('retention-archive-folder')).toHaveText(join(keyrack.dataDir, ARCHIVE_FOLDER));
  await expect(page.getByTestId('retention-last-prune')).toHaveText('No prune has removed events yet.');
  await expect(page.getByRole('button', { name: 'Archive and prune now' })).toBeDisabled();
  await expect(save()).toBeDisabled();
  await screenshot(page, 'retention-01-default');
});

test('bad periods show at the field and save nothing', async () => {
  await page.getByRole('radio', { name: 'Keep for a number of days' }).check();
  // Switching offers a year, and explains what a period does before anything is saved.
  await expect(days()).toHaveValue('365');
  await expect(page.getByTestId('retention-explanation')).toContainText('Saving alone removes nothing');

  await days().fill('0');
  await save().click();
  await expectFieldError(days(), 'Keep at least one day');
  await days().fill('36501');
  await save().click();
  await expectFieldError(days(), 'At most 36 500 days');
  await days().fill('');
  await save().click();
  await expectFieldError(days(), 'Days must be a whole number');
  expect(await retentionOf()).toMatchObject({ keepDays: null });
});

test('a saved period is confirmed, survives a reload, and says how many events it would prune', async () => {
  await days().fill('30');
  await expect(page.getByTestId('retention-explanation')).toContainText('Events older than 30 days');
  await save().click();
  await expect(page.getByText('Retention saved')).toBeVisible();
  expect(await retentionOf()).toMatchObject({ keepDays: 30 });

  await page.reload();
  await expect(page.getByTestId('retention-current')).toHaveText('Now: 30 days');
  await expect(page.getByRole('radio', { name: 'Keep for a number of days' })).toBeChecked();
  await expect(days()).toHaveValue('30');
  // Only the events written long ago are older than 30 days: the setup and the two API users.
  const older = `${oldEvents.toLocaleString('en-US')} events are older than 30 days`;
  await expect(page.getByTestId('retention-due')).toContainText(older);
  await screenshot(page, 'retention-02-period');

  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await screenshot(page, 'retention-03-period-dark');
  await page.emulateMedia({ colorScheme: 'light' });
});

test('archive and prune now: confirmed with the count, archived, removed, and logged', async () => {
  await page.getByRole('button', { name: 'Archive and prune now' }).click();
  const dialog = page.getByRole('dialog', { name: 'Archive and prune the log now?' });
  await expect(dialog).toContainText(`${oldEvents} events from before`);
  await expect(dialog).toContainText(join(keyrack.dataDir, ARCHIVE_FOLDER));
  await screenshot(page, 'retention-04-confirm');
  await dialog.getByRole('button', { name: 'Archive and prune' }).click();

  await expect(page.getByText(`${oldEvents} events archived to audit-`)).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('retention-last-prune')).toContainText(`${oldEvents} events (#1–#${oldEvents}) archived to audit-1-${oldEvents}-`);
  await expect(page.getByTestId('retention-due')).toContainText('No event is older than 30 days');
  await expect(page.getByRole('button', { name: 'Archive and prune now' })).toBeDisabled();
  await screenshot(page, 'retention-05-pruned', { notifications: true });

  const folder = join(keyrack.dataDir, ARCHIVE_FOLDER);
  expect(existsSync(folder)).toBe(true);
  expect(readdirSync(folder).filter((name) => name.startsWith(`audit-1-${oldEvents}-`) && name.endsWith('.jsonl.gz'))).toHaveLength(1);

  // The log now starts after the archived events, with the prune at the top.
  await page.getByRole('link', { name: 'Back to the log' }).click();
  await expect(page.getByRole('heading', { name: 'Log', exact: true })).toBeVisible();
  const rows = page.getByRole('table').last().locator('tbody tr');
  await expect(rows.filter({ hasText: 'Old events archived' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'First administrator created' })).toHaveCount(0);
  // What stayed still verifies: the chain now starts at the archive's last event.
  expect(await behind.client.call('log.verify')).toMatchObject({ ok: true, anchorId: oldEvents });
  guards.assertClean();
});
