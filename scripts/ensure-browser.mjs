// Finds or gets the Chromium the browser journeys run in, before `playwright test` starts, so that a newcomer
// without one sees one line saying what to install instead of every journey failing on its own.
//
// In order: Debian's Chromium (what playwright.config.ts uses when it is there), a browser Playwright has
// installed already, `playwright install chromium` (works wherever the internet is reachable), and when that
// fails too: one line on stderr and exit code 1.
//
// KEYRACK_SYSTEM_CHROMIUM overrides where Debian's Chromium is looked for (tests point it at nothing).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const SYSTEM_CHROMIUM = process.env.KEYRACK_SYSTEM_CHROMIUM ?? '/usr/bin/chromium';
const HINT =
  'No browser for the browser journeys: install Debian\'s Chromium (apt-get install chromium) or run ' +
  '"npx playwright install chromium" where the internet is reachable, then npm test again.';

/** Whether Playwright's own Chromium starts (headless, as the journeys use it). */
async function playwrightChromiumStarts() {
  try {
    const browser = await chromium.launch({ args: ['--no-sandbox', '--disable-gpu'], timeout: 30_000 });
    await browser.close();
    return true;
  } catch {
    return false;
  }
}

function installPlaywrightChromium() {
  // The CLI of the @playwright/test the journeys run with, so the browser revision is the one it expects.
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  console.error('browser journeys: no Chromium found; running "playwright install chromium"');
  const run = spawnSync(process.execPath, [cli, 'install', 'chromium'], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 600_000 });
  return run.status === 0;
}

if (existsSync(SYSTEM_CHROMIUM)) {
  console.log(`browser journeys: ${SYSTEM_CHROMIUM}`);
} else if (await playwrightChromiumStarts()) {
  console.log(`browser journeys: Playwright's Chromium (${chromium.executablePath()})`);
} else {
  const installed = installPlaywrightChromium();
  if (!installed || !(await playwrightChromiumStarts())) {
    console.error(HINT);
    process.exit(1);
  }
  console.log(`browser journeys: Playwright's Chromium, installed now (${chromium.executablePath()})`);
}
