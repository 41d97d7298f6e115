import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { aesGcmKeyWrapper } from '../../electron/crypto/key-wrap.js';
import type { Actor } from '../../electron/services/context.js';
import { SigningKeysService } from '../../electron/services/signing-keys.service.js';
import { ForbiddenError } from '../../shared/errors.js';
import { describeEngines, type EngineCore } from '../support/engines.js';
import { powerlessPerson } from '../support/fixtures.js';

/**
 * Signing keys on the admin side (the first key, rotation, the list) on both engines: the list is newest
 * first with the active key first, also for keys created in one millisecond, where SQLite's rowid used to
 * break the tie and now what both engines have does (signing-keys.repo.ts).
 */
describeEngines((engine) => {
  let core: EngineCore;
  let admin: Actor;
  let keys: SigningKeysService;
  beforeEach(async () => {
    ({ core, admin } = await engine.coreWithAdmin());
    const wrapper = aesGcmKeyWrapper(randomBytes(32), 'test key');
    keys = new SigningKeysService(core.deps, () => wrapper);
  });
  afterEach(() => core.cleanup());

  test('the first key once, then rotations: newest first, one active key, each rotation logged', async () => {
    const first = await keys.ensureActive('ES256');
    expect((await keys.ensureActive('ES256')).kid).toBe(first.kid);
    core.clock.advance(1);
    const second = await keys.rotate(admin, {}, 'ES256');
    core.clock.advance(1);
    const third = await keys.rotate(admin, { alg: 'RS256' }, 'ES256');
    const list = await keys.list(admin);
    expect(list.map((k) => [k.kid, k.alg, k.active])).toEqual([
      [third.kid, 'RS256', true],
      [second.kid, 'ES256', false],
      [first.kid, 'ES256', false],
    ]);
    expect(list[1]!.retiredAt).toBe(core.clock.now());
    const rotated = await core.deps.store.all<{ reason: string }>("SELECT reason FROM audit_events WHERE type = 'keys.rotated' ORDER BY id");
    expect(rotated.map((e) => e.reason)).toEqual(['first_start', 'rotation', 'rotation']);
  });

  test('keys created in one millisecond: the active one is first and is the one that signs', async () => {
    const first = await keys.ensureActive('ES256');
    const second = await keys.rotate(admin, {}, 'ES256');
    const third = await keys.rotate(admin, {}, 'ES256');
    const list = await keys.list(admin);
    expect(list[0]).toMatchObject({ kid: third.kid, active: true });
    expect(new Set(list.slice(1).map((k) => k.kid))).toEqual(new Set([first.kid, second.kid]));
    expect((await keys.ensureActive('ES256')).kid).toBe(third.kid);
    // The same order every time it is read.
    expect((await keys.list(admin)).map((k) => k.kid)).toEqual(list.map((k) => k.kid));
  });

  test('listing and rotating need server.manage', async () => {
    const bob = await powerlessPerson(core, admin);
    await expect(keys.list(bob)).rejects.toThrow(ForbiddenError);
    await expect(keys.rotate(bob, {}, 'ES256')).rejects.toThrow(ForbiddenError);
  });
});
