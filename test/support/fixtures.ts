import type { Core } from '../../electron/core.js';
import type { Actor } from '../../electron/services/context.js';
import type { TestCore } from './core.js';
import { parseInputOf } from '../../shared/contract.js';
import { chainWalker, parseChainAnchor, type StoredChainRow } from '../../electron/repos/audit.repo.js';
import { rowToEvent, searchAuditEvents, type AuditRow } from '../../electron/repos/audit-search.repo.js';

/** A person with no group: logged in, but holding no app permission. */
export async function powerlessPerson(core: Core, admin: Actor, name = 'bob'): Promise<Actor> {
  const person = await core.users.createPerson(admin, parseInputOf('users.createPerson', { name, password: 'another long password' }));
  return { kind: 'person', userId: person.id, name: person.name };
}

/** A catalogue, a group with rights and a filter, and a mailbox: what an API user is usually created with. */
export async function seedCatalogue(core: Core, admin: Actor) {
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

/** countRows through the core's store: the same count on SQLite and on PostgreSQL. */
export async function storedRows(core: Core, table: string): Promise<number> {
  return (await core.deps.store.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n;
}

/** events() through the core's store: the newest 500 events, newest first, on SQLite and on PostgreSQL. */
export async function storedEvents(core: Core) {
  const rows = await core.deps.store.all<AuditRow>(
    'SELECT id, at, actor_kind, actor_id, actor_name, type, target_user_id, target_name, outcome, reason, source_ip, details FROM audit_events ORDER BY id DESC LIMIT 500',
  );
  return rows.map(rowToEvent);
}

/** Every row of a table, through the core's store, in a stable order. */
export function storedTable<R = Record<string, unknown>>(core: Core, table: string): Promise<R[]> {
  return core.deps.store.all<R>(`SELECT * FROM ${table} ORDER BY 1`);
}

/**
 * The log's hash chain walked through the core's store, as `keyrack log verify` walks it on SQLite (the same
 * walker): how many events it checked, and the first problem, or null.
 */
export async function storedChain(core: Core) {
  const anchor = await core.deps.store.get<{ value: string }>(`SELECT value FROM settings WHERE key = 'audit.chain_anchor'`);
  const walker = chainWalker(anchor ? parseChainAnchor(anchor.value) : undefined);
  for (const row of await core.deps.store.all<StoredChainRow>('SELECT * FROM audit_events ORDER BY id')) {
    const problem = walker.step(row);
    if (problem) return { checked: walker.checked, problem };
  }
  return { checked: walker.checked, problem: null };
}
