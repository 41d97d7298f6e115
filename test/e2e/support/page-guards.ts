import { expect, type Page } from '@playwright/test';

export interface PageGuards {
  /** Asserts no dialog opened and nothing was logged as an error (a CSP violation is one). */
  assertClean(): void;
}

/**
 * Watches a page for what must never happen: a JavaScript dialog (an injected alert() running), console
 * errors (CSP violations, React errors) and uncaught exceptions. Dialogs are dismissed so the page goes on.
 */
export function guardPage(page: Page): PageGuards {
  const problems: string[] = [];
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.type()} ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  return { assertClean: () => expect(problems).toEqual([]) };
}

export const SCREENSHOT_DIR = 'test-results/screenshots';

/** A full-page screenshot for reviewers, after animations settle and nothing is loading. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await expect(page.locator('[aria-label="Loading"], .mantine-Loader-root')).toHaveCount(0);
  await page.mouse.move(0, 0);
  await page.waitForTimeout(250); // let Mantine's transitions (notifications, modals) finish drawing
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png`, fullPage: true, animations: 'disabled' });
}
