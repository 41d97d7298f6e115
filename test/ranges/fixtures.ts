import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The providers' real files as published on 2025-07-25, kept beside the repository (never copied into it). */
export const FIXTURES_URL = new URL('../../../shared/fixtures/cloud-ranges/', import.meta.url);
export const fixturePath = (name: string) => fileURLToPath(new URL(name, FIXTURES_URL));
export const fixtureText = (name: string) => readFileSync(fixturePath(name), 'utf8');

export const FIXTURE = {
  aws: 'aws-ip-ranges.json',
  google: 'google-cloud-ip-ranges.json',
  azure: 'microsoft-azure-ip-ranges.json',
  cloudflareV4: 'cloudflare-v4-ip-ranges.txt',
  cloudflareV6: 'cloudflare-v6-ip-ranges.txt',
  digitalOcean: 'digitalocean.csv',
} as const;
