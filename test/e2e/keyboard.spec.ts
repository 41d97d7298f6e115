import { expect, test, type Page } from '@playwright/test';
import { ADMIN, BridgeClient, startKeyrack, type Keyrack } from './support/keyrack.js';
import { FOCUS_PROBE, type FocusStop, type FocusRing } from './support/focus.js';
import { textbox } from './support/mantine.js';
import { guardPage, SCREENSHOT_DIR, type PageGuards } from './support/page-guards.js';

/**
 * Issue 13, accessibility beyond axe (accessibility.spec.ts runs axe-core): the keyboard alone. One journey
 * in which the mouse is never used (log in, skip link, every page from the navigation, a form with a group
 * picked and an error tied to its field, a user's tabs, a confirm dialog, the Log's drawer, the account
 * menu's scheme and language), then every main screen walked with Tab in the light and the dark scheme,
 * each stop measured for a visible focus ring of 2 px or more and 3:1 against what is behind it.
 */
let keyrack: Keyrack;
const ids = { apiUser: 0, group: 0 };

test.beforeAll(async () => {
  keyrack = await startKeyrack();
  const seed = new BridgeClient(keyrack.url);
  await seed.call('auth.setup', ADMIN);
  await seed.call('rights.addResource', { name: 'properties', actions: ['read', 'write'], filters: [{ name: 'published_only' }] });
  ids.group = (await seed.call<{ id: number }>('groups.create', { name: 'Integrations', rights: [{ resource: 'properties', action: 'read' }] })).id;
  await seed.call('mailboxes.create', { address: 'info@example.com', displayName: 'Info' });
  ids.apiUser = (await seed.call<{ user: { id: number } }>('users.createApiUser', { name: 'CRM Sync', groupIds: [ids.group], allowlist: ['192.168.1.0/24'] })).user.id;
});

test.afterAll(async () => {
  await keyrack?.stop();
});

// ─── What has the focus ─────────────────────────────────────────────────────────────────────────────────

/** The focused element as a person using a screen reader would hear it, and where it sits. */
interface Focused {
  tag: string;
  role: string | null;
  /** Its accessible name, roughly: aria-label, aria-labelledby, its label, its text. */
  name: string;
  id: string;
  inDialog: boolean;
  inMain: boolean;
  inNav: boolean;
}

// A string, as the other specs evaluate: the test project has no DOM types.
const FOCUSED = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const text = (node) => (node?.textContent ?? '').replace(/\\s+/g, ' ').trim();
  const labelledBy = el.getAttribute('aria-labelledby');
  const name = el.getAttribute('aria-label')
    || (labelledBy ? labelledBy.split(/\\s+/).map((id) => text(document.getElementById(id))).join(' ') : '')
    || (el.labels && el.labels[0] ? text(el.labels[0]).replace(/\\s*\\*$/, '') : '')
    || text(el);
  return {
    tag: el.tagName.toLowerCase(),
    role: el.getAttribute('role'),
    name,
    id: el.id,
    inDialog: Boolean(el.closest('[role=dialog]')),
    inMain: Boolean(el.closest('main')),
    inNav: Boolean(el.closest('nav')),
  };
})()`;

const focused = (page: Page): Promise<Focused | null> => page.evaluate(FOCUSED) as Promise<Focused | null>;

/** Presses Tab (or Shift+Tab) until the focus is on an element whose name matches; fails after `max` presses. */
async function tabTo(page: Page, name: string | RegExp, options: { back?: boolean; max?: number; where?: (f: Focused) => boolean } = {}): Promise<Focused> {
  const matches = (f: Focused | null): boolean =>
    f !== null && (typeof name === 'string' ? f.name === name : name.test(f.name)) && (options.where?.(f) ?? true);
  const seen: string[] = [];
  for (let i = 0; i < (options.max ?? 80); i++) {
    await page.keyboard.press(options.back ? 'Shift+Tab' : 'Tab');
    const now = await focused(page);
    if (now !== null && matches(now)) return now;
    seen.push(now?.name ?? '(body)');
  }
  throw new Error(`Tab never reached ${String(name)}; it went through: ${seen.join(' | ')}`);
}

/** A screenshot as the page is, with the focus where it is (page-guards' helper moves the mouse, which closes menus). */
async function shot(page: Page, name: string): Promise<void> {
  await expect(page.locator('.mantine-Loader-root')).toHaveCount(0);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png`, animations: 'disabled' });
}

/**
 * Takes the focus back to the start of the page, as a fresh load would, without a click: blurs the focused
 * element and puts the selection at the top of the body, which is where Chromium then starts a Tab (after a
 * blur alone it starts from the element that had the focus).
 */
const focusStart = (page: Page) =>
  page.evaluate('document.activeElement instanceof HTMLElement && document.activeElement.blur(), getSelection().collapse(document.body, 0)');

// ─── The journey, keyboard only ─────────────────────────────────────────────────────────────────────────

test.describe('with the keyboard alone', () => {
  // One story: each step starts where the last one left the focus.
  test.describe.configure({ mode: 'serial' });
  let page: Page;
  let guards: PageGuards;

  test.beforeAll(async ({ browser }) => {
    page = await (await browser.newContext()).newPage();
    guards = guardPage(page);
  });

  test.afterAll(async () => {
    await page?.context().close();
  });

  test('log in: Tab to the fields, type, Enter', async () => {
    await page.goto(keyrack.url);
    await expect(page.getByRole('button', { name: 'Log in' })).toBeVisible();
    await tabTo(page, 'Name', { where: (f) => f.tag === 'input' });
    await page.keyboard.type(ADMIN.name);
    await tabTo(page, /^Password/, { where: (f) => f.tag === 'input' });
    // A wrong password first: the refusal is announced (role alert), not only shown.
    await page.keyboard.type('not the password');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('alert').filter({ hasText: /failed|wrong|not/i })).toBeVisible();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(ADMIN.password);
    await page.keyboard.press('Enter');
    // The first page after a login waits for argon2 and the overview's queries: slow on a loaded machine.
    await expect(page.getByRole('heading', { name: 'Overview', exact: true })).toBeVisible({ timeout: 30_000 });
    await expect(page).toHaveTitle('Overview · Keyrack');
  });

  test('the first Tab offers "Skip to main content", which moves the focus into the page', async () => {
    await focusStart(page);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'a', name: 'Skip to main content' });
    // Out of sight until focused, then on screen.
    const box = await page.getByRole('link', { name: 'Skip to main content' }).boundingBox();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    await shot(page, 'keyboard-skip-link');
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatchObject({ tag: 'main', id: 'main-content' });
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ inMain: true, inNav: false });
    // Landmarks: a banner, the main navigation, one main.
    await expect(page.getByRole('banner')).toHaveCount(1);
    await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(1);
    await expect(page.getByRole('main')).toHaveCount(1);
  });

  test('every page of the navigation opens with Enter, and names itself in the window title', async () => {
    for (const label of ['Users', 'Groups', 'Rights catalogue', 'Mailboxes', 'Log', 'Token server', 'Overview']) {
      await focusStart(page);
      await tabTo(page, label, { where: (f) => f.inNav && f.tag === 'a' });
      await page.keyboard.press('Enter');
      await expect(page.getByRole('heading', { level: 1, name: label, exact: true })).toBeVisible();
      await expect(page).toHaveTitle(`${label} · Keyrack`);
    }
  });

  test('create an API user: an empty name is refused at the field; a name and a group picked, Enter on the button creates it', async () => {
    await focusStart(page);
    await tabTo(page, 'Users', { where: (f) => f.inNav });
    await page.keyboard.press('Enter');
    await tabTo(page, 'New API user', { where: (f) => f.inMain });
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'New API user', exact: true })).toBeVisible();
    await expect(page).toHaveTitle('New API user · Keyrack');
    // The name field has the focus already.
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'input', name: 'Name' });

    // Submitted empty: the name field says why, tied to it (aria-invalid, aria-describedby).
    await tabTo(page, 'Create API user');
    await page.keyboard.press('Enter');
    const name = textbox(page, 'Name');
    await expect(name).toHaveAttribute('aria-invalid', 'true');
    const describedBy = (await name.getAttribute('aria-describedby')) ?? '';
    const messages = await Promise.all(describedBy.split(/\s+/).map((id) => page.locator(`[id="${id}"]`).textContent()));
    expect(messages.join(' ')).toMatch(/\S/);
    await expect(name).toHaveAccessibleDescription(/required|empty|least/i);

    await tabTo(page, 'Name', { back: true, where: (f) => f.tag === 'input' });
    await page.keyboard.type('Keyboard Sync');
    await tabTo(page, 'Groups', { where: (f) => f.tag === 'input' });
    await page.keyboard.type('Integ');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await expect(page.locator('.mantine-MultiSelect-pill', { hasText: 'Integrations' })).toBeVisible();
    await shot(page, 'keyboard-new-api-user');

    await tabTo(page, 'Create API user');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: /Keyboard Sync/ })).toBeVisible();
    await tabTo(page, 'I have stored the secret');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('tab', { name: 'Profile', selected: true })).toBeVisible();
    guards.assertClean();
  });

  test("a user's tabs: the arrow keys move between them and the focus stays on the tab", async () => {
    await tabTo(page, 'Profile', { where: (f) => f.role === 'tab' });
    await page.keyboard.press('ArrowRight');
    await expect(page).toHaveURL(/\/groups$/);
    await expect(page.getByRole('tab', { name: 'Groups and rights', selected: true })).toBeFocused();
    for (const tab of ['Mailboxes', 'Network', 'Credentials']) {
      await page.keyboard.press('ArrowRight');
      await expect(page.getByRole('tab', { name: tab, selected: true })).toBeFocused();
    }
    await expect(page).toHaveURL(/\/credentials$/);
  });

  test('a confirm dialog holds the focus while open and gives it back to its button when closed', async () => {
    const opener = await tabTo(page, 'Revoke', { where: (f) => f.inMain && f.tag === 'button' });
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: /Revoke the secret/ });
    await expect(dialog).toBeVisible();
    await expect.poll(async () => (await focused(page))?.inDialog).toBe(true);
    await shot(page, 'keyboard-confirm-dialog');
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press(i % 2 ? 'Shift+Tab' : 'Tab');
      expect((await focused(page))?.inDialog, `focus left the dialog after ${i + 1} presses`).toBe(true);
    }
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect.poll(() => focused(page)).toMatchObject({ name: opener.name, tag: 'button', inMain: true });
    // Nothing was revoked.
    await expect(page.getByText('live', { exact: true }).first()).toBeVisible();
  });

  test("the Log: a row's event opens its drawer with Enter; Escape closes it and the focus is back on that row", async () => {
    await page.goto(`${keyrack.url}#/log`);
    await expect(page.getByRole('heading', { name: 'Log', exact: true })).toBeVisible();
    // A real table: column headers a screen reader announces with each cell.
    const table = page.getByRole('table');
    await expect(table.getByRole('columnheader', { name: 'Event' })).toBeVisible();
    await expect(table.getByRole('columnheader', { name: 'Outcome' })).toBeVisible();

    await focusStart(page);
    const row = await tabTo(page, /^Details of event \d+$/, { max: 120 });
    await page.keyboard.press('Enter');
    const drawer = page.getByRole('dialog', { name: /^Event \d+|^Event/ });
    await expect(drawer).toBeVisible();
    await expect(page.getByTestId('log-detail')).toBeVisible();
    await expect.poll(async () => (await focused(page))?.inDialog).toBe(true);
    await page.keyboard.press('Escape');
    await expect(drawer).toBeHidden();
    await expect.poll(() => focused(page)).toMatchObject({ name: row.name });
  });

  test('the account menu: the arrow keys choose the dark scheme and German, and Escape closes it', async () => {
    await focusStart(page);
    await tabTo(page, 'Account menu');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('menu')).toBeVisible();
    // The dropdown takes the focus; the arrow keys walk its items.
    await expect.poll(async () => (await focused(page))?.inDialog ?? false).toBe(false);
    for (let i = 0; i < 20 && (await focused(page))?.name !== 'Dark'; i++) await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toMatchObject({ role: 'menuitem', name: 'Dark' });
    await shot(page, 'keyboard-account-menu');
    await page.keyboard.press('Enter');
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await expect(page.getByRole('menu')).toBeHidden();
    await expect.poll(async () => (await focused(page))?.name).toBe('Account menu');

    // Escape closes the menu and the focus is back on its button.
    await page.keyboard.press('Enter');
    await expect(page.getByRole('menu')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('menu')).toBeHidden();
    await expect.poll(async () => (await focused(page))?.name).toBe('Account menu');

    await page.keyboard.press('Enter');
    for (let i = 0; i < 20 && (await focused(page))?.name !== 'Deutsch'; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    await expect(page.getByRole('heading', { level: 1, name: 'Protokoll' })).toBeVisible();
    await expect(page).toHaveTitle('Protokoll · Keyrack');
    // The focus is back on the menu's button, now named in German; the skip link comes just before it.
    await expect.poll(async () => (await focused(page))?.name).toBe('Kontomenü');
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toMatchObject({ name: 'Zum Hauptinhalt springen' });
    await shot(page, 'keyboard-de-dark-skip-link');
    guards.assertClean();
  });
});

// ─── A visible focus on every stop ──────────────────────────────────────────────────────────────────────

/** The main screens, by hash path, with the heading that says each has rendered. */
const SCREENS: [name: string, path: () => string, heading: string][] = [
  ['overview', () => '/overview', 'Overview'],
  ['users', () => '/users', 'Users'],
  ['api-user', () => `/users/${ids.apiUser}`, 'CRM Sync'],
  ['api-user-credentials', () => `/users/${ids.apiUser}/credentials`, 'CRM Sync'],
  ['api-user-network', () => `/users/${ids.apiUser}/network`, 'CRM Sync'],
  ['new-api-user', () => '/users/new-api', 'New API user'],
  ['groups', () => '/groups', 'Groups'],
  ['group', () => `/groups/${ids.group}`, 'Integrations'],
  ['rights', () => '/rights', 'Rights catalogue'],
  ['mailboxes', () => '/mailboxes', 'Mailboxes'],
  ['log', () => '/log', 'Log'],
  ['token-server', () => '/server', 'Token server'],
];

/** At most this many Tab stops per screen (a long table has more; its rows are alike). */
const MAX_STOPS = 60;

/** WCAG 2.4.13: the indicator contrasts 3:1 with what is around it; 2.4.7: it is there at all. */
const MIN_CONTRAST = 3;

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`every focusable element shows its focus (${colorScheme})`, () => {
    let page: Page;

    test.beforeAll(async ({ browser }) => {
      page = await (await browser.newContext({ colorScheme })).newPage();
      await page.goto(keyrack.url);
      await textbox(page, 'Name').fill(ADMIN.name);
      await page.getByLabel(/^Password/).fill(ADMIN.password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await expect(page.getByRole('heading', { name: 'Overview', exact: true })).toBeVisible();
    });

    test.afterAll(async () => {
      await page?.context().close();
    });

    for (const [name, path, heading] of SCREENS) {
      test(`${name}: each Tab stop draws a ring of 2 px or more, ${MIN_CONTRAST}:1 against its background`, async () => {
        await page.goto(`${keyrack.url}#${path()}`);
        await expect(page.getByRole('heading', { level: 1, name: heading }).first()).toBeVisible();
        await expect(page.locator('.mantine-Loader-root')).toHaveCount(0);
        await page.evaluate(FOCUS_PROBE.install);
        await focusStart(page);
        const stops: FocusStop[] = [];
        for (let i = 0; i < MAX_STOPS; i++) {
          await page.keyboard.press('Tab');
          const stop = (await page.evaluate(FOCUS_PROBE.measure)) as FocusStop | null;
          if (stop === null) break; // back at the start: every stop seen
          stops.push(stop);
          if (i === 3) await shot(page, `focus-${colorScheme}-${name}`);
        }
        // Each one's own look without the focus, measured once the focus has moved on.
        await focusStart(page);
        const unfocused = (await page.evaluate(FOCUS_PROBE.unfocused)) as FocusRing[][];
        const failures = stops.flatMap((stop, i) => FOCUS_PROBE.judge(stop, unfocused[i]!, MIN_CONTRAST));
        expect(stops.length, 'no Tab stop on the screen').toBeGreaterThan(3);
        expect(failures).toEqual([]);
      });
    }
  });
}
