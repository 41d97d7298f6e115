import type { ServerResponse } from 'node:http';
import type { TokenServerContext } from '../context.js';
import { sendJson, sendPublicJson } from '../http-io.js';
import { CLIENT_AUTH_METHODS } from '../steps/present-credentials.js';
import { GRANTS } from '../steps/grant.js';

export const PATHS = {
  token: '/oauth2/token',
  introspection: '/oauth2/introspect',
  revocation: '/oauth2/revoke',
  jwks: '/jwks.json',
  metadata: '/.well-known/oauth-authorization-server',
  health: '/healthz',
} as const;

/**
 * RFC 8414 §2 metadata. `issuer` is byte-equal to every token's `iss` (§3.3 makes clients check it);
 * `grant_types_supported` is stated because its default (§2: authorization_code and implicit) is wrong here;
 * there is no authorization endpoint, hence no response types.
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
    introspection_endpoint: at(PATHS.introspection),
    introspection_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    revocation_endpoint: at(PATHS.revocation),
    revocation_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
  });
}

export function metadataEndpoint(res: ServerResponse, document: string): void {
  sendPublicJson(res, document, 300);
}

/** RFC 7517 §5: public keys only; a retired key stays until every token it signed has expired. */
export function jwksEndpoint(ctx: TokenServerContext, res: ServerResponse): void {
  sendPublicJson(res, ctx.keys.jwksJson(), 60);
}

/** Liveness for monitors and `keyrack serve` scripts: the store answers and a signing key is loaded. */
export function healthEndpoint(ctx: TokenServerContext, res: ServerResponse): void {
  ctx.db.prepare('SELECT 1').get();
  ctx.keys.signer();
  sendJson(res, 200, '{"status":"ok"}');
}
