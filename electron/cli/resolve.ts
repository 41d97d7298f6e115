import { CLIENT_ID_PREFIX } from '../../shared/domain.js';
import { NotFoundError } from '../../shared/errors.js';
import { findUserIdByClientId } from '../repos/credentials.repo.js';
import { findGroupByName } from '../repos/groups.repo.js';
import { findMailboxByAddress } from '../repos/mailboxes.repo.js';
import { findUserById, findUserByName } from '../repos/users.repo.js';
import type { ResourceInfo } from '../../shared/dto.js';
import type { Core } from '../core.js';
import type { Actor } from '../services/context.js';

/**
 * The CLI names things the way people do (a user by name, client id or id; a group by name; a mailbox by
 * address) and turns them into the ids the services take.
 */
export async function resolveUserId(core: Core, ref: string): Promise<number> {
  const { store } = core.deps;
  const byId = /^\d+$/.test(ref) ? await findUserById(store, Number(ref)) : undefined;
  if (byId) return byId.id;
  if (ref.startsWith(CLIENT_ID_PREFIX)) {
    const id = await findUserIdByClientId(store, ref);
    if (id !== undefined) return id;
  }
  const byName = await findUserByName(store, ref);
  if (byName) return byName.id;
  throw new NotFoundError(`The user "${ref}"`);
}

export async function resolveGroupId(core: Core, ref: string): Promise<number> {
  const group = await findGroupByName(core.deps.store, ref);
  if (group) return group.id;
  if (/^\d+$/.test(ref)) return Number(ref);
  throw new NotFoundError(`The group "${ref}"`);
}

/** Each of `refs` in order (the first that names nothing is the one reported). */
export async function resolveGroupIds(core: Core, refs: readonly string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const ref of refs) ids.push(await resolveGroupId(core, ref));
  return ids;
}

export async function resolveMailboxId(core: Core, ref: string): Promise<number> {
  const mailbox = await findMailboxByAddress(core.deps.store, ref);
  if (mailbox) return mailbox.id;
  if (/^\d+$/.test(ref)) return Number(ref);
  throw new NotFoundError(`The mailbox "${ref}"`);
}

/** Each of `refs` in order (the first that names nothing is the one reported). */
export async function resolveMailboxIds(core: Core, refs: readonly string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const ref of refs) ids.push(await resolveMailboxId(core, ref));
  return ids;
}

/** A resource of the rights catalogue by name (or id). */
export async function resolveResource(core: Core, actor: Actor, ref: string): Promise<ResourceInfo> {
  const resources = await core.rights.list(actor);
  const found = resources.find((r) => r.name === ref) ?? (/^\d+$/.test(ref) ? resources.find((r) => r.id === Number(ref)) : undefined);
  if (!found) throw new NotFoundError(`The resource "${ref}"`);
  return found;
}

/** A record filter as typed on the command line, `resource:filter`, to its id. */
export async function resolveFilterId(core: Core, actor: Actor, ref: string): Promise<number> {
  const at = ref.lastIndexOf(':');
  if (at <= 0) throw new NotFoundError(`The record filter "${ref}" (write resource:filter)`);
  const resource = await resolveResource(core, actor, ref.slice(0, at));
  const filter = resource.filters.find((f) => f.name === ref.slice(at + 1));
  if (!filter) throw new NotFoundError(`The record filter "${ref}"`);
  return filter.id;
}

/** Each of `refs` in order (the first that names nothing is the one reported). */
export async function resolveFilterIds(core: Core, actor: Actor, refs: readonly string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const ref of refs) ids.push(await resolveFilterId(core, actor, ref));
  return ids;
}
