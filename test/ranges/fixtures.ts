import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The providers' range files in their own formats, small ones written for the tests (provider-files/: a few
 * ranges each, with the real files' dates, serials and edge cases: AWS lists a prefix under AMAZON and under
 * its service, Azure has tags other than AzureCloud, Cloudflare's files end without a newline). The suite
 * needs nothing beside the clone.
 */
const FIXTURES_URL = new URL('./provider-files/', import.meta.url);
export const fixturePath = (name: string) => fileURLToPath(new URL(name, FIXTURES_URL));
export const fixtureText = (name: string) => readFileSync(fixturePath(name), 'utf8');

/**
 * The providers' full files as published on 2025-07-25, kept beside the repository on our machines
 * (../shared/fixtures/cloud-ranges, never copied into it), or wherever KEYRACK_RANGES_FIXTURES points (as for
 * `npm run bench:allowlist`): for the optional full-file check and the benchmarks.
 */
export const FULL_FILES_DIR = process.env.KEYRACK_RANGES_FIXTURES ??
  fileURLToPath(new URL('../../../shared/fixtures/cloud-ranges/', import.meta.url));
export const fullFilesPresent = existsSync(FULL_FILES_DIR);
export const fullFileText = (name: string) => readFileSync(join(FULL_FILES_DIR, name), 'utf8');

export const FIXTURE = {
  aws: 'aws-ip-ranges.json',
  google: 'google-cloud-ip-ranges.json',
  azure: 'microsoft-azure-ip-ranges.json',
  cloudflareV4: 'cloudflare-v4-ip-ranges.txt',
  cloudflareV6: 'cloudflare-v6-ip-ranges.txt',
  digitalOcean: 'digitalocean.csv',
} as const;
