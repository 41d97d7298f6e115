import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { InvalidClientError, OAuthError, RateLimitedError } from '../errors.js';
import type { MetricsEndpoint } from '../metrics.js';
import type { RequestInfo, TokenServerContext } from '../context.js';
import { StoreUnavailableError } from '../../db/store.js';
import { sendError } from '../http-io.js';
import type { PresentedCredentials } from './present-credentials.js';
import { recordDenial } from './record.js';

/** The audit event a refusal is logged as, by endpoint: the token endpoint's, the introspection's, the revocation's. */
export type DenialType =
  | 'token.denied'
  | 'token.introspected'
  | 'token.revoked'
  // The registration endpoints (RFC 7591/7592, endpoints/register.ts).
  | 'registration.created'
  | 'registration.read'
  | 'registration.updated'
  | 'registration.deleted';

const DENIAL_ENDPOINT: Readonly<Record<DenialType, MetricsEndpoint>> = {
  'token.denied': 'token',
  'token.introspected': 'introspect',
  'token.revoked': 'revoke',
  'registration.created': 'register',
  'registration.read': 'register',
  'registration.updated': 'register',
  'registration.deleted': 'register',
};

/**
 * Logs and answers a refused request at any credentialed endpoint (and the registration endpoints), whichever step refused it (the client
 * authentication chain, or server.ts before the body is read). A throttled refusal is logged once per
 * address or client id and window, and answered at the refusal pace; a failed authentication is padded to
 * the failure floor; if the log cannot take the denial, the answer is a bare 500 (503 when the store is
 * unreachable: then nothing was decided, and nothing is logged).
 */
export async function deny(
  ctx: TokenServerContext,
  res: ServerResponse,
  request: RequestInfo,
  error: unknown,
  creds: PresentedCredentials | undefined,
  type: DenialType = 'token.denied',
): Promise<void> {
  if (error instanceof StoreUnavailableError) {
    // No decision was made: the store could not be asked. Not logged (the log is in that store, and waiting
    // for it again would hold the answer); 503 with Retry-After, so the client or balancer retries at once.
    ctx.metrics.refused(DENIAL_ENDPOINT[type], 'store_unavailable');
    sendError(res, error);
    return;
  }
  // Every refusal is counted, also the throttled ones the log samples.
  ctx.metrics.refused(DENIAL_ENDPOINT[type], error instanceof OAuthError ? error.reason : 'internal_error');
  let logged: Promise<void> | undefined;
  if (error instanceof RateLimitedError) {
    const key = `${error.reason}:${error.reason === 'rate_limited_client' ? creds?.clientId : request.ip}`;
    const skipped = ctx.throttledLog.admit(key, ctx.clock.now());
    if (skipped >= 0) {
      logged = recordDenial(ctx, type, request, error, { clientId: creds?.clientId }, skipped > 0 ? { skipped } : {});
    }
  } else {
    logged = recordDenial(ctx, type, request, error, { clientId: creds?.clientId });
  }
  if (error instanceof InvalidClientError) {
    // Every failed authentication takes the same time, whatever failed (see FailureFloor).
    const wait = request.startedAt + ctx.failureFloor.ms - performance.now();
    if (wait > 0) await sleep(wait);
  }
  try {
    await logged;
  } catch (logFailed) {
    // The denial could not be logged: 503 when the store is unreachable, else 500 like any failure of ours.
    sendError(res, logFailed instanceof StoreUnavailableError ? logFailed : undefined);
    return;
  }
  if (error instanceof RateLimitedError) {
    // At the refusal pace; a refusal pushed out of a full queue loses its connection instead.
    ctx.refusals.pace(() => sendError(res, error), () => res.destroy());
    return;
  }
  sendError(res, error);
}
