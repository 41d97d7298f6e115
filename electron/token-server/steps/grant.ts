import { randomUUID } from 'node:crypto';
import { InvalidRequestError, UnsupportedGrantTypeError } from '../errors.js';
import type { TokenServerContext } from '../context.js';
import type { AuthenticatedClient } from './authenticate-client.js';
import type { Entitlement } from './check-policy.js';
import type { FormParams } from './parse-form.js';

/** RFC 9068 §2.2 claims of one access token (plus Keyrack's `mailboxes` and record `filters`). */
export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string;
  client_id: string;
  iat: number;
  exp: number;
  jti: string;
  scope: string;
  mailboxes?: string[];
  filters?: Record<string, string[]>;
}

export type Grant = (ctx: TokenServerContext, client: AuthenticatedClient, entitlement: Entitlement) => AccessTokenClaims;

/**
 * RFC 6749 §4.4: the client is the resource owner. RFC 9068 §2.2 asks for `sub` to identify the client in
 * this grant, so `sub` is the client id (one per API user, never reused). Lifetime: the user's own if set,
 * else the server's.
 */
export const clientCredentialsGrant: Grant = (ctx, client, entitlement) => {
  const iat = Math.floor(ctx.clock.now() / 1000);
  const lifetime = client.tokenLifetimeSeconds ?? ctx.config.tokenLifetimeSeconds;
  const claims: AccessTokenClaims = {
    iss: ctx.config.issuer,
    sub: client.clientId,
    aud: entitlement.audience,
    client_id: client.clientId,
    iat,
    exp: iat + lifetime,
    jti: randomUUID(),
    scope: entitlement.scopes.join(' '),
  };
  if (entitlement.facts.mailboxes.length > 0) claims.mailboxes = entitlement.facts.mailboxes;
  // The user's filters are already only those of resources it holds a right on (shared/rights.ts); a token
  // asked for fewer scopes carries only the filters of the resources in its own scope.
  const inScope = new Set(entitlement.scopes.map((s) => s.slice(0, s.lastIndexOf(':'))));
  const filters = Object.fromEntries(Object.entries(entitlement.facts.filters).filter(([resource]) => inScope.has(resource)));
  if (Object.keys(filters).length > 0) claims.filters = filters;
  return claims;
};

/** One module per grant type, by its `grant_type` value. Adding one: write it, list it here and in the metadata. */
export const GRANTS: Readonly<Record<string, Grant>> = { client_credentials: clientCredentialsGrant };

/** Picks the grant before any expensive work: an unsupported grant type never costs an argon2 verification. */
export function selectGrant(params: FormParams): Grant {
  const type = params.get('grant_type');
  if (type === undefined) throw new InvalidRequestError('grant_type is required', 'missing_grant_type');
  const grant = Object.hasOwn(GRANTS, type) ? GRANTS[type] : undefined;
  if (!grant) throw new UnsupportedGrantTypeError();
  return grant;
}
