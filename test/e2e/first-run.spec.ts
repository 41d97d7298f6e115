import { expect, test, type Page } from '@playwright/test';
import { ADMIN, BridgeClient, startKeyrack, type Keyrack } from './support/keyrack.js';
import { navTo, textbox } from './support/mantine.js';
import { guardPage, screenshot, type PageGuards } from './support/page-guards.js';

/**
 * Issue 13 item 2: a fresh Keyrack gives direction. The Overview has a checklist that ticks itself off
 * from what the store holds, and the empty lists say what to do next with the button that does it.
 */
test.describe.configure({ mode: 'serial' });

let keyrack: Keyrack;
let page: Page;
let guards: PageGuards;
let seed: BridgeClient;

test.beforeAll(async ({ browser }) => {
  keyrack = await startKeyrack();
  seed = new BridgeClient(keyrack.url);
  await seed.call('auth.setup', ADMIN);
  page = await (await browser.newContext()).newPage();
  guards = guardPage(page);
});

test.afterAll(async () => {
  await page?.context().close();
  await keyrack?.stop();
});

/** mantine-datatable keeps its empty-state box in the page, transparent, while rows show: only an active one counts. */
const emptyList = () => page.locator('.mantine-datatable-empty-state[data-active]');
const step = (name: string) => page.getByRole('listitem', { name: new RegExp(`^${name}: `) });

test('the Overview of a fresh Keyrack shows the five setup steps, none done, each with its link', async () => {
  await page.goto(keyrack.url);
  await textbox(page, 'Name').fill(ADMIN.name);
  await textbox(page, 'Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  const checklist = page.getByRole('region', { name: 'Setting up Keyrack' });
  await expect(checklist).toBeVisible();
  await expect(checklist).toContainText('0 of 5 done');
  for (const name of ['Describe your APIs', 'Make a group', 'Create the first API user', 'Hand over its credential file', 'Turn on LAN access']) {
    await expect(step(name)).toHaveAttribute('aria-label', `${name}: to do`);
  }
  await screenshot(page, 'first-run-01-checklist');
  await step('Describe your APIs').getByRole('link', { name: 'Open the rights catalogue' }).click();
  await expect(page.getByRole('heading', { name: 'Rights catalogue' })).toBeVisible();
});

test('Groups and New group point to the catalogue while it describes only Keyrack itself', async () => {
  await navTo(page, 'Groups');
  const hint = page.getByTestId('groups-hint');
  await expect(hint).toContainText('Only the built-in group so far');
  await screenshot(page, 'first-run-02-groups');
  await hint.getByRole('button', { name: 'Make the first group' }).click();
  await expect(page.getByRole('heading', { name: 'New group' })).toBeVisible();
  const none = page.getByTestId('no-resources');
  await expect(none).toContainText('Nothing of yours to grant yet');
  await screenshot(page, 'first-run-03-new-group');
  await none.getByRole('link', { name: 'Open the rights catalogue' }).click();
  await expect(page.getByRole('heading', { name: 'Rights catalogue' })).toBeVisible();
});

test('an empty Mailboxes list offers the first mailbox; a Log filtered to nothing offers to clear the filters', async () => {
  await navTo(page, 'Mailboxes');
  const empty = emptyList();
  await expect(empty).toContainText('No mailboxes yet');
  await screenshot(page, 'first-run-04-mailboxes');
  await empty.getByRole('button', { name: 'Add the first mailbox' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await page.keyboard.press('Escape');

  await page.goto(`${keyrack.url}#/log?type=token.issued`);
  const none = emptyList();
  await expect(none).toContainText('No event matches these filters');
  await screenshot(page, 'first-run-05-log-empty');
  await none.getByRole('button', { name: 'Clear filters' }).click();
  await expect(emptyList()).toHaveCount(0);
  await expect(page.getByText(/events? shown/)).toBeVisible();
});

test('the steps tick themselves off as the store fills, wherever they were done; all done, the checklist goes', async () => {
  await seed.call('rights.addResource', { name: 'addresses', actions: ['read', 'write'] });
  const group = await seed.call<{ id: number }>('groups.create', { name: 'CRM sync', rights: [{ resource: 'addresses', action: 'read' }] });
  await page.goto(`${keyrack.url}#/overview`);
  await expect(step('Describe your APIs')).toHaveAttribute('aria-label', 'Describe your APIs: done');
  await expect(step('Make a group')).toHaveAttribute('aria-label', 'Make a group: done');
  await expect(step('Create the first API user')).toHaveAttribute('aria-label', 'Create the first API user: to do');
  await expect(page.getByRole('region', { name: 'Setting up Keyrack' })).toContainText('2 of 5 done');
  await screenshot(page, 'first-run-06-two-done');

  const created = await seed.call<{ user: { id: number }; secret: string }>('users.createApiUser', { name: 'crm-sync', groupIds: [group.id] });
  await seed.call('credentials.export', { userId: created.user.id, secret: created.secret });
  await seed.call('server.updateSettings', { lanAccess: true });
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByRole('region', { name: 'Setting up Keyrack' })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Overview', exact: true })).toBeVisible();
  guards.assertClean();
});
