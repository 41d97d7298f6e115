import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parseInputOf } from '../../shared/contract.js';
import { ConflictError, ForbiddenError, ValidationError } from '../../shared/errors.js';
import type { Actor } from '../../electron/services/context.js';
import { storedRows, storedEvents, powerlessPerson, seedCatalogue } from '../support/fixtures.js';
import { describeEngines, type EngineCore } from '../support/engines.js';

describeEngines((engine) => {
  let core: EngineCore;
  let admin: Actor;
  beforeEach(async () => ({ core, admin } = await engine.coreWithAdmin()));
  afterEach(() => core.cleanup());

  describe('groups', () => {
    test('names are unique and sorted without regard to case; members are sorted that way too', async () => {
      await seedCatalogue(core, admin);
      await expect(core.groups.create(admin, parseInputOf('groups.create', { name: 'WEBSITE' }))).rejects.toThrow(ConflictError);
      for (const name of ['delta', 'Bravo', 'charlie', 'alpha']) await core.groups.create(admin, parseInputOf('groups.create', { name }));
      expect((await core.groups.list(admin)).map((g) => g.name)).toEqual(['Administrators', 'alpha', 'Bravo', 'charlie', 'delta', 'Website']);
      const bravo = (await core.groups.list(admin)).find((g) => g.name === 'Bravo')!;
      await expect(core.groups.update(admin, { id: bravo.id, name: 'ALPHA' })).rejects.toThrow(ConflictError);
      for (const name of ['zed', 'Yann', 'xena']) {
        const { user } = await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name }));
        await core.groups.addMember(admin, { groupId: bravo.id, userId: user.id });
      }
      expect((await core.groups.show(admin, { id: bravo.id })).members.map((m) => m.name)).toEqual(['xena', 'Yann', 'zed']);
      const mailboxes = ['b@example.com', 'A@example.com', 'c@example.com'];
      for (const address of mailboxes) await core.mailboxes.create(admin, parseInputOf('mailboxes.create', { address }));
      expect((await core.mailboxes.list(admin)).map((m) => m.address)).toEqual(['A@example.com', 'b@example.com', 'c@example.com', 'info@example.com']);
    });

    test('create, grant, revoke, members, update, delete', async () => {
      const { properties } = await seedCatalogue(core, admin);
      const group = await core.groups.create(admin, parseInputOf('groups.create', { name: 'Editors', description: 'Edit listings', appPermissions: ['log.view'] }));
      expect((await core.groups.grant(admin, { groupId: group.id, resource: 'properties', action: 'write' })).rights).toEqual([
        { resource: 'properties', action: 'write' },
      ]);
      const { user } = await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'CMS' }));
      expect((await core.groups.addMember(admin, { groupId: group.id, userId: user.id })).members.map((m) => m.name)).toEqual(['CMS']);
      expect((await core.users.effectiveRights(admin, { id: user.id })).scopes).toEqual(['properties:write']);
      expect((await core.groups.revoke(admin, { groupId: group.id, resource: 'properties', action: 'write' })).rights).toEqual([]);
      const updated = await core.groups.update(admin, {
        id: group.id,
        name: 'Listing editors',
        rights: [{ resource: 'properties', action: 'read' }],
        filterIds: [properties.filters[0]!.id],
      });
      expect(updated).toMatchObject({ name: 'Listing editors', appPermissions: ['log.view'], filters: [{ name: 'published_only' }] });
      expect((await core.groups.removeMember(admin, { groupId: group.id, userId: user.id })).members).toEqual([]);
      await core.groups.delete(admin, { id: group.id });
      expect((await core.groups.list(admin)).map((g) => g.name)).toEqual(['Administrators', 'Website']);
      expect((await storedEvents(core)).slice(0, 7).map((e) => e.type)).toEqual([
        'group.deleted', 'group.member_removed', 'group.updated', 'group.right_revoked', 'group.member_added',
        'secret.added', 'user.created',
      ]);
    });

    test('rights must exist in the catalogue; the message says what the resource offers', async () => {
      await seedCatalogue(core, admin);
      await expect(async () => core.groups.create(admin, parseInputOf('groups.create', { name: 'G', rights: [{ resource: 'properties', action: 'send' }] }))).rejects.toThrow(
        'rights.0: properties has no action send (it has: delete, read, write)',
      );
      await expect(async () => core.groups.create(admin, parseInputOf('groups.create', { name: 'G', rights: [{ resource: 'nothing', action: 'read' }] }))).rejects.toThrow(
        /no resource nothing/,
      );
      expect((await core.groups.list(admin)).map((g) => g.name)).not.toContain('G');
    });

    test('the built-in Administrators group cannot be renamed, re-permissioned, deleted, or hold API users', async () => {
      const builtin = (await core.groups.list(admin)).find((g) => g.builtin)!;
      await expect(async () => core.groups.update(admin, { id: builtin.id, name: 'Admins' })).rejects.toThrow(ConflictError);
      await expect(async () => core.groups.update(admin, { id: builtin.id, appPermissions: [] })).rejects.toThrow(ConflictError);
      await expect(async () => core.groups.delete(admin, { id: builtin.id })).rejects.toThrow(/built in/);
      const { user } = await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'Bot' }));
      await expect(async () => core.groups.addMember(admin, { groupId: builtin.id, userId: user.id })).rejects.toThrow(/is for people/);
      expect((await core.groups.show(admin, { id: builtin.id })).appPermissions).toHaveLength(5);
    });

    test('a person without groups.manage is refused', async () => {
      const bob = await powerlessPerson(core, admin);
      await expect(async () => core.groups.create(bob, parseInputOf('groups.create', { name: 'Mine' }))).rejects.toThrow(ForbiddenError);
      await expect(core.rights.addResource(bob, parseInputOf('rights.addResource', { name: 'x', actions: ['read'] }))).rejects.toThrow(ForbiddenError);
      expect(await core.groups.list(bob)).toHaveLength(1); // reading is open to any active person
    });

    test('a person with groups.manage through a group may manage groups, and loses it when the group goes', async () => {
      const managers = await core.groups.create(admin, parseInputOf('groups.create', { name: 'Managers', appPermissions: ['groups.manage'] }));
      const bob = await powerlessPerson(core, admin);
      await core.groups.addMember(admin, { groupId: managers.id, userId: (bob as { userId: number }).userId });
      expect((await core.groups.create(bob, parseInputOf('groups.create', { name: 'By Bob' }))).name).toBe('By Bob');
      await core.groups.delete(admin, { id: managers.id });
      await expect(async () => core.groups.create(bob, parseInputOf('groups.create', { name: 'Again' }))).rejects.toThrow(ForbiddenError);
    });
  });

  describe('the rights catalogue', () => {
    test('add, update (removing an action takes it from groups), remove; built-in is read-only', async () => {
      const { properties, group } = await seedCatalogue(core, admin);
      expect((await core.rights.list(admin)).map((r) => r.name)).toEqual(['keyrack', 'mail', 'properties']);
      const updated = await core.rights.updateResource(admin, parseInputOf('rights.updateResource', {
        id: properties.id,
        description: 'Property listings',
        actions: ['write'],
        filters: [{ name: 'published_only' }, { name: 'own_only' }],
      }));
      expect(updated).toMatchObject({ description: 'Property listings', actions: ['write'] });
      expect(updated.filters.map((f) => f.name)).toEqual(['own_only', 'published_only']);
      expect(updated.filters.find((f) => f.name === 'published_only')!.id).toBe(properties.filters[0]!.id);
      expect((await core.groups.show(admin, { id: group.id })).rights).toEqual([{ resource: 'mail', action: 'send' }]);
      await core.rights.removeResource(admin, { id: properties.id });
      expect((await core.groups.show(admin, { id: group.id })).filters).toEqual([]);
      const builtin = (await core.rights.list(admin)).find((r) => r.builtin)!;
      expect(builtin).toMatchObject({ name: 'keyrack', actions: ['introspect'] });
      await expect(core.rights.removeResource(admin, { id: builtin.id })).rejects.toThrow(/built in/);
      await expect(core.rights.addResource(admin, parseInputOf('rights.addResource', { name: 'mail', actions: ['send'] }))).rejects.toThrow(ConflictError);
    });
  });

  describe('mailboxes', () => {
    test('create, update, assign, unassign, delete — each logged', async () => {
      const mailbox = await core.mailboxes.create(admin, { address: 'Sales@Example.com', displayName: 'Sales' });
      const { user } = await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'Mailer' }));
      expect((await core.mailboxes.assign(admin, { mailboxId: mailbox.id, userId: user.id })).users).toEqual([{ id: user.id, name: 'Mailer' }]);
      expect((await core.users.effectiveRights(admin, { id: user.id })).mailboxes).toEqual(['Sales@Example.com']);
      expect((await core.mailboxes.update(admin, { id: mailbox.id, displayName: 'Sales team' })).displayName).toBe('Sales team');
      await expect(core.mailboxes.create(admin, parseInputOf('mailboxes.create', { address: 'sales@example.com' }))).rejects.toThrow(ConflictError);
      expect((await core.mailboxes.unassign(admin, { mailboxId: mailbox.id, userId: user.id })).users).toEqual([]);
      await core.mailboxes.delete(admin, { id: mailbox.id });
      expect(await core.mailboxes.list(admin)).toEqual([]);
      expect((await storedEvents(core)).slice(0, 5).map((e) => e.type)).toEqual([
        'mailbox.deleted', 'mailbox.unassigned', 'mailbox.updated', 'mailbox.assigned', 'secret.added',
      ]);
    });

    test('people are not given mailboxes; a person without mailboxes.manage is refused', async () => {
      const mailbox = await core.mailboxes.create(admin, parseInputOf('mailboxes.create', { address: 'a@example.com' }));
      const bob = await powerlessPerson(core, admin);
      await expect(core.mailboxes.assign(admin, { mailboxId: mailbox.id, userId: (bob as { userId: number }).userId })).rejects.toThrow(
        /mailboxes go to API users/,
      );
      await expect(core.mailboxes.create(bob, parseInputOf('mailboxes.create', { address: 'b@example.com' }))).rejects.toThrow(ForbiddenError);
      expect(await storedRows(core, 'mailboxes')).toBe(1);
    });
  });

  test('endpoint-style resource names: segments joined by /, each lowercase letters, digits, _ or -', async () => {
    for (const name of ['orders/import', 'orders/import/v2', 'crm/contacts_sync', 'a/b-c/0']) {
      expect((await core.rights.addResource(admin, parseInputOf('rights.addResource', { name, actions: ['read'] }))).name).toBe(name);
    }
    for (const name of ['/orders', 'orders/', 'orders//import', 'Orders/import', 'orders/im port', '1orders/import', 'orders:import', `a/${'b'.repeat(95)}`]) {
      expect(() => core.rights.addResource(admin, parseInputOf('rights.addResource', { name, actions: ['read'] })), name).toThrow(ValidationError);
    }
  });
});
