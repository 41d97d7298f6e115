import { INTROSPECT_SCOPE } from '../../../shared/domain.js';
import { isAccountLive } from '../../../shared/liveness.js';
import { verifyAccessToken } from '../../crypto/token-signer.js';
import { findTokenClient } from '../../repos/token-clients.repo.js';
import { isTokenRevoked } from '../../repos/token-revocations.repo.js';
import { InvalidRequestError, UnauthorizedClientError } from '../errors.js';
import type { TokenServerContext } from '../context.js';
import { sendJson } from '../http-io.js';
import { hasApiUser } from '../steps/authenticate-client.js';
import type { FormParams } from '../steps/parse-form.js';
import { record, subjectOf } from '../steps/record.js';
import { clientAuthChain } from './client-auth-chain.js';

/**
 * POST /oauth2/introspect (RFC 7662). The caller authenticates like at the token endpoint (401 otherwise),
 * from an allowed address, and must hold the built-in right `keyrack:introspect` (403 otherwise). A token
 * is active when this server signed it with a key it still publishes, for this issuer, it has not expired,
 * it was not revoked, and its client's user is still live (active, not expired). Everything else is `{"active": false}` and
 * nothing more (§2.2), so the answer never tells why.
 */
export const introspectionEndpoint = clientAuthChain({
  deniedAs: 'token.introspected',
  async serve(ctx, { params, client: caller, request, res }) {
    if (!(await ctx.facts.get(caller.userId, ctx.clock.now())).scopes.has(INTROSPECT_SCOPE)) {
      throw new UnauthorizedClientError(`This client lacks the ${INTROSPECT_SCOPE} right`, 'introspect_not_granted', 403);
    }
    const token = requireToken(params);
    const claims = await activeClaims(ctx, token);
    await record(ctx, 'token.introspected', request, subjectOf(caller), {
      reason: null,
      details: { active: claims !== null, jti: claims?.jti ?? null, tokenClientId: claims?.client_id ?? null },
    });
    sendJson(res, 200, JSON.stringify(claims ? { active: true, ...claims, token_type: 'Bearer' } : { active: false }));
  },
});

export function requireToken(params: FormParams): string {
  const token = params.get('token');
  if (token === undefined) throw new InvalidRequestError('token is required', 'missing_token');
  return token;
}

/** The claims of a token that is active now, else null. */
export async function activeClaims(ctx: TokenServerContext, token: string): Promise<Record<string, unknown> & { jti: string; client_id: string } | null> {
  const payload = await verifiedClaims(ctx, token);
  if (!payload) return null;
  if (await isTokenRevoked(ctx.store, payload.jti)) return null;
  const client = await findTokenClient(ctx.store, payload.client_id);
  if (!client || !hasApiUser(client) || !isAccountLive(client, ctx.clock.now())) return null;
  return payload;
}

/** Signature, issuer, type and expiry checked; null for anything this server did not issue or that expired. */
export async function verifiedClaims(
  ctx: TokenServerContext,
  token: string,
): Promise<(Record<string, unknown> & { jti: string; client_id: string; exp: number }) | null> {
  const payload = await verifyAccessToken(token, await ctx.keys.publicKeys(), {
    issuer: ctx.config.issuer,
    currentDate: new Date(ctx.clock.now()),
  });
  if (!payload || typeof payload.jti !== 'string' || typeof payload.client_id !== 'string' || typeof payload.exp !== 'number') {
    return null;
  }
  return payload as Record<string, unknown> & { jti: string; client_id: string; exp: number };
}
