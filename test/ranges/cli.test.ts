import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { keyrack } from '../support/cli.js';
import { tempDir } from '../support/core.js';
import { startFixtureServer, type FixtureServer } from './fixture-server.js';
import { FIXTURE, fixturePath } from './fixtures.js';

let server: FixtureServer;
let data: string;

beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  data = tempDir('keyrack-cli-ranges-');
  expect((await keyrack(data, ['init', '--name', 'alice', '--password-stdin'], 'correct horse battery\n')).code).toBe(0);
});
afterEach(() => {
  rmSync(data, { recursive: true, force: true });
  server.clearOverrides();
});

describe('keyrack ranges', () => {
  it('show says there is no snapshot yet and what that means', async () => {
    const run = await keyrack(data, ['ranges', 'show']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^PROVIDER\s+STATUS\s+PUBLISHED\s+FETCHED\s+PREFIXES\s+SOURCE$/m);
    expect(run.stdout).toMatch(/^AWS\s+missing\s+-\s+-\s+-\s+-$/m);
    expect(run.stdout).toContain('AWS: No snapshot yet: the word AWS matches no address');
  });

  it('update prints a progress line per provider, then show has the dates', async () => {
    const run = await keyrack(data, ['ranges', 'update', '--mirror', server.baseUrl]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const provider of ['AWS', 'GOOGLE', 'AZURE', 'CLOUDFLARE', 'DIGITAL_OCEAN']) {
      expect(run.stdout).toMatch(new RegExp(`^${provider}\\s+downloading ${server.baseUrl}`, 'm'));
      expect(run.stdout).toMatch(new RegExp(`^${provider}\\s+updated: \\d+ prefixes`, 'm'));
    }
    expect(run.stdout).toMatch(/^AWS\s+updated: 5 prefixes \(3 IPv4, 2 IPv6\), published 2025-07-24 20:23Z, fetched /m);

    const shown = await keyrack(data, ['ranges', 'show', '--json']);
    const info = JSON.parse(shown.stdout) as { provider: string; status: string; publishedAt: string | null }[];
    expect(info.map((i) => [i.provider, i.status])).toEqual([
      ['AWS', 'loaded'], ['GOOGLE', 'loaded'], ['AZURE', 'loaded'], ['CLOUDFLARE', 'loaded'], ['DIGITAL_OCEAN', 'loaded'],
    ]);
    expect((await keyrack(data, ['ranges', 'show'])).stdout).toMatch(/^GOOGLE\s+loaded\s+2025-07-24 19:16Z\s+\S+ \S+\s+4 \(3 v4, 1 v6\)/m);
  });

  it('update exits 1 and names the provider that failed, keeping its snapshot', async () => {
    server.override('/google-cloud-ip-ranges.json', (_req, res) => void res.writeHead(500).end());
    const run = await keyrack(data, ['ranges', 'update', '--mirror', server.baseUrl, '--provider', 'google', '--provider', 'cloudflare']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^GOOGLE\s+FAILED: http:\/\/127\.0\.0\.1:\d+\/google-cloud-ip-ranges\.json: HTTP 500 Internal Server Error; still no snapshot: the word matches nothing$/m);
    expect(run.stdout).toMatch(/^CLOUDFLARE\s+updated: 7 prefixes/m);
    expect(run.stdout).not.toMatch(/^AWS/m);
    expect(run.stderr).toBe('error: not updated: GOOGLE (their previous snapshots are kept)\n');
  });

  it('update --json keeps stdout one JSON document', async () => {
    const run = await keyrack(data, ['ranges', 'update', '--mirror', server.baseUrl, '--provider', 'DIGITAL_OCEAN', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, results: [{ provider: 'DIGITAL_OCEAN', ok: true, info: { count: 5 } }] });
    expect(run.stderr).toMatch(/^DIGITAL_OCEAN\s+updated/m);
  });

  it('import recognises the file, or takes --provider', async () => {
    const aws = await keyrack(data, ['ranges', 'import', fixturePath(FIXTURE.aws)]);
    expect(aws).toMatchObject({ code: 0, stdout: expect.stringMatching(/^AWS: 5 prefixes/) });
    const cf = await keyrack(data, ['ranges', 'import', '--provider', 'CLOUDFLARE', fixturePath(FIXTURE.cloudflareV4), fixturePath(FIXTURE.cloudflareV6)]);
    expect(cf.stdout).toMatch(/^CLOUDFLARE: 7 prefixes \(4 IPv4, 3 IPv6\), no publication date/);
    const wrong = await keyrack(data, ['ranges', 'import', '--provider', 'AZURE', fixturePath(FIXTURE.digitalOcean)]);
    expect(wrong).toMatchObject({ code: 2, stderr: expect.stringMatching(/^error: paths: AZURE: not valid JSON/) });
    const log = await keyrack(data, ['log', '--type', 'ranges.updated', '--json']);
    expect((JSON.parse(log.stdout) as { outcome: string }[]).map((e) => e.outcome)).toEqual(['failure', 'success', 'success']);
  });

  it('refuses unknown provider words and bad mirrors as usage errors', async () => {
    expect(await keyrack(data, ['ranges', 'update', '--provider', 'ibm'])).toMatchObject({
      code: 2, stderr: 'error: --provider: "ibm" is not one of AWS, GOOGLE, AZURE, CLOUDFLARE, DIGITAL_OCEAN\n',
    });
    expect((await keyrack(data, ['ranges', 'update', '--mirror', 'ftp://x'])).code).toBe(2);
    expect((await keyrack(data, ['ranges', 'update', '--timeout', '0'])).code).toBe(2);
  });
});
