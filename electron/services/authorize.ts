import { appPermissionsOfUser } from '../repos/groups.repo.js';
import { findUserById, type UserRecord } from '../repos/users.repo.js';
import type { Db } from '../db/open.js';
import { ForbiddenError, UnauthenticatedError } from '../../shared/errors.js';
import type { AppPermission, EventType } from '../../shared/domain.js';
import { isAccountLive } from '../../shared/liveness.js';
import { recordEventOnDb } from './audit.js';
import type { Actor, ServiceDeps } from './context.js';

/**
 * The person behind a session or a call, read from the store, if they may act at `now`: the account still
 * exists, is a person's, and is live. The one question both the session check (auth.refresh) and every
 * service's permission check (authorize) ask.
 */
export function livePerson(db: Db, userId: number, now: number): UserRecord | undefined {
  const user = findUserById(db, userId);
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
export function authorize(deps: ServiceDeps, actor: Actor, permission: AppPermission | null, attempted: EventType): void {
  if (actor.kind !== 'person') return;
  if (!livePerson(deps.db, actor.userId, deps.clock.now())) {
    throw new UnauthenticatedError('Your account is no longer active; log in again.');
  }
  if (permission === null || appPermissionsOfUser(deps.db, actor.userId).includes(permission)) return;
  recordEventOnDb(deps, actor, {
    type: attempted,
    outcome: 'failure',
    reason: 'forbidden',
    details: { permission },
  });
  throw new ForbiddenError(`You need permission to ${PERMISSION_WORDS[permission]} to do this.`);
}
