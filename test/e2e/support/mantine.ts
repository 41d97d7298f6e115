import { expect, type Locator, type Page } from '@playwright/test';

type Scope = Page | Locator;

/**
 * Mantine's Select and MultiSelect render an input with role combobox and a listbox labelled by the same
 * label, so `getByLabel` finds two elements; these helpers address the input by its role and name.
 */
export function combobox(scope: Scope, label: string): Locator {
  return scope.getByRole('combobox', { name: label, exact: true });
}

/** Opens a Select or MultiSelect, picks each option by its visible name, and closes the dropdown. */
export async function choose(scope: Scope, label: string, ...options: (string | RegExp)[]): Promise<void> {
  const page = pageOf(scope);
  const input = combobox(scope, label);
  for (const option of options) {
    await input.click();
    await page.getByRole('option', { name: option, exact: typeof option === 'string' }).click();
  }
  // A MultiSelect stays open after a pick; a Select closes itself, and an Escape then would close the
  // modal the Select sits in.
  if ((await input.getAttribute('aria-expanded')) === 'true') await input.press('Escape');
}

/** A text input, textarea or password input by its label. The required asterisk is not part of the name. */
export function textbox(scope: Scope, label: string): Locator {
  return scope.getByRole('textbox', { name: label, exact: true });
}

function pageOf(scope: Scope): Page {
  return 'page' in scope && typeof scope.page === 'function' ? scope.page() : (scope as Page);
}

/** Follows a link of the main navigation (by exact name: "Log" is part of "Rights catalogue"). */
export async function navTo(page: Page, label: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).click();
}

/**
 * The body rows of the page's mantine-datatable. Rows are filtered by their text rather than found by
 * their accessible name: a cell's button with an aria-label ("Details of event 12") replaces the visible
 * words in that name.
 */
export function tableRows(scope: Scope): Locator {
  return scope.locator('.mantine-datatable tbody tr');
}

/** Opens the app at `url` and logs in as `who`, until the Overview shows. */
export async function logIn(page: Page, url: string, who: { name: string; password: string }): Promise<void> {
  await page.goto(url);
  await textbox(page, 'Name').fill(who.name);
  await textbox(page, 'Password').fill(who.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Overview', exact: true })).toBeVisible();
}
