import { insertAuditEvent } from '../repos/audit.repo.js';
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
