import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { ADMIN, BridgeClient, startKeyrack, type Keyrack } from './support/keyrack.js';
import { tableRows, textbox } from './support/mantine.js';
import { guardPage, screenshot, SCREENSHOT_DIR, type PageGuards } from './support/page-guards.js';

/**
 * Issue 13, "the administrator's first hour", items 8 and 9: a changed form is not dropped without a word,
 * the New API user form's buttons stay in view, the Users table shows every cell whole and acts on a
 * selection of users, and empty lists say what to do next. English first, then the same screens in German.
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
  page = await loggedIn(browser, 'en-US');
  guards = guardPage(page);
});

test.afterAll(async () => {
  await page?.context().close();
  await keyrack?.stop();
});

async function loggedIn(browser: Browser, locale: string): Promise<Page> {
  const fresh = await (await browser.newContext({ locale, viewport: { width: 1280, height: 800 } })).newPage();
  await fresh.goto(keyrack.url);
  await textbox(fresh, locale.startsWith('de') ? 'Name' : 'Name').fill(ADMIN.name);
  await fresh.getByRole('textbox', { name: locale.startsWith('de') ? 'Passwort' : 'Password', exact: true }).fill(ADMIN.password);
  await fresh.getByRole('button', { name: locale.startsWith('de') ? 'Anmelden' : 'Log in' }).click();
  await expect(fresh.getByTestId('account-menu')).toBeVisible();
  return fresh;
}

const nav = (p: Page, label: string) => p.getByRole('navigation', { name: /Main|Hauptnavigation/ }).getByRole('link', { name: label, exact: true });

/**
 * The texts of the Users table drawn narrower than they are (an ellipsis, a clipped badge, a header cut):
 * none may be. Page code as a string: the test project compiles without the DOM's types.
 */
const CUT_SHORT_CELLS = `[...document.querySelectorAll('.mantine-datatable tbody td :is(.mantine-Badge-label, a, p, span), .mantine-datatable thead th, .mantine-datatable thead th *')]
  .filter((el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflow !== 'visible')
  .map((el) => el.textContent)`;
const cutShortCells = (p: Page): Promise<string[]> => p.evaluate(CUT_SHORT_CELLS);

/** The same for the choices of a segmented control (the first secret's expiry: "On a date…" was cut to "On a da…"). */
const CUT_SHORT_CHOICES = `[...document.querySelectorAll('.mantine-SegmentedControl-label')]
  .filter((el) => el.scrollWidth > el.clientWidth + 1)
  .map((el) => el.textContent)`;
const cutShortChoices = (p: Page): Promise<string[]> => p.evaluate(CUT_SHORT_CHOICES);

test('empty lists say what to do next: no API users yet, a filter that matches nothing, a catalogue without an API of yours', async () => {
  await page.goto(`${keyrack.url}#/users`);
  const hint = page.getByTestId('no-api-users');
  await expect(hint.getByText('No API users yet')).toBeVisible();
  await expect(hint.getByRole('button', { name: 'Create the first API user' })).toBeVisible();
  await screenshot(page, 'lists-01-users-no-api-users');

  await textbox(page, 'Search').fill('nobody by this name');
  await expect(page.getByText('No user matches these filters')).toBeVisible();
  await screenshot(page, 'lists-02-users-no-match');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(textbox(page, 'Search')).toHaveValue('');
  await expect(tableRows(page).filter({ hasText: ADMIN.name })).toHaveCount(1);

  await nav(page, 'Rights catalogue').click();
  const first = page.getByTestId('no-own-resources');
  await expect(first.getByText('Describe your first API').first()).toBeVisible();
  await first.getByRole('button', { name: 'Describe your first API' }).click();
  await expect(page.getByRole('dialog', { name: 'Add a resource' })).toBeVisible();
  await screenshot(page, 'lists-03-rights-first-api');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

  await page.goto(`${keyrack.url}#/users`);
  await page.getByTestId('no-api-users').getByRole('button', { name: 'Create the first API user' }).click();
  await expect(page.getByRole('heading', { name: 'New API user' })).toBeVisible();
  guards.assertClean();
});

test('a changed form asks before the page is left: stay keeps the edits, leave discards them; unchanged or saved asks nothing', async () => {
  // From the list, so the entry before the form in the history is another page (for Back, below).
  await nav(page, 'Users').click();
  await page.getByRole('button', { name: 'New API user' }).click();
  const name = textbox(page, 'Name');
  await name.fill('crm-sync');
  await nav(page, 'Groups').click();
  const question = page.getByRole('dialog', { name: 'Leave without saving?' });
  await expect(question).toBeVisible();
  await screenshot(page, 'forms-01-leave-question');
  await question.getByRole('button', { name: 'Stay and keep editing' }).click();
  await expect(question).toBeHidden();
  await expect(page.getByRole('heading', { name: 'New API user' })).toBeVisible();
  await expect(name).toHaveValue('crm-sync');

  // Back in the browser asks too, and staying keeps the address of the form.
  await page.goBack();
  await expect(question).toBeVisible();
  await question.getByRole('button', { name: 'Stay and keep editing' }).click();
  expect(page.url()).toContain('#/users/new-api');
  await expect(name).toHaveValue('crm-sync');

  await nav(page, 'Groups').click();
  await question.getByRole('button', { name: 'Leave and discard changes' }).click();
  await expect(page.getByRole('heading', { name: 'Groups', exact: true })).toBeVisible();

  // Nothing changed (or a change typed and taken back): no question.
  await page.goto(`${keyrack.url}#/users/new-api`);
  await textbox(page, 'Name').fill('x');
  await textbox(page, 'Name').fill('');
  await nav(page, 'Groups').click();
  await expect(page.getByRole('heading', { name: 'Groups', exact: true })).toBeVisible();
  await expect(question).toBeHidden();

  // A successful save: the new person's page opens without a question.
  await page.goto(`${keyrack.url}#/users/new-person`);
  await textbox(page, 'Name').fill('bob');
  await page.getByRole('textbox', { name: 'Initial password', exact: true }).fill('bob has a long password 1');
  await page.getByRole('button', { name: 'Create person' }).click();
  await expect(page.getByRole('heading', { name: /bob/ })).toBeVisible();
  await expect(question).toBeHidden();

  // The profile tab: switching tabs with an unsaved change asks; after Save it does not.
  await textbox(page, 'Email').fill('bob@example.org');
  await page.getByRole('tab', { name: 'Activity' }).click();
  await expect(question).toBeVisible();
  await question.getByRole('button', { name: 'Stay and keep editing' }).click();
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByText('Profile saved.')).toBeVisible();
  await page.getByRole('tab', { name: 'Activity' }).click();
  await expect(question).toBeHidden();
  await expect(page).toHaveURL(/\/activity$/);
  guards.assertClean();
});

test('a dialog holding a changed form asks before Escape, a click beside it or its × closes it; unchanged, it just closes', async () => {
  await page.goto(`${keyrack.url}#/mailboxes`);
  await page.getByRole('button', { name: 'New mailbox' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New mailbox' });
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden(); // nothing typed: nothing to lose, nothing asked

  await page.getByRole('button', { name: 'New mailbox' }).first().click();
  await textbox(dialog, 'Address').fill('office@example.com');
  const question = page.getByRole('dialog', { name: 'Close without saving?' });
  await page.keyboard.press('Escape');
  await expect(question).toBeVisible();
  await screenshot(page, 'forms-03-close-question');
  // Escape on the question means "stay", as on the page's question: a second slip loses nothing either.
  await page.keyboard.press('Escape');
  await expect(question).toBeHidden();
  await expect(textbox(dialog, 'Address')).toHaveValue('office@example.com');

  await page.waitForTimeout(300); // the question's overlay fades out first, and would take the click
  await page.mouse.click(5, 400); // beside the dialog
  await expect(question).toBeVisible();
  await question.getByRole('button', { name: 'Stay and keep editing' }).click();
  await expect(textbox(dialog, 'Address')).toHaveValue('office@example.com');

  await page.keyboard.press('Escape');
  await question.getByRole('button', { name: 'Close and discard changes' }).click();
  await expect(question).toBeHidden();
  await expect(dialog).toBeHidden();

  // A mailbox's drawer holds its form too: the same question before Escape drops a changed name.
  await seed.call('mailboxes.create', { address: 'drawer@example.com', displayName: 'Front desk' });
  await page.reload();
  await page.getByText('drawer@example.com').first().click();
  const drawer = page.getByRole('dialog', { name: 'drawer@example.com' });
  await textbox(drawer, 'Display name').fill('Reception');
  await page.keyboard.press('Escape');
  await expect(question).toBeVisible();
  await question.getByRole('button', { name: 'Stay and keep editing' }).click();
  await expect(textbox(drawer, 'Display name')).toHaveValue('Reception');
  await page.keyboard.press('Escape');
  await question.getByRole('button', { name: 'Close and discard changes' }).click();
  await expect(drawer).toBeHidden();
  guards.assertClean();
});

test('closing the window with a changed form asks the browser’s own question', async ({ browser }) => {
  const other = await loggedIn(browser, 'en-US');
  await other.goto(`${keyrack.url}#/groups/new`);
  await textbox(other, 'Name').fill('Accounting');
  const asked = new Promise<string>((resolve) => other.once('dialog', (dialog) => {
    resolve(dialog.type());
    void dialog.accept();
  }));
  await other.close({ runBeforeUnload: true });
  expect(await asked).toBe('beforeunload');
  await other.context().close();
});

for (const viewport of [
  { width: 1440, height: 900 },
  { width: 1024, height: 768 },
]) {
  test(`the New API user form's Create button is in view without scrolling at ${viewport.width}×${viewport.height}, and covers no field`, async () => {
    await page.setViewportSize(viewport);
    // A fresh load: the page the last test scrolled keeps its scroll position across a same-document move.
    await page.goto(`${keyrack.url}#/users/new-api`);
    await page.reload();
    const create = page.getByRole('button', { name: 'Create API user' });
    await expect(create).toBeInViewport();
    await expect(textbox(page, 'Name')).toBeFocused();
    expect(await cutShortChoices(page)).toEqual([]);
    expect(await page.evaluate('window.scrollY')).toBe(0); // opened at the top, nothing scrolled for it
    // What the window shows (not the full page): the point is what is in view.
    await page.screenshot({ path: `${SCREENSHOT_DIR}/forms-02-new-api-user-${viewport.width}.png`, animations: 'disabled' });
    // Scrolled to the end, the bar sits after the last field instead of over it.
    await page.evaluate('window.scrollTo(0, document.body.scrollHeight)');
    const bar = await page.getByTestId('form-actions').boundingBox();
    const last = await page.getByText('First secret expires').boundingBox();
    expect(bar && last && last.y + last.height <= bar.y).toBe(true);
    await expect(create).toBeInViewport();
    await page.setViewportSize({ width: 1280, height: 800 });
  });
}

test('bulk disable of two users: confirmed first, the refused one listed, the other disabled and the list refreshed', async () => {
  await page.goto(`${keyrack.url}#/users`);
  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 1024, height: 768 },
  ]) {
    await page.setViewportSize(viewport);
    await expect(tableRows(page)).toHaveCount(2);
    expect(await cutShortCells(page)).toEqual([]);
  }
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.getByRole('checkbox', { name: `Select ${ADMIN.name}` }).check();
  await page.getByRole('checkbox', { name: 'Select bob' }).check();
  const bar = page.getByTestId('bulk-bar');
  await expect(bar.getByText('2 users selected')).toBeVisible();
  await bar.getByRole('button', { name: 'Disable' }).click();
  const confirm = page.getByRole('dialog', { name: 'Disable 2 users?' });
  await expect(confirm).toContainText(`${ADMIN.name}, bob`);
  await screenshot(page, 'lists-04-bulk-disable-confirm');
  await confirm.getByRole('button', { name: 'Disable' }).click();

  const failures = page.getByTestId('bulk-failures');
  await expect(failures).toContainText('1 user was not disabled');
  await expect(failures).toContainText(`${ADMIN.name}:`);
  await expect(tableRows(page).filter({ hasText: 'bob' })).toContainText('Disabled');
  await expect(tableRows(page).filter({ hasText: ADMIN.name })).toContainText('Active');
  await expect(bar).toBeHidden(); // the selection is spent
  await screenshot(page, 'lists-05-bulk-disable-result');

  // Each call was the single-user channel, logged as one: bob's disabling and alice's refusal.
  const log = await seed.call<{ rows: { type: string; outcome: string; targetName: string | null }[] }>('log.search', { limit: 20 });
  expect(log.rows.filter((r) => r.type === 'user.disabled').map((r) => [r.targetName, r.outcome])).toEqual(
    expect.arrayContaining([['bob', 'success']]),
  );

  // Enable it again from the same bar.
  await page.getByRole('checkbox', { name: 'Select bob' }).check();
  await page.getByTestId('bulk-bar').getByRole('button', { name: 'Enable' }).click();
  await expect(tableRows(page).filter({ hasText: 'bob' })).toContainText('Active');
  guards.assertClean();
});

test('the selection exported as CSV for a spreadsheet; the sorted column says how it is sorted', async () => {
  await page.goto(`${keyrack.url}#/users`);
  await expect(tableRows(page)).toHaveCount(2);
  // A sortable header is a button (mantine-datatable) whose name says how the table is sorted by it.
  const nameHeader = page.getByRole('button', { name: 'Name Sorted ascending' });
  await expect(nameHeader).toBeVisible();
  await nameHeader.click();
  await expect(page.getByRole('button', { name: 'Name Sorted descending' })).toBeVisible();
  await expect(tableRows(page).first()).toContainText('bob');
  await page.getByRole('button', { name: 'Created Not sorted' }).click();
  // Another column keeps the direction (the library's rule): newest first now.
  await expect(page.getByRole('button', { name: 'Created Sorted descending' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Name Not sorted' })).toBeVisible();

  await page.getByRole('checkbox', { name: 'Select bob' }).check();
  await page.getByRole('checkbox', { name: `Select ${ADMIN.name}` }).check();
  await page.getByTestId('bulk-bar').getByRole('button', { name: 'Export as CSV…' }).click();
  await expect(page.getByText('2 users exported')).toBeVisible();
  const files = readdirSync(keyrack.saveDir).filter((name) => name.startsWith('keyrack-users-'));
  expect(files).toHaveLength(1);
  const lines = readFileSync(join(keyrack.saveDir, files[0]!), 'utf8').split('\r\n');
  expect(lines[0]).toBe('\uFEFFname,kind,email,client_id,status,expired,expires_at,groups,mailboxes,allowlist,token_lifetime_seconds,next_secret_expiry,last_used_at,last_used_ip,created_at,created_by');
  expect(lines.slice(1, 3).map((l) => l.split(',')[0])).toEqual([ADMIN.name, 'bob']);
  await screenshot(page, 'lists-06-users-exported');
  await page.getByTestId('bulk-bar').getByRole('button', { name: 'Clear selection' }).click();
  guards.assertClean();
});

test('the same screens in German: no cell cut short, the question, the bulk bar and the empty states', async ({ browser }) => {
  const de = await loggedIn(browser, 'de-DE');
  const deGuards = guardPage(de);
  await de.goto(`${keyrack.url}#/users`);
  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 1024, height: 768 },
  ]) {
    await de.setViewportSize(viewport);
    await expect(tableRows(de)).toHaveCount(2);
    expect(await cutShortCells(de)).toEqual([]);
    await screenshot(de, `de-lists-users-${viewport.width}`);
  }
  // The sort state in the headers' names is German too (the library's own words are English).
  await expect(de.getByRole('button', { name: 'Name Aufsteigend sortiert' })).toBeVisible();
  await expect(de.getByRole('button', { name: 'Angelegt Nicht sortiert' })).toBeVisible();
  await de.getByRole('checkbox', { name: 'bob auswählen' }).check();
  await expect(de.getByTestId('bulk-bar').getByText('1 Benutzer ausgewählt')).toBeVisible();
  await expect(de.getByTestId('bulk-bar').getByRole('button', { name: 'Als CSV exportieren …' })).toBeVisible();
  await de.getByTestId('bulk-bar').getByRole('button', { name: 'Deaktivieren' }).click();
  await expect(de.getByRole('dialog', { name: '1 Benutzer deaktivieren?' })).toBeVisible();
  await screenshot(de, 'de-lists-bulk-confirm');
  await de.getByRole('dialog').getByRole('button', { name: 'Abbrechen' }).click();

  await de.getByRole('textbox', { name: 'Suche', exact: true }).fill('niemand');
  await expect(de.getByText('Kein Benutzer passt zu diesen Filtern')).toBeVisible();
  await expect(de.getByRole('button', { name: 'Filter zurücksetzen' })).toBeVisible();
  await screenshot(de, 'de-lists-users-no-match');

  await nav(de, 'Rechtekatalog').click();
  await expect(de.getByRole('button', { name: 'Erste API beschreiben' })).toBeVisible();
  await screenshot(de, 'de-lists-rights-first-api');

  await de.goto(`${keyrack.url}#/users/new-api`);
  await expect(de.getByRole('button', { name: 'API-Benutzer anlegen' })).toBeInViewport();
  // At 1024×768 (the loop above ends there), every expiry choice whole: "An einem Tag …" was cut.
  await expect(de.getByTestId('secret-expiry-preset')).toBeVisible();
  expect(await cutShortChoices(de)).toEqual([]);
  await de.getByRole('textbox', { name: 'Name', exact: true }).fill('crm-sync');
  await nav(de, 'Gruppen').click();
  const question = de.getByRole('dialog', { name: 'Seite ohne Speichern verlassen?' });
  await expect(question).toBeVisible();
  await screenshot(de, 'de-forms-leave-question');
  await question.getByRole('button', { name: 'Verlassen und Änderungen verwerfen' }).click();
  await expect(de.getByRole('heading', { name: 'Gruppen', exact: true })).toBeVisible();
  deGuards.assertClean();
  await de.context().close();
});
