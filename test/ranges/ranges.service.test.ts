import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseInputOf } from '../../shared/contract.js';
import { ForbiddenError, ValidationError } from '../../shared/errors.js';
import { ProviderRangesStore } from '../../electron/ranges/store.js';
import { mirrorSources } from '../../electron/ranges/sources.js';
import { RangesService } from '../../electron/services/ranges.service.js';
import type { Actor } from '../../electron/services/context.js';
import { coreWithAdmin, type TestCore } from '../support/core.js';
import { startFixtureServer, type FixtureServer } from './fixture-server.js';
import { FIXTURE, fixturePath } from './fixtures.js';
import { rangesImportInput } from '../../shared/ranges.schemas.js';
import { parseInput } from '../../shared/validate.js';

let server: FixtureServer;
let core: TestCore;
let admin: Actor;
let ranges: RangesService;

beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());
afterEach(() => {
  core.cleanup();
  server.clearOverrides();
});

async function setup(): Promise<void> {
  ({ core, admin } = await coreWithAdmin());
  const store = ProviderRangesStore.open(core.dataDir, { now: () => core.clock.now() });
  ranges = new RangesService(core.deps, store, { sources: mirrorSources(server.baseUrl), timeoutMs: 10_000 });
}

const rangeEvents = async () => (await core.log.search(admin, { type: 'ranges.updated', limit: 50 })).rows;

describe('RangesService', () => {
  it('shows that no snapshot exists yet', async () => {
    await setup();
    expect((await ranges.info(admin)).every((i) => i.status === 'missing')).toBe(true);
    expect(() => parseInputOf('ranges.status', { extra: 1 })).toThrow(ValidationError);
  });

  it('updates online and records one audit event per provider, failures included', async () => {
    await setup();
    server.override('/digitalocean.csv', (_req, res) => void res.writeHead(404).end());
    const report = await ranges.update(admin, { providers: ['AWS', 'DIGITAL_OCEAN'] });
    expect(report.results.map((r) => [r.provider, r.ok])).toEqual([['AWS', true], ['DIGITAL_OCEAN', false]]);
    const events = await rangeEvents();
    expect(events.map((e) => [e.outcome, e.details?.provider])).toEqual(
      expect.arrayContaining([['success', 'AWS'], ['failure', 'DIGITAL_OCEAN']]),
    );
    expect(events.find((e) => e.outcome === 'success')).toMatchObject({
      actorName: 'alice',
      details: { provider: 'AWS', how: 'download', count: 5, publishedAt: '2025-07-24T20:23:14.000Z', version: '1753388594' },
    });
    expect(events.find((e) => e.outcome === 'failure')).toMatchObject({
      reason: 'download failed',
      details: { provider: 'DIGITAL_OCEAN', error: `${server.baseUrl}digitalocean.csv: HTTP 404 Not Found`, kept: 'missing' },
    });
  });

  it('imports a file, and refuses a wrong one with a field message and a failure event', async () => {
    await setup();
    const info = await ranges.import(admin, { paths: [fixturePath(FIXTURE.google)] });
    expect(info).toMatchObject({ provider: 'GOOGLE', count: 4 });
    const bad = join(core.dataDir, 'not-ranges.json');
    writeFileSync(bad, '{"hello": "world"}');
    await expect(async () => ranges.import(admin, { provider: 'AWS', paths: [bad] })).rejects.toThrow(
      expect.objectContaining({ code: 'validation', fields: { paths: 'AWS: expected ip-ranges.json with "prefixes" and "ipv6_prefixes" arrays' } }),
    );
    await expect(async () => ranges.import(admin, { paths: [join(core.dataDir, 'missing.json')] })).rejects.toThrow(/cannot read .*missing\.json: there is no such file/);
    await expect(async () => ranges.import(admin, parseInput(rangesImportInput, { provider: 'IBM', paths: [bad] }))).rejects.toThrow(/Provider must be one of/);
    const events = await rangeEvents();
    expect(events.map((e) => [e.outcome, e.reason])).toEqual([
      ['failure', 'import refused'],
      ['failure', 'import refused'],
      ['success', null],
    ]);
    expect(events[2]!.details).toMatchObject({ provider: 'GOOGLE', how: 'import', source: `file:${fixturePath(FIXTURE.google)}` });
  });

  it('requires permission to run the token server for update and import, and logs the refusal', async () => {
    await setup();
    const bob = await core.users.createPerson(admin, parseInputOf('users.createPerson', { name: 'bob', password: 'another long password' }));
    const asBob: Actor = { kind: 'person', userId: bob.id, name: 'bob' };
    expect(await ranges.info(asBob)).toHaveLength(5);
    const requestsBefore = server.requests.length;
    await expect(ranges.update(asBob, {})).rejects.toThrow(ForbiddenError);
    await expect(async () => ranges.import(asBob, { paths: [fixturePath(FIXTURE.aws)] })).rejects.toThrow(ForbiddenError);
    expect(server.requests.length).toBe(requestsBefore); // refused before any download
    expect((await ranges.info(admin)).find((i) => i.provider === 'AWS')!.status).toBe('missing');
    expect((await rangeEvents()).map((e) => [e.actorName, e.outcome, e.reason])).toEqual([
      ['bob', 'failure', 'forbidden'],
      ['bob', 'failure', 'forbidden'],
    ]);
  });
});
