import type { Actor } from '../../electron/services/context.js';
import type { TestCore } from './core.js';
import { parseInputOf } from '../../shared/contract.js';
import { searchAuditEvents } from '../../electron/repos/audit-search.repo.js';

/** A person with no group: logged in, but holding no app permission. */
export async function powerlessPerson(core: TestCore, admin: Actor, name = 'bob'): Promise<Actor> {
  const person = await core.users.createPerson(admin, parseInputOf('users.createPerson', { name, password: 'another long password' }));
  return { kind: 'person', userId: person.id, name: person.name };
}

/** A catalogue, a group with rights and a filter, and a mailbox: what an API user is usually created with. */
export async function seedCatalogue(core: TestCore, admin: Actor) {
  const properties = await core.rights.addResource(admin, parseInputOf('rights.addResource', {
    name: 'properties',
    actions: ['read', 'write', 'delete'],
    filters: [{ name: 'published_only', description: 'Only records published on the website' }],
  }));
  const mail = await core.rights.addResource(admin, parseInputOf('rights.addResource', { name: 'mail', actions: ['send'] }));
  const group = await core.groups.create(admin, parseInputOf('groups.create', {
    name: 'Website',
    rights: [
      { resource: 'properties', action: 'read' },
      { resource: 'mail', action: 'send' },
    ],
    filterIds: [properties.filters[0]!.id],
  }));
  const mailbox = await core.mailboxes.create(admin, { address: 'info@example.com', displayName: 'Info' });
  return { properties, mail, group, mailbox };
}

export function countRows(core: TestCore, table: string): number {
  return (core.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

/** The newest 500 events, newest first (read straight from the log, so reading them logs nothing). */
export function events(core: TestCore) {
  return searchAuditEvents(core.db, parseInputOf('log.search', { limit: 500 })).rows;
}
