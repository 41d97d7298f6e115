import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

/** Debian's Chromium where it is installed (these machines); Playwright's own browser elsewhere. */
const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const executablePath = existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined;

export default defineConfig({
  testDir: 'test/e2e',
  // Each spec file starts its own Keyrack (fresh data folder, free port), so files run side by side.
  fullyParallel: false,
  workers: 2,
  retries: 0,
  forbidOnly: true,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  globalSetup: './test/e2e/support/global-setup.ts',
  projects: [
    // What `npm test` runs: the journeys, bad input, the HTML payload, the Electron app where it exists.
    // Each project has its own output folder: Playwright empties it when a run starts, and the two are run
    // at the same time by different people in this shared tree.
    { name: 'journeys', testMatch: '**/*.spec.ts', testIgnore: '**/*-at-scale.spec.ts', outputDir: 'test-results/playwright-journeys' },
    // Specs on stores seeded with a year of log (minutes to seed the first time): run on their own with
    // `npx playwright test --project=scale`, never inside `npm test`.
    { name: 'scale', testMatch: '**/*-at-scale.spec.ts', outputDir: 'test-results/playwright-scale' },
  ],
  use: {
    ...devices['Desktop Chrome'],
    viewport: { width: 1280, height: 860 },
    colorScheme: 'light',
    // The app speaks the system's language (renderer/i18n/language.ts); the journeys find elements by their
    // English names, so their browser is English whatever the machine's locale. german.spec.ts asks for de-DE.
    locale: 'en-US',
    actionTimeout: 15_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    },
  },
});
