import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { InvalidClientError, RateLimitedError } from '../errors.js';
import type { RequestInfo, TokenServerContext } from '../context.js';
import { readFormBody, sendError, sendJson } from '../http-io.js';
import { authenticateClient, presentedCredentials, type PresentedCredentials } from '../steps/authenticate-client.js';
import { checkPolicy, subjectOf } from '../steps/check-policy.js';
import { selectGrant } from '../steps/grant.js';
import { parseForm } from '../steps/parse-form.js';
import { record, recordDenial } from '../steps/record.js';
import { signAccessToken } from '../steps/sign.js';

/**
 * POST /oauth2/token (RFC 6749 §4.4), as a checklist: parse the form → pick the grant → authenticate the
 * client → check policy → grant (claims) → sign → record → answer (§5.1). Any step throws an OAuthError;
 * the denial is logged (with its private reason) and answered by toWire (§5.2).
 */
export async function tokenEndpoint(
  ctx: TokenServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  request: RequestInfo,
): Promise<void> {
  let creds: PresentedCredentials | undefined;
  try {
    const params = parseForm(await readFormBody(req));
    const grant = selectGrant(params);
    creds = presentedCredentials(req.headers, params);
    const client = await authenticateClient(ctx, creds, request);
    const entitlement = checkPolicy(ctx, client, params);
    const claims = grant(ctx, client, entitlement);
    // Signed on the thread pool (token-signer.ts): the event loop serves other requests meanwhile.
    const accessToken = await signAccessToken(ctx, claims);
    await record(
      ctx,
      'token.issued',
      request,
      subjectOf(client),
      {
        reason: null,
        details: { jti: claims.jti, scope: claims.scope, aud: claims.aud, exp: claims.exp, method: client.method, secretId: client.secretId },
      },
      { secretId: client.secretId, clientId: client.clientId },
    );
    // RFC 6749 §5.1; expires_in is exact, since exp - iat is the lifetime.
    sendJson(
      res,
      200,
      JSON.stringify({ access_token: accessToken, token_type: 'Bearer', expires_in: claims.exp - claims.iat, scope: claims.scope }),
    );
  } catch (error) {
    await deny(ctx, res, request, error, creds);
  }
}

/** Logs and answers a refused request; shared by the three credentialed endpoints. */
export async function deny(
  ctx: TokenServerContext,
  res: ServerResponse,
  request: RequestInfo,
  error: unknown,
  creds: PresentedCredentials | undefined,
  type: 'token.denied' | 'token.introspected' | 'token.revoked' = 'token.denied',
): Promise<void> {
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
  } catch {
    sendError(res, undefined); // the denial could not be logged: 500, like any failure of ours
    return;
  }
  if (error instanceof RateLimitedError) {
    // At the refusal pace; a refusal pushed out of a full queue loses its connection instead.
    ctx.refusals.pace(() => sendError(res, error), () => res.destroy());
    return;
  }
  sendError(res, error);
}
