import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parseInputOf } from '../../shared/contract.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../shared/errors.js';
import { slugify } from '../../electron/services/users.service.js';
import type { Actor } from '../../electron/services/context.js';
import { inPromise } from '../support/core.js';
import { checkpointAuthentic, parseCheckpoint } from '../../electron/crypto/audit-checkpoint.js';
import { aesGcmKeyWrapper } from '../../electron/crypto/key-wrap.js';
import { cliActor } from '../../electron/services/context.js';
import { storedChain, storedRows, storedEvents, powerlessPerson, seedCatalogue } from '../support/fixtures.js';
import { describeEngines, type EngineCore } from '../support/engines.js';

describeEngines((engine) => {
  let core: EngineCore;
  let admin: Actor;
  beforeEach(async () => ({ core, admin } = await engine.coreWithAdmin()));
  afterEach(() => core.cleanup());

  describe('creating an API user', () => {
    test('returns the client id and a 256-bit URL-safe secret once, and stores only an argon2id hash', async () => {
      const { group, mailbox } = await seedCatalogue(core, admin);
      const created = await core.users.createApiUser(admin, parseInputOf('users.createApiUser', {
        name: 'CRM Sync',
        email: 'crm@example.com',
        description: 'Nightly CRM import',
        groupIds: [group.id],
        mailboxIds: [mailbox.id],
        allowlist: ['192.168.1.0/24', '::ffff:10.0.0.7', 'aws', '2001:DB8::1'],
        expiresAt: core.clock.now() + 86_400_000,
      }));
      expect(created.clientId).toBe('keyrack-crm-sync');
      expect(Buffer.from(created.secret, 'base64url')).toHaveLength(32);
      expect(created.user).toMatchObject({
        kind: 'api',
        name: 'CRM Sync',
        email: 'crm@example.com',
        status: 'active',
        clientId: 'keyrack-crm-sync',
        groups: [{ id: group.id, name: 'Website' }],
        mailboxes: [{ id: mailbox.id, address: 'info@example.com', displayName: 'Info' }],
        allowlist: [
          { kind: 'cidr', entry: '192.168.1.0/24' },
          { kind: 'address', entry: '10.0.0.7' },
          { kind: 'provider', entry: 'AWS' },
          { kind: 'address', entry: '2001:db8::1' },
        ],
      });
      const row = (await core.deps.store.get<{ secret_hash: string }>('SELECT secret_hash FROM client_secrets'))!;
      expect(row.secret_hash).toMatch(/^\$argon2id\$/);
      expect(row.secret_hash).not.toContain(created.secret);
      expect(await core.deps.passwords.verify(row.secret_hash, created.secret)).toBe(true);
      // The audit trail names the change but never the secret.
      const logged = (await storedEvents(core)).filter((e) => e.targetName === 'CRM Sync');
      expect(logged.map((e) => e.type).sort()).toEqual(['secret.added', 'user.created']);
      expect(JSON.stringify(logged)).not.toContain(created.secret);
      expect(logged[0]!.actorName).toBe('alice');
    });

    test('client ids keep the reserved prefix and are never reused, even after a delete', async () => {
      const first = await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'Ünïcode Wäre!' }));
      expect(first.clientId).toBe('keyrack-unicode-ware');
      await core.users.delete(admin, { id: first.user.id });
      const second = await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'unicode ware' }));
      expect(second.clientId).toBe('keyrack-unicode-ware-2');
      const onlySymbols = await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: '日本' }));
      expect(onlySymbols.clientId).toBe('keyrack-api-user');
      expect(slugify('  --A  b--  ')).toBe('a-b');
    });

    test('a taken name is a conflict that names the field, and nothing is written', async () => {
      await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'CRM' }));
      const before = await storedRows(core, 'users');
      await expect(core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'crm' }))).rejects.toThrow(ConflictError);
      await expect(core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'crm' }))).rejects.toMatchObject({
        fields: { name: 'crm is already taken' },
      });
      expect(await storedRows(core, 'users')).toBe(before);
    });

    test('unknown groups and mailboxes are named by position', async () => {
      await expect(core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'X', groupIds: [999], mailboxIds: [42] }))).rejects.toMatchObject({
        code: 'validation',
        fields: { 'groupIds.0': 'There is no group with id 999', 'mailboxIds.0': 'There is no mailbox with id 42' },
      });
    });

    test('a person without users.manage is refused, and the refusal is logged', async () => {
      const bob = await powerlessPerson(core, admin);
      await expect(core.users.createApiUser(bob, parseInputOf('users.createApiUser', { name: 'X' }))).rejects.toThrow(ForbiddenError);
      expect(await storedRows(core, 'users')).toBe(2);
      expect((await storedEvents(core))[0]).toMatchObject({ type: 'user.created', outcome: 'failure', reason: 'forbidden', actorName: 'bob' });
    });
  });

  describe('the log', () => {
    test('one hash chain across the services, also for changes made at the same time', async () => {
      const { group } = await seedCatalogue(core, admin);
      // Concurrent service calls: on PostgreSQL each transaction runs on its own pooled connection, and the
      // store's write lock keeps the appends in one order (without it two would extend the same tail).
      const created = await Promise.all(
        ['One', 'Two', 'Three', 'Four', 'Five', 'Six'].map((name) =>
          core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name, groupIds: [group.id] })),
        ),
      );
      await Promise.all([
        ...created.map(({ user }) => core.users.disable(admin, { id: user.id })),
        core.groups.create(admin, parseInputOf('groups.create', { name: 'Readers' })),
        core.mailboxes.create(admin, parseInputOf('mailboxes.create', { address: 'sales@example.com' })),
      ]);
      const events = await storedEvents(core);
      expect(events.filter((e) => e.type === 'user.disabled')).toHaveLength(6);
      expect(await storedChain(core)).toEqual({ checked: events.length, problem: null });
      expect(events.map((e) => e.id)).toEqual(events.map((_, i) => events.length - i));
    });

    test('with a checkpoint key, every change signs the new head in its own transaction', async () => {
      const keyed = await engine.makeCore({ keyWrapper: () => aesGcmKeyWrapper(randomBytes(32), 'test master key') });
      try {
        expect(keyed.checkpointKey).toMatchObject({ state: 'held' });
        const held = (keyed.checkpointKey as { key: Buffer }).key;
        await keyed.auth.setup({ name: 'alice', password: 'correct horse battery' });
        await keyed.users.createApiUser(cliActor('tester'), parseInputOf('users.createApiUser', { name: 'Signed' }));
        const stored = await keyed.deps.store.get<{ value: string }>(`SELECT value FROM settings WHERE key = 'audit.checkpoint'`);
        const checkpoint = parseCheckpoint(stored!.value)!;
        const head = (await storedEvents(keyed))[0]!;
        expect(head.type).toBe('secret.added');
        expect(checkpoint).toMatchObject({ id: head.id, at: head.at });
        expect(checkpointAuthentic(held, checkpoint)).toBe(true);
        expect(checkpointAuthentic(randomBytes(32), checkpoint)).toBe(false);
        expect(await storedChain(keyed)).toEqual({ checked: head.id, problem: null });
      } finally {
        await keyed.cleanup();
      }
    });
  });

  describe('listing users', () => {
    test('searches, filters, sorts and pages in SQL', async () => {
      const { group } = await seedCatalogue(core, admin);
      for (const name of ['Delta', 'alpha', 'Charlie', 'bravo']) {
        await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name, groupIds: name === 'Delta' ? [group.id] : [] }));
      }
      const charlie = (await core.users.list(admin, parseInputOf('users.list', { search: 'char' }))).rows[0]!;
      await core.users.disable(admin, { id: charlie.id });

      const page1 = await core.users.list(admin, parseInputOf('users.list', { kind: 'api', sort: 'name', pageSize: 2 }));
      expect(page1.total).toBe(4);
      expect(page1.rows.map((r) => r.name)).toEqual(['alpha', 'bravo']);
      const page2 = await core.users.list(admin, parseInputOf('users.list', { kind: 'api', sort: 'name', pageSize: 2, page: 2 }));
      expect(page2.rows.map((r) => r.name)).toEqual(['Charlie', 'Delta']);
      expect((await core.users.list(admin, parseInputOf('users.list', { kind: 'api', order: 'desc' }))).rows[0]!.name).toBe('Delta');
      expect((await core.users.list(admin, parseInputOf('users.list', { status: 'disabled' }))).rows.map((r) => r.name)).toEqual(['Charlie']);
      expect((await core.users.list(admin, parseInputOf('users.list', { groupId: group.id }))).rows.map((r) => r.name)).toEqual(['Delta']);
      expect((await core.users.list(admin, parseInputOf('users.list', { kind: 'person' }))).rows.map((r) => r.name)).toEqual(['alice']);
      expect((await core.users.list(admin, parseInputOf('users.list', { search: 'keyrack-bra' }))).rows.map((r) => r.name)).toEqual(['bravo']);
      expect((await core.users.list(admin, parseInputOf('users.list', { search: '%' }))).total).toBe(0); // LIKE wildcards are literal
    });

    test('an account past its expiry shows as expired', async () => {
      const created = await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'Temp', expiresAt: core.clock.now() + 1000 }));
      core.clock.advance(2000);
      expect((await core.users.list(admin, parseInputOf('users.list', { status: 'expired' }))).rows.map((r) => r.id)).toEqual([created.user.id]);
      expect((await core.users.show(admin, { id: created.user.id })).expired).toBe(true);
    });
  });

  describe('changing an API user', () => {
    test('update, groups, mailboxes, allowlist, disable, enable, delete — each logged', async () => {
      const { group, mailbox } = await seedCatalogue(core, admin);
      const { user } = await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'ERP' }));
      expect(await core.users.update(admin, { id: user.id, description: 'ERP export', tokenLifetimeSeconds: 300 })).toMatchObject({
        description: 'ERP export',
        tokenLifetimeSeconds: 300,
      });
      expect((await core.users.setGroups(admin, { id: user.id, groupIds: [group.id] })).groups).toEqual([{ id: group.id, name: 'Website' }]);
      expect((await core.users.setMailboxes(admin, { id: user.id, mailboxIds: [mailbox.id] })).mailboxes).toHaveLength(1);
      expect((await core.users.setAllowlist(admin, { id: user.id, entries: ['10.0.0.0/8', '10.0.0.0/8', 'Cloudflare'] })).allowlist).toEqual([
        { kind: 'cidr', entry: '10.0.0.0/8' },
        { kind: 'provider', entry: 'CLOUDFLARE' },
      ]);
      expect((await core.users.disable(admin, { id: user.id })).status).toBe('disabled');
      expect((await core.users.enable(admin, { id: user.id })).status).toBe('active');
      expect(await core.users.effectiveRights(admin, { id: user.id })).toEqual({
        scopes: ['mail:send', 'properties:read'],
        filters: { properties: ['published_only'] },
        mailboxes: ['info@example.com'],
      });
      await core.users.delete(admin, { id: user.id });
      await expect(async () => core.users.show(admin, { id: user.id })).rejects.toThrow(NotFoundError);
      expect(await storedRows(core, 'client_secrets')).toBe(0);
      const types = (await storedEvents(core)).filter((e) => e.targetName === 'ERP').map((e) => e.type);
      expect(types).toEqual([
        'user.deleted', 'user.enabled', 'user.disabled', 'allowlist.changed', 'user.updated', 'user.updated',
        'user.updated', 'secret.added', 'user.created',
      ]);
      // History stays after the delete, still naming the user.
      expect((await storedEvents(core)).filter((e) => e.targetUserId === user.id)).toHaveLength(9);
      // And the log's search finds it, on both engines.
      expect((await core.log.search(admin, parseInputOf('log.search', { targetUserId: user.id }))).rows).toHaveLength(9);
    });

    test('effective rights are the union over the user\'s groups', async () => {
      await seedCatalogue(core, admin);
      const writers = await core.groups.create(admin, parseInputOf('groups.create', { name: 'Writers', rights: [{ resource: 'properties', action: 'write' }, { resource: 'properties', action: 'read' }] }));
      const website = (await core.groups.list(admin)).find((g) => g.name === 'Website')!;
      const { user } = await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'Both', groupIds: [website.id, writers.id] }));
      expect((await core.users.effectiveRights(admin, { id: user.id })).scopes).toEqual(['mail:send', 'properties:read', 'properties:write']);
    });

    test('a record filter counts only for a resource the user holds a right on', async () => {
      await seedCatalogue(core, admin);
      const addresses = await core.rights.addResource(admin, parseInputOf('rights.addResource', { name: 'addresses', actions: ['read'], filters: [{ name: 'published_only' }] }));
      // A group that only sets a filter on addresses, granting nothing there.
      const policy = await core.groups.create(admin, parseInputOf('groups.create', { name: 'Address policy', filterIds: [addresses.filters[0]!.id] }));
      const website = (await core.groups.list(admin)).find((g) => g.name === 'Website')!;
      const { user } = await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'Listings', groupIds: [website.id, policy.id] }));
      const rights = await core.users.effectiveRights(admin, { id: user.id });
      expect(rights.scopes).toEqual(['mail:send', 'properties:read']);
      expect(rights.filters).toEqual({ properties: ['published_only'] });
      // Given a right on addresses, the filter applies.
      const readers = await core.groups.create(admin, parseInputOf('groups.create', { name: 'Address readers', rights: [{ resource: 'addresses', action: 'read' }] }));
      await core.users.setGroups(admin, { id: user.id, groupIds: [website.id, policy.id, readers.id] });
      expect((await core.users.effectiveRights(admin, { id: user.id })).filters).toEqual({
        addresses: ['published_only'],
        properties: ['published_only'],
      });
    });

    test('mailboxes and allowlists are for API users only', async () => {
      const bob = await core.users.createPerson(admin, parseInputOf('users.createPerson', { name: 'bob', password: 'another long password' }));
      await expect(async () => core.users.setAllowlist(admin, { id: bob.id, entries: [] })).rejects.toThrow(ValidationError);
      await expect(async () => core.users.setMailboxes(admin, { id: bob.id, mailboxIds: [] })).rejects.toThrow(/is a person/);
    });
  });

  describe('the Administrators group keeps an active member', () => {
    test('the last active administrator cannot be disabled, expired, removed or deleted', async () => {
      const aliceId = (admin as { userId: number }).userId;
      const adminGroup = (await core.groups.list(admin)).find((g) => g.builtin)!;
      await expect(async () => core.users.disable(admin, { id: aliceId })).rejects.toThrow(/last active administrator/);
      await expect(async () => core.users.update(admin, { id: aliceId, expiresAt: core.clock.now() + 1000 })).rejects.toThrow(/last active administrator/);
      await expect(async () => core.users.setGroups(admin, { id: aliceId, groupIds: [] })).rejects.toThrow(/last active administrator/);
      await expect(async () => core.groups.removeMember(admin, { groupId: adminGroup.id, userId: aliceId })).rejects.toThrow(/last active administrator/);
      await expect(async () => core.users.delete({ kind: 'cli', name: 'cli:root' }, { id: aliceId })).rejects.toThrow(/last active administrator/);
      // With a second administrator, the first may go.
      const carol = await core.users.createPerson(admin, { name: 'carol', password: 'a third long password', groupIds: [adminGroup.id] });
      expect((await core.users.disable(admin, { id: carol.id })).status).toBe('disabled');
      await expect(async () => core.users.disable(admin, { id: aliceId })).rejects.toThrow(/last active administrator/);
      await core.users.enable(admin, { id: carol.id });
      expect((await core.users.disable(admin, { id: aliceId })).status).toBe('disabled');
    });
  });

  describe('Administrators is for people, on every path', () => {
    test('an API user is refused when created into it, given it by setGroups, or added as a member; nothing is written', async () => {
      const { group } = await seedCatalogue(core, admin);
      const adminGroup = (await core.groups.list(admin)).find((g) => g.name === 'Administrators')!;
      const before = await storedRows(core, 'users');
      await expect(
        core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'AdminTry', groupIds: [group.id, adminGroup.id] })),
      ).rejects.toMatchObject({
        code: 'validation',
        fields: { 'groupIds.1': 'AdminTry is an API user; Administrators is for people' },
      });
      expect(await storedRows(core, 'users')).toBe(before);

      const { user } = await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'Gateway', groupIds: [group.id] }));
      await expect(async () => core.users.setGroups(admin, { id: user.id, groupIds: [group.id, adminGroup.id] })).rejects.toThrow(
        'groupIds.1: Gateway is an API user; Administrators is for people',
      );
      await expect(async () => core.groups.addMember(admin, { groupId: adminGroup.id, userId: user.id })).rejects.toThrow(/is for people/);
      expect((await core.groups.show(admin, { id: adminGroup.id })).members.map((m) => m.name)).toEqual(['alice']);
      expect((await core.users.show(admin, { id: user.id })).groups.map((g) => g.name)).toEqual(['Website']);

      // People are still welcome.
      const carol = await core.users.createPerson(admin, parseInputOf('users.createPerson', { name: 'carol', password: 'a third long password' }));
      expect((await core.users.setGroups(admin, { id: carol.id, groupIds: [adminGroup.id] })).groups.map((g) => g.name)).toEqual([
        'Administrators',
      ]);
    });
  });

  describe('times have a horizon', () => {
    test('a time more than a hundred years away is refused by the shared schema, naming the field', async () => {
      const far = Date.now() + 101 * 365 * 86_400_000;
      await expect(inPromise(() => core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'Far', expiresAt: 8.6e15 })))).rejects.toMatchObject({
        code: 'validation',
        fields: { expiresAt: 'Must be at most 100 years from now' },
      });
      await expect(inPromise(() => core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'Far', secretExpiresAt: far })))).rejects.toMatchObject({
        fields: { secretExpiresAt: 'Must be at most 100 years from now' },
      });
      const { user } = await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'Near', expiresAt: Date.now() + 99 * 365 * 86_400_000 }));
      await expect(async () => core.users.update(admin, parseInputOf('users.update', { id: user.id, expiresAt: far }))).rejects.toThrow('expiresAt: Must be at most 100 years from now');
      await expect(async () => core.log.search(admin, parseInputOf('log.search', { since: far }))).rejects.toThrow(ValidationError);
    });
  });
});
