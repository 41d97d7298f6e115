import { afterEach, beforeEach, expect, test } from 'vitest';
import { parseInputOf } from '../../shared/contract.js';
import { ConflictError, ForbiddenError, ValidationError } from '../../shared/errors.js';
import { listLiveSecretsOfUser } from '../../electron/repos/credentials.repo.js';
import { MAX_LIVE_SECRETS } from '../../electron/services/secrets.service.js';
import type { Actor } from '../../electron/services/context.js';
import { inPromise } from '../support/core.js';
import { storedRows, storedEvents, powerlessPerson } from '../support/fixtures.js';
import { describeEngines, type EngineCore } from '../support/engines.js';

describeEngines((engine) => {
  let core: EngineCore;
  let admin: Actor;
  let userId: number;
  beforeEach(async () => {
    ({ core, admin } = await engine.coreWithAdmin());
    userId = (await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'CRM' }))).user.id;
  });
  afterEach(() => core.cleanup());

  const HOUR = 3_600_000;

  test('add: a labelled secret with an expiry, shown once, listed with its creator', async () => {
    const added = await core.secrets.add(admin, { userId, label: 'staging', expiresAt: core.clock.now() + 24 * HOUR });
    expect(added.clientId).toBe('keyrack-crm');
    expect(added.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(added.info).toMatchObject({ label: 'staging', createdBy: 'alice', state: 'live', lastUsedAt: null });
    const listed = await core.secrets.list(admin, { userId });
    expect(listed.map((s) => s.label)).toEqual(['staging', 'Initial secret']);
    expect(JSON.stringify(listed)).not.toContain(added.secret);
  });

  test('rotate: the old secret works until the grace expiry the admin picked, then stops', async () => {
    const [initial] = await core.secrets.list(admin, { userId });
    const rotated = await core.secrets.rotate(admin, { userId, secretId: initial!.id, graceUntil: core.clock.now() + 2 * HOUR });
    const live = async () => (await listLiveSecretsOfUser(core.deps.store, userId, core.clock.now())).map((s) => s.id).sort();
    expect(await live()).toEqual([initial!.id, rotated.info.id].sort());
    core.clock.advance(2 * HOUR);
    expect(await live()).toEqual([rotated.info.id]);
    expect((await core.secrets.list(admin, { userId })).find((s) => s.id === initial!.id)!.state).toBe('expired');
    expect((await storedEvents(core))[0]).toMatchObject({
      type: 'secret.rotated',
      details: { oldSecretId: initial!.id, newSecretId: rotated.info.id, graceUntil: core.clock.now() },
    });
  });

  test('rotate never extends an old secret past its own expiry, and a past grace ends it now', async () => {
    const short = await core.secrets.add(admin, { userId, label: 'short', expiresAt: core.clock.now() + HOUR });
    await core.secrets.rotate(admin, { userId, secretId: short.info.id, graceUntil: core.clock.now() + 10 * HOUR });
    expect((await core.secrets.list(admin, { userId })).find((s) => s.id === short.info.id)!.expiresAt).toBe(core.clock.now() + HOUR);
    const [, , initial] = await core.secrets.list(admin, { userId });
    await core.secrets.rotate(admin, { userId, secretId: initial!.id, graceUntil: 0 });
    expect((await core.secrets.list(admin, { userId })).find((s) => s.id === initial!.id)!.state).toBe('expired');
  });

  test("rotate: the new secret keeps the old one's expiry unless the admin names another, or null for never", async () => {
    const expiring = await core.secrets.add(admin, { userId, label: 'expiring', expiresAt: core.clock.now() + 30 * 24 * HOUR });
    const kept = await core.secrets.rotate(admin, { userId, secretId: expiring.info.id, graceUntil: core.clock.now() + HOUR });
    expect(kept.info.expiresAt).toBe(core.clock.now() + 30 * 24 * HOUR);
    expect((await storedEvents(core))[0]).toMatchObject({ type: 'secret.rotated', details: { expiresAt: core.clock.now() + 30 * 24 * HOUR } });

    const other = await core.secrets.rotate(admin, { userId, secretId: kept.info.id, graceUntil: 0, expiresAt: core.clock.now() + 5 * HOUR });
    expect(other.info.expiresAt).toBe(core.clock.now() + 5 * HOUR);
    const never = await core.secrets.rotate(admin, { userId, secretId: other.info.id, graceUntil: 0, expiresAt: null });
    expect(never.info.expiresAt).toBeNull();
    // A secret that never expired is replaced by one that never expires.
    const [initial] = (await core.secrets.list(admin, { userId })).filter((s) => s.label === 'Initial secret');
    const fromNever = await core.secrets.rotate(admin, { userId, secretId: initial!.id, graceUntil: 0 });
    expect(fromNever.info.expiresAt).toBeNull();
  });

  test('revoke stops a secret at once and tells listeners; a second revoke is a conflict', async () => {
    const [initial] = await core.secrets.list(admin, { userId });
    const invalidated: number[] = [];
    core.secrets.onSecretInvalidated((id) => invalidated.push(id));
    expect((await core.secrets.revoke(admin, { userId, secretId: initial!.id })).state).toBe('revoked');
    expect(invalidated).toEqual([userId]);
    expect(await listLiveSecretsOfUser(core.deps.store, userId, core.clock.now())).toEqual([]);
    await expect(async () => core.secrets.revoke(admin, { userId, secretId: initial!.id })).rejects.toThrow(ConflictError);
    await expect(core.secrets.rotate(admin, { userId, secretId: initial!.id, graceUntil: 0 })).rejects.toThrow(/only a live secret/);
  });

  test(`at most ${MAX_LIVE_SECRETS} live secrets`, async () => {
    for (let i = 1; i < MAX_LIVE_SECRETS; i++) await core.secrets.add(admin, { userId, label: `s${i}` });
    await expect(core.secrets.add(admin, { userId, label: 'one too many' })).rejects.toThrow(/revoke one/);
    expect(await storedRows(core, 'client_secrets')).toBe(MAX_LIVE_SECRETS);
  });

  test('bad input names the field and writes nothing', async () => {
    const before = await storedRows(core, 'client_secrets');
    await expect(inPromise(() => core.secrets.add(admin, parseInputOf('secrets.add', { userId, label: '' })))).rejects.toMatchObject({ fields: { label: 'Label is required' } });
    await expect(core.secrets.add(admin, { userId, label: 'x', expiresAt: core.clock.now() - 1 })).rejects.toMatchObject({
      fields: { expiresAt: 'Must be in the future' },
    });
    await expect(inPromise(() => core.secrets.add(admin, parseInputOf('secrets.add', { userId: 'one', label: 'x' })))).rejects.toThrow(ValidationError);
    const person = (admin as { userId: number }).userId;
    await expect(core.secrets.add(admin, { userId: person, label: 'x' })).rejects.toMatchObject({ fields: { userId: /is a person/ } });
    expect(await storedRows(core, 'client_secrets')).toBe(before);
  });

  test('a person without users.manage cannot add, rotate or revoke', async () => {
    const bob = await powerlessPerson(core, admin);
    const [initial] = await core.secrets.list(bob, { userId });
    await expect(core.secrets.add(bob, { userId, label: 'x' })).rejects.toThrow(ForbiddenError);
    await expect(core.secrets.rotate(bob, { userId, secretId: initial!.id, graceUntil: 0 })).rejects.toThrow(ForbiddenError);
    await expect(async () => core.secrets.revoke(bob, { userId, secretId: initial!.id })).rejects.toThrow(ForbiddenError);
    expect((await core.secrets.list(admin, { userId }))[0]!.state).toBe('live');
  });
});
