import type { TokenServerContext } from '../context.js';
import type { AccessTokenClaims } from './grant.js';

/** Step 5: the compact JWS of the claims under the active key (typ at+jwt, kid, alg: token-signer.ts). */
export async function signAccessToken(ctx: TokenServerContext, claims: AccessTokenClaims): Promise<string> {
  return (await ctx.keys.signer()).sign(claims as unknown as Record<string, unknown>);
}
