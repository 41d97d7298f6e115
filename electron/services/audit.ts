import { insertAuditEvent } from '../repos/audit.repo.js';
import { appPermissionsOfUser } from '../repos/groups.repo.js';
import { findUserById } from '../repos/users.repo.js';
import { ForbiddenError, UnauthenticatedError } from '../../shared/errors.js';
import type { AppPermission, EventType, Outcome } from '../../shared/domain.js';
import type { Actor, ServiceDeps } from './context.js';

export interface EventSpec {
  type: EventType;
  target?: { id: number; name: string } | undefined;
  outcome?: Outcome;
  reason?: string;
  sourceIp?: string | null;
  /** Names and ids only: never a secret, password, token or file content. */
  details?: Record<string, unknown>;
}

/** Appends one audit event. Call inside the transaction of the change it describes. */
export function recordEvent(deps: ServiceDeps, actor: Actor, spec: EventSpec): void {
  insertAuditEvent(deps.db, {
    at: deps.clock.now(),
    actorKind: actor.kind,
    actorId: actor.kind === 'person' ? actor.userId : null,
    actorName: actor.name,
    type: spec.type,
    targetUserId: spec.target?.id ?? null,
    targetName: spec.target?.name ?? null,
    outcome: spec.outcome ?? 'success',
    reason: spec.reason ?? null,
    sourceIp: spec.sourceIp ?? null,
    details: spec.details ?? null,
  });
}

const PERMISSION_WORDS: Record<AppPermission, string> = {
  'users.manage': 'manage users',
  'groups.manage': 'manage groups and rights',
  'mailboxes.manage': 'manage mailboxes',
  'log.view': 'view the log',
  'server.manage': 'run the token server',
};

/**
 * Refuses (and logs the refusal) unless the actor may do this. Persons must be active and hold the
 * permission through a group; the CLI and the system hold every permission.
 */
export function authorize(deps: ServiceDeps, actor: Actor, permission: AppPermission | null, attempted: EventType): void {
  if (actor.kind !== 'person') return;
  const person = findUserById(deps.db, actor.userId);
  if (!person || person.kind !== 'person' || person.status !== 'active' ||
      (person.expiresAt !== null && person.expiresAt <= deps.clock.now())) {
    throw new UnauthenticatedError('Your account is no longer active; log in again.');
  }
  if (permission === null || appPermissionsOfUser(deps.db, actor.userId).includes(permission)) return;
  recordEvent(deps, actor, {
    type: attempted,
    outcome: 'failure',
    reason: 'forbidden',
    details: { permission },
  });
  throw new ForbiddenError(`You need permission to ${PERMISSION_WORDS[permission]} to do this.`);
}
