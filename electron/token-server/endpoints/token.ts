import { checkPolicy } from '../steps/check-policy.js';
import { selectGrant } from '../steps/grant.js';
import { record, subjectOf } from '../steps/record.js';
import { signAccessToken } from '../steps/sign.js';
import { sendJson } from '../http-io.js';
import { clientAuthChain } from './client-auth-chain.js';

/**
 * POST /oauth2/token (RFC 6749 §4.4), as a checklist: parse the form → pick the grant → authenticate the
 * client (the chain, client-auth-chain.ts) → check policy → grant (claims) → sign → record → answer (§5.1).
 * Any step throws an OAuthError; the denial is logged (with its private reason) and answered by toWire (§5.2).
 */
export const tokenEndpoint = clientAuthChain({
  deniedAs: 'token.denied',
  beforeAuthentication: selectGrant,
  async serve(ctx, { params, client, request, res }, grant) {
    const entitlement = await checkPolicy(ctx, client, params);
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
        details: { jti: claims.jti, scope: claims.scope, aud: claims.aud, exp: claims.exp, method: client.method, ...client.credential },
      },
      { ...client.credential, clientId: client.clientId },
    );
    ctx.metrics.tokenIssued();
    // RFC 6749 §5.1; expires_in is exact, since exp - iat is the lifetime.
    sendJson(
      res,
      200,
      JSON.stringify({ access_token: accessToken, token_type: 'Bearer', expires_in: claims.exp - claims.iat, scope: claims.scope }),
    );
  },
});
