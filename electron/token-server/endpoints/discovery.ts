import type { ServerResponse } from 'node:http';
import type { TokenServerContext } from '../context.js';
import { sendJson, sendPublicJson } from '../http-io.js';
import { CLIENT_KEY_ALGS } from '../../../shared/domain.js';
import { CLIENT_AUTH_METHODS } from '../steps/present-credentials.js';
import { GRANTS } from '../steps/grant.js';

export const PATHS = {
  token: '/oauth2/token',
  introspection: '/oauth2/introspect',
  revocation: '/oauth2/revoke',
  /** RFC 7591 §3; RFC 7592 reads, updates and deletes at `<registration>/<client_id>`. */
  registration: '/oauth2/register',
  jwks: '/jwks.json',
  metadata: '/.well-known/oauth-authorization-server',
  health: '/healthz',
  live: '/livez',
  metrics: '/metrics',
} as const;

/**
 * RFC 8414 §2 metadata. `issuer` is byte-equal to every token's `iss` (§3.3 makes clients check it);
 * `grant_types_supported` is stated because its default (§2: authorization_code and implicit) is wrong here;
 * there is no authorization endpoint, hence no response types. The `*_auth_signing_alg_values_supported`
 * lists are the algorithms a private_key_jwt assertion may be signed with (§2; never `none`, never HMAC).
 */
export function metadataDocument(ctx: TokenServerContext): string {
  const at = (path: string) => new URL(path, ctx.config.issuer).href;
  return JSON.stringify({
    issuer: ctx.config.issuer,
    token_endpoint: at(PATHS.token),
    jwks_uri: at(PATHS.jwks),
    grant_types_supported: Object.keys(GRANTS),
    response_types_supported: [],
    token_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    token_endpoint_auth_signing_alg_values_supported: CLIENT_KEY_ALGS,
    introspection_endpoint: at(PATHS.introspection),
    introspection_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    introspection_endpoint_auth_signing_alg_values_supported: CLIENT_KEY_ALGS,
    revocation_endpoint: at(PATHS.revocation),
    revocation_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    revocation_endpoint_auth_signing_alg_values_supported: CLIENT_KEY_ALGS,
    // RFC 8414 §2 (from RFC 7591 §3): where a service registers itself with an activation code.
    registration_endpoint: at(PATHS.registration),
  });
}

export function metadataEndpoint(res: ServerResponse, document: string): void {
  sendPublicJson(res, document, 300);
}

/** RFC 7517 §5: public keys only; a retired key stays until every token it signed has expired. */
export async function jwksEndpoint(ctx: TokenServerContext, res: ServerResponse): Promise<void> {
  sendPublicJson(res, await ctx.keys.jwksJson(), 60);
}

/**
 * Readiness, for load balancers and monitors: 200 `{"status":"ready"}` when the store answers and a signing
 * key is loaded; otherwise 503 `{"status":"alive","problem":…}` with Retry-After: the process runs, but a
 * balancer should send token requests to another node for now. /livez answers whether the process serves at
 * all (for a supervisor deciding whether to restart it: a store that is down is no reason to).
 */
export async function healthEndpoint(ctx: TokenServerContext, res: ServerResponse): Promise<void> {
  const problem = await notReadyBecause(ctx);
  if (problem === null) return sendJson(res, 200, '{"status":"ready"}');
  sendJson(res, 503, JSON.stringify({ status: 'alive', problem }), { 'retry-after': '1' });
}

export function liveEndpoint(res: ServerResponse): void {
  sendJson(res, 200, '{"status":"alive"}');
}

async function notReadyBecause(ctx: TokenServerContext): Promise<'store_unavailable' | 'no_signing_key' | null> {
  try {
    await ctx.store.get('SELECT 1');
  } catch {
    return 'store_unavailable';
  }
  try {
    // The ring returns no signer (or throws reading it) when no usable key is loaded.
    return ((await ctx.keys.signer()) as unknown) ? null : 'no_signing_key';
  } catch {
    return 'no_signing_key';
  }
}
