import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ProviderRangesStore, snapshotInfoReader } from '../../electron/ranges/store.js';
import { snapshotPath } from '../../electron/ranges/snapshot-files.js';
import type { Actor } from '../../electron/services/context.js';
import { OverviewService } from '../../electron/services/overview.service.js';
import { parseInputOf } from '../../shared/contract.js';
import { ForbiddenError } from '../../shared/errors.js';
import { snapshotFreshness, STALE_AFTER_DAYS } from '../../shared/range-freshness.js';
import { describeEngines, type EngineCore } from '../support/engines.js';
import { powerlessPerson } from '../support/fixtures.js';
import { fixturePath, FIXTURE } from '../ranges/fixtures.js';

const DAY = 86_400_000;

describeEngines((engine) => {
  let core: EngineCore;
  let admin: Actor;
  let overview: OverviewService;
  /** Another store on the same data folder: the Token server page's, or the CLI's `keyrack ranges`. */
  let pageStore: ProviderRangesStore;
  const ids = { crm: 0, erp: 0, web: 0, off: 0 };

  /**
   * Issue 13 item 4: a provider word without a usable snapshot matched nothing, silently. The overview names
   * each such word with the active API users that use it. CRM and ERP allow AWS, ERP also GOOGLE, Web allows
   * CLOUDFLARE, Off allows AWS but is disabled; nobody names AZURE or DIGITAL_OCEAN.
   */
  beforeEach(async () => {
    ({ core, admin } = await engine.coreWithAdmin());
    overview = new OverviewService(core.deps, snapshotInfoReader(core.ranges));
    pageStore = ProviderRangesStore.open(core.dataDir, { now: () => core.clock.now() });
    const create = async (name: string, allowlist: string[]) =>
      (await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name, allowlist }))).user.id;
    ids.erp = await create('ERP', ['GOOGLE', 'aws']);
    ids.crm = await create('CRM', ['10.0.0.0/8', 'AWS']);
    ids.web = await create('Web', ['CLOUDFLARE']);
    ids.off = await create('Off', ['AWS']);
    await core.users.disable(admin, { id: ids.off });
  });
  afterEach(() => core.cleanup());

  const warnings = async () => (await overview.get(admin, parseInputOf('overview.get', {}))).providerWords;
  const summary = async () => (await warnings()).map((w) => [w.provider, w.freshness, w.users.map((u) => u.name)]);

  describe('overview.get: provider words without current ranges', async () => {
    test('no snapshots: every named word, with its active users by name; a disabled user and unnamed words are left out', async () => {
      expect(await summary()).toEqual([
        ['AWS', 'missing', ['CRM', 'ERP']],
        ['GOOGLE', 'missing', ['ERP']],
        ['CLOUDFLARE', 'missing', ['Web']],
      ]);
      expect((await warnings())[0]).toEqual({
        provider: 'AWS',
        freshness: 'missing',
        fetchedAt: null,
        users: [
          { userId: ids.crm, name: 'CRM' },
          { userId: ids.erp, name: 'ERP' },
        ],
      });
    });

    test('an import through another store shows at once; a month later it is stale, listed after the words that match nothing', async () => {
      const importedAt = core.clock.now();
      pageStore.importFile('AWS', fixturePath(FIXTURE.aws));
      expect((await summary()).map(([provider]) => provider)).toEqual(['GOOGLE', 'CLOUDFLARE']);

      core.clock.advance(STALE_AFTER_DAYS * DAY);
      expect((await summary()).map(([provider]) => provider)).toEqual(['GOOGLE', 'CLOUDFLARE']);
      core.clock.advance(1);
      expect(await summary()).toEqual([
        ['GOOGLE', 'missing', ['ERP']],
        ['CLOUDFLARE', 'missing', ['Web']],
        ['AWS', 'stale', ['CRM', 'ERP']],
      ]);
      expect((await warnings())[2]!.fetchedAt).toBe(importedAt);

      pageStore.importFile('AWS', fixturePath(FIXTURE.aws));
      expect((await summary()).map(([provider]) => provider)).toEqual(['GOOGLE', 'CLOUDFLARE']);
    });

    test('a damaged snapshot matches nothing and says so', async () => {
      pageStore.importFile('GOOGLE', fixturePath(FIXTURE.google));
      expect((await summary()).map(([provider]) => provider)).not.toContain('GOOGLE');
      writeFileSync(snapshotPath(core.dataDir, 'GOOGLE'), '{"format":1');
      expect(await summary()).toContainEqual(['GOOGLE', 'damaged', ['ERP']]);
    });

    test('follows the allowlists: a word taken out of the last list, or its user disabled, is no longer named', async () => {
      await core.users.setAllowlist(admin, parseInputOf('users.setAllowlist', { id: ids.web, entries: ['192.0.2.0/24'] }));
      await core.users.disable(admin, { id: ids.erp });
      expect(await summary()).toEqual([['AWS', 'missing', ['CRM']]]);
    });

    test('the overview needs permission to view the log, as before', async () => {
      const bob = await powerlessPerson(core, admin);
      await expect(async () => overview.get(bob, parseInputOf('overview.get', {}))).rejects.toThrow(ForbiddenError);
    });
  });

  describe('snapshotFreshness: one rule for the overview and the allowlist field', () => {
    const now = Date.UTC(2026, 11, 5);
    test.each([
      ['no snapshot', { status: 'missing', fetchedAt: null }, 'missing'],
      ['an unreadable one', { status: 'damaged', fetchedAt: null }, 'damaged'],
      ['fetched today', { status: 'loaded', fetchedAt: now }, 'current'],
      [`fetched ${STALE_AFTER_DAYS} days ago`, { status: 'loaded', fetchedAt: now - STALE_AFTER_DAYS * DAY }, 'current'],
      [`fetched ${STALE_AFTER_DAYS} days and a second ago`, { status: 'loaded', fetchedAt: now - STALE_AFTER_DAYS * DAY - 1000 }, 'stale'],
    ] as const)('%s: %s', (_what, info, expected) => {
      expect(snapshotFreshness(info, now)).toBe(expected);
    });
  });
});
