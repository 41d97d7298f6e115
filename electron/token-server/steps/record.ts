import type { EventType } from '../../../shared/domain.js';
import type { NewAuditEvent } from '../../repos/audit.repo.js';
import type { CredentialRef } from '../../repos/token-events.repo.js';
import { OAuthError } from '../errors.js';
import type { RequestInfo, TokenServerContext } from '../context.js';
import type { AuthenticatedClient } from './authenticate-client.js';

export interface Subject {
  clientId?: string | null;
  userId?: number | null;
  userName?: string | null;
}

/** Who the log names for a request an authenticated client made: the client and its API user. */
export const subjectOf = (client: AuthenticatedClient) => ({
  clientId: client.clientId,
  userId: client.userId,
  userName: client.userName,
});

/**
 * Step 6: the audit event of an issuance or a denial (client id, user, source address, outcome, reason,
 * jti; never a secret or a token) and, on success, the credential's last use. Resolves once both are durable
 * (group commit, audit-writer.ts): only then may the response leave.
 */
export function record(
  ctx: TokenServerContext,
  type: EventType,
  request: RequestInfo,
  subject: Subject,
  outcome: { reason: string | null; details?: Record<string, unknown> },
  use?: CredentialRef & { clientId: string },
): Promise<void> {
  const at = ctx.clock.now();
  const clientId = subject.clientId ?? null;
  const details: Record<string, unknown> = { clientId: clientId?.slice(0, 80) ?? null, ...outcome.details };
  // On a shared store: which node decided (context.ts, IssuerConfig.node).
  if (ctx.config.node !== null) details.node = ctx.config.node;
  const event: NewAuditEvent = {
    at,
    actorKind: 'api',
    actorId: subject.userId ?? null,
    // The actor is the client as it presented itself; an unknown id is shown as given, shortened.
    actorName: subject.userName ?? (clientId ? clientId.slice(0, 80) : 'anonymous'),
    type,
    targetUserId: subject.userId ?? null,
    targetName: subject.userName ?? null,
    outcome: outcome.reason === null ? 'success' : 'failure',
    reason: outcome.reason,
    sourceIp: request.ip,
    details,
  };
  return ctx.audit.append(event, use && { ...use, at, ip: request.ip });
}

/** The log entry of a refused request: reason and subject from the error, code as sent. */
export function recordDenial(
  ctx: TokenServerContext,
  type: EventType,
  request: RequestInfo,
  error: unknown,
  fallback: Subject,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const e = error instanceof OAuthError ? error : undefined;
  const detail = (e?.detail ?? {}) as Record<string, unknown> & Subject;
  const { clientId, userId, userName, ...rest } = detail;
  return record(
    ctx,
    type,
    request,
    {
      clientId: clientId ?? fallback.clientId ?? null,
      userId: userId ?? fallback.userId ?? null,
      userName: userName ?? fallback.userName ?? null,
    },
    { reason: e?.reason ?? 'internal_error', details: { error: e?.code ?? 'server_error', ...rest, ...extra } },
  );
}
