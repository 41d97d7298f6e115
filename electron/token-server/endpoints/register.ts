import type { IncomingMessage, ServerResponse } from 'node:http';
import { REGISTRATION_AUTH_METHODS, type RegistrationAuthMethod } from '../../../shared/activations.dto.js';
import { CONTROL_CHARACTER } from '../../../shared/text.js';
import { clientNameProblem, RegistrationRefused, type ClientMetadata, type RegistrationRequest } from '../../services/activations.service.js';
import type { RequestInfo, TokenServerContext } from '../context.js';
import { InvalidClientMetadataError, InvalidTokenError, OAuthError, RateLimitedError } from '../errors.js';
import { readJsonBody, sendJson } from '../http-io.js';
import { deny, type DenialType } from '../steps/deny.js';
import { PATHS } from './discovery.js';

/**
 * POST /oauth2/register (RFC 7591 §3) and GET, PUT, DELETE /oauth2/register/<client_id> (RFC 7592 §2), as
 * a checklist: throttle → the bearer token (the activation code, or the registration access token) → the
 * JSON metadata → the service (services/activations.service.ts) → answer. Every refusal is logged (reason
 * in the log only; never the code, a token or a secret) and answered as RFC 6750 §3.1 / RFC 7591 §3.2.2 say.
 *
 * A wrong code counts against the address like a failed client authentication at the token endpoint (the
 * same back-off, ctx.addressFailures), and a throttled address is refused (429) at the same refusal pace.
 */
export async function registrationEndpoint(
  ctx: TokenServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  request: RequestInfo,
  clientId: string | null,
): Promise<void> {
  const type = registrationDenialType(req.method, clientId);
  const now = ctx.clock.now();
  const wait = ctx.addressFailures.waitFor(request.ip, now);
  if (wait > 0) return deny(ctx, res, request, new RateLimitedError(wait / 1000, 'rate_limited_address'), undefined, type);
  const where: RegistrationRequest = { sourceIp: request.ip, issuer: ctx.config.issuer };
  let token: string | undefined;
  try {
    token = bearerToken(req.headers.authorization);
    const readMetadata = async () => clientMetadata(await readJsonBody(req));
    if (clientId === null) {
      const answer = await ctx.registrations.register(token, readMetadata, where);
      return sendJson(res, answer.status, JSON.stringify(answer.body));
    }
    switch (req.method) {
      case 'GET': {
        const answer = await ctx.registrations.readRegistration(clientId, token, where);
        return sendJson(res, answer.status, JSON.stringify(answer.body));
      }
      case 'PUT': {
        const answer = await ctx.registrations.updateRegistration(clientId, token, readMetadata, where);
        return sendJson(res, answer.status, JSON.stringify(answer.body));
      }
      default: {
        await ctx.registrations.deregister(clientId, token, where);
        // RFC 7592 §2.3: 204, no body; still not to be cached.
        res.writeHead(204, { 'cache-control': 'no-store', pragma: 'no-cache' });
        res.end();
        return;
      }
    }
  } catch (error) {
    const refusal = asOAuthError(error);
    // Only a wrong bearer token is a guess; a bad body from the holder of a good code is not.
    if (refusal instanceof InvalidTokenError) ctx.addressFailures.fail(request.ip, ctx.clock.now());
    return deny(ctx, res, request, refusal, undefined, type);
  }
}

/** The audit event a request to the registration paths is logged as. */
export function registrationDenialType(method: string | undefined, clientId: string | null): DenialType {
  if (clientId === null) return 'registration.created';
  return method === 'GET' ? 'registration.read' : method === 'PUT' ? 'registration.updated' : 'registration.deleted';
}

/** The path's client id, for RFC 7592 (`/oauth2/register/<client_id>`), or null for the registration endpoint itself. */
export function registrationClientOf(path: string): string | null | undefined {
  if (path === PATHS.registration) return null;
  if (!path.startsWith(`${PATHS.registration}/`)) return undefined;
  const rest = path.slice(PATHS.registration.length + 1);
  if (rest === '' || rest.includes('/')) return undefined;
  try {
    return decodeURIComponent(rest);
  } catch {
    return undefined;
  }
}

/** RFC 6750 §2.1: `Authorization: Bearer <token>` (the scheme in any case); undefined when absent or malformed. */
function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  return match?.[1];
}

/** The service's refusals as RFC answers; an OAuthError passes; anything else becomes server_error. */
function asOAuthError(error: unknown): unknown {
  if (error instanceof RegistrationRefused) {
    return error.code === 'invalid_token'
      ? new InvalidTokenError(error.description, error.reason, error.detail)
      : new InvalidClientMetadataError(error.description, error.reason, error.detail);
  }
  if (error instanceof OAuthError) return error;
  // A rule of the users or keys service (a name taken meanwhile, too many keys): the vendor's to fix.
  if (error instanceof Error && (error.name === 'ValidationError' || error.name === 'ConflictError')) {
    return new InvalidClientMetadataError(error.message.slice(0, 300), 'invalid_client_metadata');
  }
  return error;
}

const MAX_CONTACTS = 10;
const MAX_TEXT = 200;

/**
 * RFC 7591 §2 client metadata, read strictly where Keyrack acts on a value and leniently where the RFC says
 * to ignore (unknown members). Anything wrong is invalid_client_metadata naming the member.
 */
export function clientMetadata(body: unknown): ClientMetadata {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bad('The body must be a JSON object of client metadata');
  const m = body as Record<string, unknown>;

  const clientName = optionalText(m, 'client_name');
  if (clientName !== null) {
    const problem = clientNameProblem(clientName);
    if (problem) throw bad(`client_name: ${problem}`);
  }

  // §2: the default is client_secret_basic.
  const method = m.token_endpoint_auth_method ?? 'client_secret_basic';
  if (typeof method !== 'string' || !(REGISTRATION_AUTH_METHODS as readonly string[]).includes(method)) {
    throw bad(`token_endpoint_auth_method must be one of ${REGISTRATION_AUTH_METHODS.join(', ')}`);
  }

  // The server never fetches a URL a client names (no requests to wherever a registration points).
  if (m.jwks_uri !== undefined) throw bad('jwks_uri is not supported: this server does not fetch URLs; send the public keys inline as jwks');
  let jwks: Record<string, unknown>[] | null = null;
  if (m.jwks !== undefined) {
    const keys = (m.jwks as { keys?: unknown } | null)?.keys;
    if (typeof m.jwks !== 'object' || m.jwks === null || !Array.isArray(keys) || !keys.every((k) => typeof k === 'object' && k !== null && !Array.isArray(k))) {
      throw bad('jwks must be a JWK Set: {"keys": [ … ]}');
    }
    jwks = keys as Record<string, unknown>[];
  }

  let scope: string[] | null = null;
  if (m.scope !== undefined) {
    if (typeof m.scope !== 'string') throw bad('scope must be a string of space-separated scopes');
    const asked = m.scope.split(' ').filter((s) => s !== '');
    if (asked.length === 0 || asked.length > 200 || !asked.every((s) => /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(s))) throw bad('scope is malformed');
    scope = asked;
  }

  // Only what this server does: client_credentials, no redirects.
  if (m.grant_types !== undefined) {
    if (!Array.isArray(m.grant_types) || m.grant_types.some((g) => g !== 'client_credentials')) {
      throw bad('grant_types: this server supports only client_credentials');
    }
  }
  if (m.response_types !== undefined && (!Array.isArray(m.response_types) || m.response_types.length > 0)) {
    throw bad('response_types: this server has no authorization endpoint; leave response_types out or empty');
  }
  if (m.redirect_uris !== undefined && (!Array.isArray(m.redirect_uris) || m.redirect_uris.length > 0)) {
    throw bad('redirect_uris: this server has no redirect-based grants; leave redirect_uris out or empty');
  }

  let contacts: string[] = [];
  if (m.contacts !== undefined) {
    if (!Array.isArray(m.contacts) || m.contacts.length > MAX_CONTACTS || !m.contacts.every((c) => typeof c === 'string' && c.length > 0 && c.length <= 254 && !CONTROL_CHARACTER.test(c))) {
      throw bad(`contacts must be a list of at most ${MAX_CONTACTS} addresses`);
    }
    contacts = m.contacts as string[];
  }

  return {
    clientName,
    authMethod: method as RegistrationAuthMethod,
    jwks,
    scope,
    contacts,
    softwareId: optionalText(m, 'software_id'),
    softwareVersion: optionalText(m, 'software_version'),
  };
}

function optionalText(m: Record<string, unknown>, member: string): string | null {
  const value = m[member];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TEXT || CONTROL_CHARACTER.test(value)) {
    throw bad(`${member} must be text of 1 to ${MAX_TEXT} characters`);
  }
  return value;
}

const bad = (description: string) => new InvalidClientMetadataError(description);

