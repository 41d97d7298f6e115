import type { GrantFacts } from '../grant-facts.js';
import { InvalidRequestError, InvalidScopeError, InvalidTargetError } from '../errors.js';
import type { TokenServerContext } from '../context.js';
import type { FormParams } from './parse-form.js';
import type { AuthenticatedClient } from './authenticate-client.js';
import { subjectOf } from './record.js';

/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
const MAX_SCOPES = 200;

export interface Entitlement {
  facts: GrantFacts;
  /** The scopes the token will carry, in a stable order. */
  scopes: string[];
  audience: string;
}

/**
 * Step 3: may this client have what it asks for? (Whether its user may act at all, and from where, is its
 * standing, checked while authenticating: check-standing.ts.) The requested scopes (RFC 6749 §3.3) must all
 * be among the user's effective rights, and no scope means all of them; the audience, asked with `resource`
 * (RFC 8707) or `audience`, must be one the admin configured, and none means the default.
 */
export async function checkPolicy(
  ctx: TokenServerContext,
  client: AuthenticatedClient,
  params: FormParams,
): Promise<Entitlement> {
  const facts = await ctx.facts.get(client.userId, ctx.clock.now());
  return { facts, scopes: grantedScopes(facts, params.get('scope'), client), audience: audienceOf(ctx, params) };
}

/** The scopes asked for, all of which the user must hold; none asked: every one it holds. */
export function grantedScopes(facts: GrantFacts, requested: string | undefined, client: AuthenticatedClient): string[] {
  if (requested === undefined) {
    if (facts.scopeList.length === 0) {
      throw new InvalidScopeError('This client holds no rights, so there is nothing to put in a token', 'no_rights', subjectOf(client));
    }
    return [...facts.scopeList];
  }
  const asked = requested.split(' ').filter((s) => s !== '');
  if (asked.length === 0 || asked.length > MAX_SCOPES || !asked.every((s) => SCOPE_TOKEN.test(s))) {
    throw new InvalidScopeError('The scope parameter is malformed', 'malformed_scope', subjectOf(client));
  }
  const unique = [...new Set(asked)];
  const missing = unique.filter((s) => !facts.scopes.has(s));
  if (missing.length > 0) {
    throw new InvalidScopeError('The requested scope exceeds the rights of this client', 'scope_not_granted', {
      ...subjectOf(client),
      missing: missing.slice(0, 20).map((s) => s.slice(0, 100)),
    });
  }
  return unique;
}

function audienceOf(ctx: TokenServerContext, params: FormParams): string {
  const resource = params.get('resource');
  const audience = params.get('audience');
  if (resource !== undefined && audience !== undefined && resource !== audience) {
    throw new InvalidRequestError('Give the audience once, as resource or as audience', 'two_audiences');
  }
  const asked = resource ?? audience;
  if (asked === undefined) return ctx.config.defaultAudience;
  if (!ctx.config.audiences.has(asked)) throw new InvalidTargetError({ audience: asked.slice(0, 200) });
  return asked;
}
