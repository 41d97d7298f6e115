import { CLIENT_ID_PREFIX } from '../../shared/domain.js';
import { NotFoundError } from '../../shared/errors.js';
import { findUserIdByClientId } from '../repos/credentials.repo.js';
import { findGroupByName } from '../repos/groups.repo.js';
import { findMailboxByAddress } from '../repos/mailboxes.repo.js';
import { findUserById, findUserByName } from '../repos/users.repo.js';
import type { Core } from '../core.js';

/**
 * The CLI names things the way people do (a user by name, client id or id; a group by name; a mailbox by
 * address) and turns them into the ids the services take.
 */
export function resolveUserId(core: Core, ref: string): number {
  const byId = /^\d+$/.test(ref) ? findUserById(core.db, Number(ref)) : undefined;
  if (byId) return byId.id;
  if (ref.startsWith(CLIENT_ID_PREFIX)) {
    const id = findUserIdByClientId(core.db, ref);
    if (id !== undefined) return id;
  }
  const byName = findUserByName(core.db, ref);
  if (byName) return byName.id;
  throw new NotFoundError(`The user "${ref}"`);
}

export function resolveGroupId(core: Core, ref: string): number {
  const group = findGroupByName(core.db, ref);
  if (group) return group.id;
  if (/^\d+$/.test(ref)) return Number(ref);
  throw new NotFoundError(`The group "${ref}"`);
}

export function resolveMailboxId(core: Core, ref: string): number {
  const mailbox = findMailboxByAddress(core.db, ref);
  if (mailbox) return mailbox.id;
  if (/^\d+$/.test(ref)) return Number(ref);
  throw new NotFoundError(`The mailbox "${ref}"`);
}
