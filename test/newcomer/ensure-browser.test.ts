import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/core.js';

/**
 * scripts/ensure-browser.mjs, which `npm test` runs before the browser journeys: it finds a Chromium or gets
 * one, and when neither works it stops with one line saying what to install.
 */
const SCRIPT = fileURLToPath(new URL('../../scripts/ensure-browser.mjs', import.meta.url));
const noBrowsers = tempDir('keyrack-no-browsers-');
afterAll(() => rmSync(noBrowsers, { recursive: true, force: true }));

const run = (env: Record<string, string>) =>
  spawnSync(process.execPath, [SCRIPT], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });

describe('finding a browser for the journeys', () => {
  it('takes the system Chromium when it is there', () => {
    const found = run({ KEYRACK_SYSTEM_CHROMIUM: process.execPath });
    expect(found.status).toBe(0);
    expect(found.stdout).toBe(`browser journeys: ${process.execPath}\n`);
  });

  it('with no system Chromium, no Playwright browser and no download, stops with one line saying what to install', () => {
    const missing = run({
      KEYRACK_SYSTEM_CHROMIUM: '/nonexistent/chromium',
      PLAYWRIGHT_BROWSERS_PATH: noBrowsers, // an empty browser folder: nothing installed
      PLAYWRIGHT_DOWNLOAD_HOST: 'http://127.0.0.1:9', // a closed loopback port: the install fails at once
    });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('running "playwright install chromium"'); // it did try to get one
    const last = missing.stderr.trimEnd().split('\n').at(-1);
    expect(last).toBe(
      'No browser for the browser journeys: install Debian\'s Chromium (apt-get install chromium) or run ' +
        '"npx playwright install chromium" where the internet is reachable, then npm test again.',
    );
  }, 90_000);
});
