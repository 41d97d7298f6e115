import { expect, type Page } from '@playwright/test';

export interface PageGuards {
  /** Asserts no dialog opened, no request failed and nothing was logged as an error (a CSP violation is one). */
  assertClean(): void;
  /** What went wrong so far, for tests that look at one kind of problem. */
  readonly problems: readonly string[];
}

/**
 * Watches a page for what must never happen: a JavaScript dialog (an injected alert() running), console
 * errors (CSP violations, React errors), uncaught exceptions and failed requests for the app's own files.
 * Dialogs are dismissed so the page goes on.
 */
export function guardPage(page: Page): PageGuards {
  const problems: string[] = [];
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.type()} ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    // A failed request is reported below with its URL, which says more than the console line.
    if (text.startsWith('Failed to load resource')) return;
    problems.push(`console error: ${text}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.request().method()} ${response.url()}`);
  });
  return { assertClean: () => expect(problems).toEqual([]), problems };
}

export const SCREENSHOT_DIR = 'test-results/screenshots';

/**
 * A full-page screenshot for reviewers, after animations settle and nothing is loading. Notifications are
 * left out unless asked for: they come and go with timing, and would cover the page they sit on.
 */
export async function screenshot(page: Page, name: string, options: { notifications?: boolean } = {}): Promise<void> {
  await expect(page.locator('[aria-label="Loading"], .mantine-Loader-root')).toHaveCount(0);
  await page.mouse.move(0, 0);
  await page.waitForTimeout(250); // let Mantine's transitions (notifications, modals) finish drawing
  await page.screenshot({
    path: `${SCREENSHOT_DIR}/${name}.png`,
    fullPage: true,
    animations: 'disabled',
    ...(options.notifications ? {} : { style: '.mantine-Notifications-root { visibility: hidden; }' }),
  });
}
