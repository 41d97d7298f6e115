import { checkpointKeyOf } from '../repos/audit-checkpoint.repo.js';
import { insertAuditEvent, type NewAuditEvent } from '../repos/audit.repo.js';
import type { Queryable } from '../db/store.js';
import type { EventType, Outcome } from '../../shared/domain.js';
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

/**
 * Appends one audit event. Call inside the transaction of the change it describes, with its Queryable
 * (`tx`), so the event commits or rolls back with the change. Given the store itself (an event that
 * describes no row change, such as a certificate file replaced), it appends in a transaction of its own.
 */
export async function recordEvent(tx: Queryable, deps: ServiceDeps, actor: Actor, spec: EventSpec): Promise<void> {
  await appendEvent(tx, deps, eventOf(deps, actor, spec));
}

/** An event whose actor is not an Actor (a login attempt is made by the name that was typed). */
export async function appendEvent(tx: Queryable, deps: ServiceDeps, event: NewAuditEvent): Promise<void> {
  // The checkpoint key is held per connection (audit-checkpoint.repo.ts); phase 2 of issue 10 moves it into deps.
  await insertAuditEvent(tx, event, checkpointKeyOf(deps.db));
}

function eventOf(deps: ServiceDeps, actor: Actor, spec: EventSpec): NewAuditEvent {
  return {
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
  };
}
