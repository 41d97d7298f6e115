import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parseInputOf } from '../../shared/contract.js';
import { ConflictError, ForbiddenError, ValidationError } from '../../shared/errors.js';
import { hashBearerCode } from '../../electron/crypto/bearer-codes.js';
import { ActivationsService, RegistrationRefused, type ClientMetadata } from '../../electron/services/activations.service.js';
import type { Actor } from '../../electron/services/context.js';
import { storedRows, storedEvents, storedTable, powerlessPerson, seedCatalogue } from '../support/fixtures.js';
import { describeEngines, type EngineCore } from '../support/engines.js';

describeEngines((engine) => {
  /** ActivationsService: the administrator's rules, and a registration that fails half-way leaving nothing behind. */
  let core: EngineCore;
  let admin: Actor;
  let groupId: number;
  beforeEach(async () => {
    ({ core, admin } = await engine.coreWithAdmin());
    groupId = (await seedCatalogue(core, admin)).group.id;
  });
  afterEach(() => core.cleanup());

  const metadata = (over: Partial<ClientMetadata> = {}): ClientMetadata => ({
    clientName: 'Acme CRM',
    authMethod: 'client_secret_basic',
    jwks: null,
    scope: null,
    contacts: [],
    softwareId: null,
    softwareVersion: null,
    ...over,
  });
  const where = { sourceIp: '192.0.2.1', issuer: 'https://keyrack.test' };

  describe('create', () => {
    test('returns the code once; the store keeps only its SHA-256; defaults: 1 registration, 7 days, no approval', async () => {
      const created = await core.activations.create(admin, parseInputOf('activations.create', { name: 'Acme', groupIds: [groupId] }));
      expect(created.code).toMatch(/^kra_[A-Za-z0-9_-]{43}$/);
      expect(created.activation).toMatchObject({
        status: 'active',
        maxRegistrations: 1,
        registrationsUsed: 0,
        requiresApproval: false,
        expiresAt: core.clock.now() + 7 * 86_400_000,
        createdBy: 'alice',
      });
      expect(created.activation.template.scopes).toEqual(['mail:send', 'properties:read']);
      expect(created.activation.template.filters).toEqual({ properties: ['published_only'] });
      const stored = await storedTable(core, 'activations');
      expect(JSON.stringify(stored)).not.toContain(created.code);
      expect(stored).toEqual([expect.objectContaining({ code_hash: hashBearerCode('activation', created.code) })]);
      expect(JSON.stringify((await storedEvents(core)))).not.toContain(created.code);
      // No issuer is known in a bare store: the snippet says why instead of guessing a URL.
      expect(created.snippet).toMatchObject({ registrationUrl: null, curl: null, json: null, problem: expect.stringContaining('set the issuer') });
    });

    test('bad input is refused with the field named, and nothing is stored or logged', async () => {
      const before = (await storedEvents(core)).length;
      const past = core.clock.now() - 1;
      const cases: [Record<string, unknown>, string][] = [
        [{ expiresAt: past }, 'expiresAt'],
        [{ userExpiresAt: core.clock.now() + 86_400_000 }, 'userExpiresAt'],
        [{ groupIds: [9999] }, 'groupIds.0'],
        [{ mailboxIds: [9999] }, 'mailboxIds.0'],
        [{ groupIds: [1] }, 'groupIds.0'], // Administrators: for people only
      ];
      for (const [input, field] of cases) {
        const error = await core.activations.create(admin, parseInputOf('activations.create', { name: 'Bad', ...input })).catch((e: unknown) => e);
        expect(error, field).toBeInstanceOf(ValidationError);
        expect(Object.keys((error as ValidationError).fields ?? {}), field).toContain(field);
      }
      expect(await storedRows(core, 'activations')).toBe(0);
      expect((await storedEvents(core)).length).toBe(before);
      await core.activations.create(admin, parseInputOf('activations.create', { name: 'Taken' }));
      await expect(core.activations.create(admin, parseInputOf('activations.create', { name: 'TAKEN' }))).rejects.toBeInstanceOf(ConflictError);
    });

    test('a person without users.manage may list but not create, revoke, approve or refuse; the refusal is logged', async () => {
      const bob = await powerlessPerson(core, admin);
      const created = await core.activations.create(admin, parseInputOf('activations.create', { name: 'Acme' }));
      expect((await core.activations.list(bob)).map((a) => a.name)).toEqual(['Acme']);
      await expect(core.activations.create(bob, parseInputOf('activations.create', { name: 'Mine' }))).rejects.toBeInstanceOf(ForbiddenError);
      await expect(core.activations.revoke(bob, { id: created.activation.id })).rejects.toBeInstanceOf(ForbiddenError);
      await expect(core.activations.approve(bob, { id: 1 })).rejects.toBeInstanceOf(ForbiddenError);
      await expect(core.activations.refuse(bob, { id: 1 })).rejects.toBeInstanceOf(ForbiddenError);
      expect((await storedEvents(core)).filter((e) => e.outcome === 'failure' && e.reason === 'forbidden').map((e) => e.type)).toEqual(
        expect.arrayContaining(['activation.created', 'activation.revoked', 'registration.approved', 'registration.refused']),
      );
      expect(await storedRows(core, 'activations')).toBe(1);
    });
  });

  describe('register', () => {
    test('a failure while creating the API user gives the slot back and leaves no user', async () => {
      const created = await core.activations.create(admin, parseInputOf('activations.create', { name: 'Acme', groupIds: [groupId] }));
      const failing = new ActivationsService({ ...core.deps, passwords: { ...core.deps.passwords, hash: () => Promise.reject(new Error('argon2 out of memory')) } });
      const users = await storedRows(core, 'users');
      await expect(failing.register(created.code, async () => metadata(), where)).rejects.toThrow('argon2 out of memory');
      expect(await storedRows(core, 'users')).toBe(users);
      expect(await storedRows(core, 'client_registrations')).toBe(0);
      expect((await core.activations.list(admin))[0]!.registrationsUsed).toBe(0);
      // The slot is free again: the code still registers.
      expect((await core.activations.register(created.code, async () => metadata(), where)).status).toBe(201);
      expect((await core.activations.list(admin))[0]).toMatchObject({ registrationsUsed: 1, status: 'used_up' });
    });

    test('a name already taken gets a number; the metadata is not read for a wrong code', async () => {
      const created = await core.activations.create(admin, parseInputOf('activations.create', { name: 'Acme', maxRegistrations: 2 }));
      await core.activations.register(created.code, async () => metadata(), where);
      const second = await core.activations.register(created.code, async () => metadata(), where);
      expect(second.body.client_name).toBe('Acme CRM');
      expect((await core.activations.registrations(admin, {})).map((r) => r.userName)).toEqual(['Acme CRM (2)', 'Acme CRM']);
      let read = false;
      const error = await core.activations
        .register(`kra_${'Z'.repeat(43)}`, async () => ((read = true), metadata()), where)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RegistrationRefused);
      expect((error as RegistrationRefused).reason).toBe('unknown_code');
      expect(read).toBe(false);
    });

    test('a pending registration whose API user was deleted leaves the pending list and cannot be approved', async () => {
      const created = await core.activations.create(admin, parseInputOf('activations.create', { name: 'Acme', requiresApproval: true }));
      await core.activations.register(created.code, async () => metadata(), where);
      const [pending] = await core.activations.pending(admin);
      expect(pending).toMatchObject({ state: 'pending', userName: 'Acme CRM' });
      await core.users.delete(admin, { id: pending!.userId! });
      expect(await core.activations.pending(admin)).toEqual([]);
      await expect(core.activations.approve(admin, { id: pending!.id })).rejects.toThrow('was deleted');
    });
  });
});
