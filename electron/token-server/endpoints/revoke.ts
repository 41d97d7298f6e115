import { insertRevokedToken, purgeExpiredRevocations } from '../../repos/token-revocations.repo.js';
import { sendEmpty } from '../http-io.js';
import { record, subjectOf } from '../steps/record.js';
import { clientAuthChain } from './client-auth-chain.js';
import { requireToken, verifiedClaims } from './introspect.js';

/**
 * POST /oauth2/revoke (RFC 7009). The client authenticates and may revoke only its own tokens (§2.1: the
 * server checks the token was issued to the client making the request). An unknown, foreign, forged or
 * expired token changes nothing, and the answer is 200 all the same (§2.2), so it reveals nothing. A
 * revoked token introspects inactive from the next request on; the token_type_hint is not needed (only
 * access tokens exist here) and is ignored, as §2.1 allows.
 */
export const revocationEndpoint = clientAuthChain({
  deniedAs: 'token.revoked',
  async serve(ctx, { params, client: caller, request, res }) {
    const token = requireToken(params);
    const claims = await verifiedClaims(ctx, token);
    const own = claims !== null && claims.client_id === caller.clientId;
    if (own) {
      const now = ctx.clock.now();
      await ctx.store.transaction(async (tx) => {
        await insertRevokedToken(tx, claims.jti, caller.clientId, claims.exp * 1000, now);
        await purgeExpiredRevocations(tx, now);
      });
    }
    await record(ctx, 'token.revoked', request, subjectOf(caller), {
      reason: own ? null : claims ? 'foreign_token' : 'unknown_token',
      details: { jti: claims?.jti ?? null },
    });
    sendEmpty(res);
  },
});
