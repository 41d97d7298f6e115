import { expect, test, type Page } from '@playwright/test';
import { openCore } from '../../electron/core.js';
import type { Actor } from '../../electron/services/context.js';
import { severeViolations } from './support/axe.js';
import { ADMIN, startKeyrack, type Keyrack } from './support/keyrack.js';
import { textbox } from './support/mantine.js';
import { screenshot } from './support/page-guards.js';
import { parseInputOf } from '../../shared/contract.js';

/**
 * Every main screen through axe-core (WCAG 2.1 A and AA rules), in the light and the dark scheme: no serious
 * or critical violation. The store holds what an office has after its first hour (a catalogue, a group, a
 * mailbox, two API users, a log), so the tables, badges and tabs are filled, not empty states only.
 */
test.describe.configure({ mode: 'serial' });

let keyrack: Keyrack;
const seeded = { apiUserId: 0, groupId: 0 };

async function officeAfterFirstHour(dataDir: string): Promise<void> {
  const core = openCore({ dataDir });
  try {
    const session = await core.auth.setup(ADMIN);
    const admin: Actor = { kind: 'person', userId: session.userId, name: session.name };
    await core.rights.addResource(admin, parseInputOf('rights.addResource', { name: 'properties', actions: ['read', 'write'], filters: [{ name: 'published_only' }] }));
    const group = await core.groups.create(admin, parseInputOf('groups.create', { name: 'Integrations', rights: [{ resource: 'properties', action: 'read' }] }));
    const mailbox = await core.mailboxes.create(admin, { address: 'info@example.com', displayName: 'Info' });
    const crm = await core.users.createApiUser(admin, parseInputOf('users.createApiUser', {
      name: 'CRM Sync',
      groupIds: [group.id],
      mailboxIds: [mailbox.id],
      allowlist: ['192.168.1.0/24'],
    }));
    await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'Newsletter' }));
    await core.activations.create(admin, parseInputOf('activations.create', { name: 'CRM Cloud', groupIds: [group.id], requiresApproval: true }));
    seeded.apiUserId = crm.user.id;
    seeded.groupId = group.id;
  } finally {
    core.close();
  }
}

test.beforeAll(async () => {
  keyrack = await startKeyrack({ prepare: officeAfterFirstHour });
});

test.afterAll(async () => {
  await keyrack?.stop();
});

/** The screens, by hash path, each with a heading that says it has rendered. */
const SCREENS: [name: string, path: () => string, heading: string | RegExp][] = [
  ['overview', () => '#/overview', 'Overview'],
  ['users', () => '#/users', 'Users'],
  ['api-user', () => `#/users/${seeded.apiUserId}`, 'CRM Sync'],
  ['api-user-credentials', () => `#/users/${seeded.apiUserId}/credentials`, 'CRM Sync'],
  ['api-user-network', () => `#/users/${seeded.apiUserId}/network`, 'CRM Sync'],
  ['new-api-user', () => '#/users/new-api', 'New API user'],
  ['new-person', () => '#/users/new-person', 'New person'],
  ['activations', () => '#/users/activations', 'Activations'],
  ['groups', () => '#/groups', 'Groups'],
  ['group', () => `#/groups/${seeded.groupId}`, 'Integrations'],
  ['rights', () => '#/rights', 'Rights catalogue'],
  ['mailboxes', () => '#/mailboxes', 'Mailboxes'],
  ['log', () => '#/log', 'Log'],
  ['token-server', () => '#/server', 'Token server'],
];

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} scheme`, () => {
    let page: Page;

    test.beforeAll(async ({ browser }) => {
      page = await (await browser.newContext({ colorScheme })).newPage();
    });

    test.afterAll(async () => {
      await page?.context().close();
    });

    test('the login screen passes axe-core with no serious or critical violation', async () => {
      await page.goto(keyrack.url);
      await expect(page.getByRole('button', { name: 'Log in' })).toBeVisible();
      expect(await severeViolations(page)).toEqual([]);
      await textbox(page, 'Name').fill(ADMIN.name);
      await page.getByLabel(/^Password/).fill(ADMIN.password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
    });

    for (const [name, path, heading] of SCREENS) {
      test(`${name} passes axe-core with no serious or critical violation`, async () => {
        await page.goto(`${keyrack.url}${path()}`);
        await expect(page.getByRole('heading', { name: heading }).first()).toBeVisible();
        await screenshot(page, `a11y-${colorScheme}-${name}`);
        expect(await severeViolations(page)).toEqual([]);
      });
    }
  });
}
