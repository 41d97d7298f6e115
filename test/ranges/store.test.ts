import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseAllowlistEntry, type AllowlistEntry } from '../../shared/allowlist.js';
import { PROVIDERS } from '../../shared/domain.js';
import { createAllowlistChecker } from '../../electron/net/allowlist-checker.js';
import { RangesFormatError } from '../../electron/ranges/parsers/index.js';
import { mirrorSources } from '../../electron/ranges/sources.js';
import { ProviderRangesStore } from '../../electron/ranges/store.js';
import { tempDir } from '../support/core.js';
import { serveFixture, startFixtureServer, type FixtureServer } from './fixture-server.js';
import { FIXTURE, fixturePath } from './fixtures.js';

/** A loopback port nobody listens on: bind one, then close it. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const word = (w: string): AllowlistEntry[] => {
  const parsed = parseAllowlistEntry(w);
  if (!parsed.ok) throw new Error(parsed.message);
  return [parsed.value];
};

let server: FixtureServer;
const dirs: string[] = [];
let now = Date.UTC(2026, 0, 15, 9, 0, 0);

function openStore(dir = tempDir('keyrack-ranges-')): ProviderRangesStore {
  dirs.push(dir);
  return ProviderRangesStore.open(dir, { now: () => now, recheckMs: 0 });
}

beforeAll(async () => {
  server = await startFixtureServer();
});
afterEach(() => server.clearOverrides());
afterAll(async () => {
  await server.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('ProviderRangesStore without a snapshot', () => {
  it('says so for every provider, and provider words match nothing', () => {
    const store = openStore();
    const info = store.info();
    expect(info.map((i) => [i.provider, i.status, i.count])).toEqual(PROVIDERS.map((p) => [p, 'missing', 0]));
    expect(info[0]!.note).toBe('No snapshot yet: the word AWS matches no address until the ranges are updated or imported.');
    const checker = createAllowlistChecker(() => store.current());
    expect(checker.isAllowed(word('AWS'), '3.5.140.1')).toBe(false);
  });
});

describe('ProviderRangesStore.update', () => {
  it('downloads all five providers from a mirror, stores dated snapshots, and the words match', async () => {
    const dir = tempDir('keyrack-ranges-');
    const store = openStore(dir);
    const progress: string[] = [];
    const report = await store.update({
      sources: mirrorSources(server.baseUrl),
      timeoutMs: 10_000,
      onProgress: (e) => progress.push(`${e.provider}:${e.phase}`),
    });
    expect(report.ok).toBe(true);
    expect(report.results.map((r) => [r.provider, r.ok])).toEqual(PROVIDERS.map((p) => [p, true]));
    expect(progress.filter((p) => p.endsWith(':done')).sort()).toEqual(PROVIDERS.map((p) => `${p}:done`).sort());

    const info = Object.fromEntries(store.info().map((i) => [i.provider, i]));
    expect(info.AWS).toMatchObject({
      status: 'loaded', count: 5, ipv4Count: 3, ipv6Count: 2, publishedAt: '2025-07-24T20:23:14.000Z',
      publishedAtSource: 'file', version: '1753388594', fetchedAt: now, source: `${server.baseUrl}aws-ip-ranges.json`, note: null,
    });
    expect(info.GOOGLE).toMatchObject({ count: 4, publishedAt: '2025-07-24T19:16:28.780Z' });
    expect(info.AZURE).toMatchObject({ count: 6, version: '363' });
    expect(info.CLOUDFLARE).toMatchObject({ count: 7, ipv4Count: 4, ipv6Count: 3 });
    expect(info.CLOUDFLARE!.source).toBe(`${server.baseUrl}cloudflare-v4-ip-ranges.txt + ${server.baseUrl}cloudflare-v6-ip-ranges.txt`);
    expect(info.DIGITAL_OCEAN).toMatchObject({ count: 5, publishedAt: null });
    expect(info.DIGITAL_OCEAN!.note).toMatch(/publishes no date/);

    const checker = createAllowlistChecker(() => store.current());
    expect(checker.isAllowed(word('AWS'), '3.5.140.1')).toBe(true);
    expect(checker.isAllowed(word('AZURE'), '4.145.0.1')).toBe(true);
    expect(checker.isAllowed(word('GOOGLE'), '::ffff:34.35.1.1')).toBe(true);
    expect(checker.isAllowed(word('CLOUDFLARE'), '2606:4700::1111')).toBe(true);
    expect(checker.isAllowed(word('DIGITAL_OCEAN'), '2400:6180:0:d0::1')).toBe(true);
    expect(checker.isAllowed(word('CLOUDFLARE'), '3.5.140.1')).toBe(false);

    // Written atomically: the five snapshots and no temp files; a fresh store reads the same thing back.
    expect(readdirSync(join(dir, 'ranges')).sort()).toEqual(['aws.json', 'azure.json', 'cloudflare.json', 'digital_ocean.json', 'google.json']);
    expect(ProviderRangesStore.open(dir).info()).toEqual(store.info());
  });

  it('keeps the previous snapshot of a provider that fails, updates the others, and says which failed and why', async () => {
    const store = openStore();
    await store.update({ sources: mirrorSources(server.baseUrl) });
    const before = Object.fromEntries(store.info().map((i) => [i.provider, i]));
    now += 86_400_000;
    server.override('/aws-ip-ranges.json', (_req, res) => void res.writeHead(503, 'Service Unavailable').end('busy'));
    server.override('/google-cloud-ip-ranges.json', (_req, res) => void res.writeHead(200).end('{"syncToken": "1", "prefixes": [{"ipv4Prefix": "34.0.0.0/99"}]}'));
    server.override('/digitalocean.csv', (_req, res) => void res.writeHead(200).end('<html>maintenance</html>'));
    const report = await store.update({ sources: mirrorSources(server.baseUrl) });
    expect(report.ok).toBe(false);
    const byProvider = Object.fromEntries(report.results.map((r) => [r.provider, r]));
    expect(byProvider.AWS).toMatchObject({ ok: false, error: `${server.baseUrl}aws-ip-ranges.json: HTTP 503 Service Unavailable` });
    expect(byProvider.GOOGLE).toMatchObject({ ok: false, error: 'GOOGLE: prefixes: "34.0.0.0/99": the prefix length must be 0 to 32' });
    expect(byProvider.DIGITAL_OCEAN).toMatchObject({ ok: false, error: expect.stringMatching(/^DIGITAL_OCEAN: line 1: expected/) });
    expect(byProvider.AZURE!.ok).toBe(true);
    const after = Object.fromEntries(store.info().map((i) => [i.provider, i]));
    expect(after.AWS).toEqual(before.AWS);
    expect(after.GOOGLE).toEqual(before.GOOGLE);
    expect(after.DIGITAL_OCEAN).toEqual(before.DIGITAL_OCEAN);
    expect(after.AZURE!.fetchedAt).toBe(now);
    expect(byProvider.AWS!.ok === false && byProvider.AWS!.previous).toEqual(before.AWS);
    expect(createAllowlistChecker(() => store.current()).isAllowed(word('AWS'), '3.5.140.1')).toBe(true);
  });

  it('times out a provider that does not answer, without touching its snapshot', async () => {
    const store = openStore();
    server.override('/digitalocean.csv', () => {
      // never answers
    });
    const report = await store.update({ providers: ['DIGITAL_OCEAN'], sources: mirrorSources(server.baseUrl), timeoutMs: 300 });
    expect(report.results[0]).toMatchObject({ provider: 'DIGITAL_OCEAN', ok: false, error: `${server.baseUrl}digitalocean.csv: no answer within 0 s` });
    expect(store.infoOf('DIGITAL_OCEAN').status).toBe('missing');
  });

  it('refuses a file larger than the limit', async () => {
    const store = openStore();
    const report = await store.update({ providers: ['AZURE'], sources: mirrorSources(server.baseUrl), maxBytes: 500 }); // the test's Azure file is 930 bytes
    expect(report.results[0]).toMatchObject({ ok: false, error: expect.stringMatching(/more than the 500-byte limit/) });
    expect(store.infoOf('AZURE').status).toBe('missing');
  });

  it('an unreachable server is reported, not thrown', async () => {
    const store = openStore();
    const url = `http://127.0.0.1:${await closedPort()}/ip-ranges.json`;
    const report = await store.update({ providers: ['AWS'], sources: { AWS: { kind: 'files', urls: [url] } }, timeoutMs: 5000 });
    expect(report.results[0]).toMatchObject({ ok: false, error: `${url}: fetch failed (ECONNREFUSED)` });
  });

  it('finds this week’s Service Tags file on Azure’s download page and dates it from the file name', async () => {
    const store = openStore();
    const base = server.baseUrl;
    server.override('/details.aspx', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end(
        `<html><a href="${base}download/7/1/D/ServiceTags_Public_20250714.json">old</a>` +
        `<a href="${base}download/7/1/D/ServiceTags_Public_20250721.json">Download</a>` +
        `<a href="http://elsewhere.example/ServiceTags_Public_20991231.json">not https, other host</a></html>`,
      );
    });
    server.override('/download/7/1/D/ServiceTags_Public_20250721.json', serveFixture(FIXTURE.azure));
    const report = await store.update({ providers: ['AZURE'], sources: { AZURE: { kind: 'azure-page', url: `${base}details.aspx?id=56519` } } });
    expect(report.ok).toBe(true);
    expect(store.infoOf('AZURE')).toMatchObject({
      publishedAt: '2025-07-21T00:00:00.000Z', publishedAtSource: 'file name', source: `${base}download/7/1/D/ServiceTags_Public_20250721.json`, count: 6,
    });
  });

  it('says so when the Azure page has no link to the file', async () => {
    const store = openStore();
    server.override('/details.aspx', (_req, res) => void res.writeHead(200).end('<html>moved</html>'));
    const report = await store.update({ providers: ['AZURE'], sources: { AZURE: { kind: 'azure-page', url: `${server.baseUrl}details.aspx` } } });
    expect(report.results[0]).toMatchObject({ ok: false, error: `${server.baseUrl}details.aspx: no link to ServiceTags_Public_YYYYMMDD.json on the page` });
  });

  it('dates undated files from the server’s Last-Modified header', async () => {
    const store = openStore();
    const lastModified = { 'last-modified': 'Thu, 24 Jul 2025 10:00:00 GMT' };
    server.override('/cloudflare-v4-ip-ranges.txt', serveFixture(FIXTURE.cloudflareV4, lastModified));
    server.override('/cloudflare-v6-ip-ranges.txt', serveFixture(FIXTURE.cloudflareV6, { 'last-modified': 'Wed, 23 Jul 2025 10:00:00 GMT' }));
    await store.update({ providers: ['CLOUDFLARE'], sources: mirrorSources(server.baseUrl) });
    expect(store.infoOf('CLOUDFLARE')).toMatchObject({ publishedAt: '2025-07-24T10:00:00.000Z', publishedAtSource: 'Last-Modified', note: null });
  });
});

describe('ProviderRangesStore.importFile', () => {
  it('recognises the provider from the file and stores it with the import path as its source', () => {
    const store = openStore();
    const info = store.importFile(undefined, fixturePath(FIXTURE.aws));
    expect(info).toMatchObject({ provider: 'AWS', status: 'loaded', count: 5, fetchedAt: now, source: `file:${fixturePath(FIXTURE.aws)}` });
    expect(store.importFile(undefined, fixturePath(FIXTURE.digitalOcean)).provider).toBe('DIGITAL_OCEAN');
  });

  it('imports Cloudflare’s two lists as one snapshot', () => {
    const store = openStore();
    const info = store.importFile('CLOUDFLARE', [fixturePath(FIXTURE.cloudflareV4), fixturePath(FIXTURE.cloudflareV6)]);
    expect(info).toMatchObject({ count: 7, ipv4Count: 4, ipv6Count: 3 });
  });

  it('refuses a file of another format and keeps the old snapshot', () => {
    const store = openStore();
    store.importFile('GOOGLE', fixturePath(FIXTURE.google));
    const before = store.infoOf('GOOGLE');
    expect(() => store.importFile('GOOGLE', fixturePath(FIXTURE.digitalOcean))).toThrow(/GOOGLE: not valid JSON/);
    expect(() => store.importFile('GOOGLE', fixturePath(FIXTURE.aws))).toThrow(RangesFormatError);
    expect(store.infoOf('GOOGLE')).toEqual(before);
  });

  it('asks which provider when it cannot tell', () => {
    const dir = tempDir('keyrack-ranges-');
    const store = openStore(dir);
    const path = join(dir, 'ranges.txt');
    writeFileSync(path, '192.0.2.0/24\n');
    expect(() => store.importFile(undefined, path)).toThrow(/cannot tell which provider published ranges.txt; say which \(AWS, GOOGLE/);
    expect(() => store.importFile(undefined, [fixturePath(FIXTURE.aws), fixturePath(FIXTURE.google)])).toThrow(/different providers/);
    expect(store.importFile('CLOUDFLARE', path).count).toBe(1);
  });
});

describe('stored snapshots', () => {
  it('a damaged snapshot file is visible in info and matches nothing', () => {
    const dir = tempDir('keyrack-ranges-');
    const store = openStore(dir);
    store.importFile('AWS', fixturePath(FIXTURE.aws));
    writeFileSync(join(dir, 'ranges', 'aws.json'), '{"format":1,"provider":"AWS","prefi');
    const info = store.infoOf('AWS');
    expect(info.status).toBe('damaged');
    expect(info.note).toMatch(/damaged \(the snapshot file is not valid JSON\): the word AWS matches no address/);
    expect(createAllowlistChecker(() => store.current()).isAllowed(word('AWS'), '3.5.140.1')).toBe(false);
  });

  it('picks up a snapshot another process wrote (the CLI updating while the app serves)', () => {
    const dir = tempDir('keyrack-ranges-');
    const serving = openStore(dir);
    const first = serving.current();
    expect(first.providers.size).toBe(0);
    openStore(dir).importFile('CLOUDFLARE', [fixturePath(FIXTURE.cloudflareV4), fixturePath(FIXTURE.cloudflareV6)]);
    expect(serving.current().providers.has('CLOUDFLARE')).toBe(true);
    // Unchanged files: the same object, so nothing is recompiled.
    expect(serving.current()).toBe(serving.current());
    expect(existsSync(join(dir, 'ranges', 'cloudflare.json'))).toBe(true);
  });
});
