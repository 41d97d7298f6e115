import { appPermissionsOfUser } from '../repos/groups.repo.js';
import { findUserById, type UserRecord } from '../repos/users.repo.js';
import type { Queryable } from '../db/store.js';
import { ForbiddenError, UnauthenticatedError } from '../../shared/errors.js';
import type { AppPermission, EventType } from '../../shared/domain.js';
import { isAccountLive } from '../../shared/liveness.js';
import { recordEvent } from './audit.js';
import type { Actor, ServiceDeps } from './context.js';

/**
 * The person behind a session or a call, read from the store, if they may act at `now`: the account still
 * exists, is a person's, and is live. The one question both the session check (auth.refresh) and every
 * service's permission check (authorize) ask.
 */
export async function livePerson(q: Queryable, userId: number, now: number): Promise<UserRecord | undefined> {
  const user = await findUserById(q, userId);
  return user && user.kind === 'person' && isAccountLive(user, now) ? user : undefined;
}

const PERMISSION_WORDS: Record<AppPermission, string> = {
  'users.manage': 'manage users',
  'groups.manage': 'manage groups and rights',
  'mailboxes.manage': 'manage mailboxes',
  'log.view': 'view the log',
  'server.manage': 'run the token server',
};

/**
 * Refuses (and logs the refusal) unless the actor may do this. Persons must be live and hold the
 * permission through a group; the CLI and the system hold every permission.
 */
export async function authorize(deps: ServiceDeps, actor: Actor, permission: AppPermission | null, attempted: EventType): Promise<void> {
  if (actor.kind !== 'person') return;
  if (!(await livePerson(deps.store, actor.userId, deps.clock.now()))) {
    throw new UnauthenticatedError('Your account is no longer active; log in again.');
  }
  if (permission === null || (await appPermissionsOfUser(deps.store, actor.userId)).includes(permission)) return;
  await recordEvent(deps.store, deps, actor, {
    type: attempted,
    outcome: 'failure',
    reason: 'forbidden',
    details: { permission },
  });
  throw new ForbiddenError(`You need permission to ${PERMISSION_WORDS[permission]} to do this.`);
}
