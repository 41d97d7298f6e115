import { StoreUnavailableError } from '../db/store.js';

/**
 * OAuth errors, one class per code of RFC 6749 §5.2 (and RFC 8707 §2 for `invalid_target`). Each carries a
 * fixed public description (the only text that reaches the wire) and a private `reason` plus `detail` that
 * go to the audit log only. `toWire` is the one function that decides status, headers and body; anything
 * that is not an OAuthError becomes a bare 500 `server_error` with nothing of its message.
 */

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'invalid_token'
  | 'invalid_client_metadata'
  | 'temporarily_unavailable'
  | 'server_error';

/** The realm of the Basic challenge (RFC 7617 §2) on every 401. */
export const REALM = 'keyrack';

export abstract class OAuthError extends Error {
  abstract readonly code: OAuthErrorCode;
  readonly status: number = 400;
  /** Short, stable, log-only: why exactly (e.g. `secret_revoked`). Never on the wire. */
  readonly reason: string;

  constructor(
    /** The public `error_description` (RFC 6749 §5.2): fixed text that tells the integrator what to fix. */
    readonly description: string,
    reason?: string,
    /** Log-only detail (names and ids only, never a secret). */
    readonly detail?: Record<string, unknown>,
  ) {
    super(description);
    this.reason = reason ?? 'invalid';
  }

  headers(): Record<string, string> {
    return {};
  }
}

/** §5.2: missing, repeated or malformed parameter, wrong content type, more than one auth method. */
export class InvalidRequestError extends OAuthError {
  readonly code = 'invalid_request';
  override readonly status: number;
  constructor(description: string, reason = 'malformed_request', status = 400, detail?: Record<string, unknown>) {
    super(description, reason, detail);
    this.status = status;
  }
}

/**
 * §5.2: client authentication failed. Always 401 with a Basic challenge: the RFC requires it when the client
 * used the Authorization header, and RFC 9110 §15.5.2 requires a challenge on every 401. The public text is
 * the same for an unknown client, a wrong secret, a revoked or expired secret and a disabled user.
 */
export class InvalidClientError extends OAuthError {
  readonly code = 'invalid_client';
  override readonly status = 401;
  constructor(reason: string, detail?: Record<string, unknown>) {
    super('Client authentication failed', reason, detail);
  }
  override headers(): Record<string, string> {
    return { 'www-authenticate': `Basic realm="${REALM}", charset="UTF-8"` };
  }
}

export class UnauthorizedClientError extends OAuthError {
  readonly code = 'unauthorized_client';
  override readonly status: number;
  constructor(description: string, reason: string, status = 400) {
    super(description, reason);
    this.status = status;
  }
}

export class UnsupportedGrantTypeError extends OAuthError {
  readonly code = 'unsupported_grant_type';
  constructor() {
    super('Only the client_credentials grant is supported', 'unsupported_grant_type');
  }
}

export class InvalidScopeError extends OAuthError {
  readonly code = 'invalid_scope';
  constructor(description: string, reason = 'scope_not_granted', detail?: Record<string, unknown>) {
    super(description, reason, detail);
  }
}

/** RFC 8707 §2: the requested resource (audience) is not one this server issues tokens for. */
export class InvalidTargetError extends OAuthError {
  readonly code = 'invalid_target';
  constructor(detail?: Record<string, unknown>) {
    super('The requested resource or audience is not known to this server', 'unknown_audience', detail);
  }
}

/**
 * RFC 6750 §3.1: the bearer token of a registration request (RFC 7591 §3: the activation code, an initial
 * access token; RFC 7592 §3: the registration access token) is missing, unknown, expired, used up or revoked.
 * 401 with the Bearer challenge naming the error (RFC 6750 §3); the same public text whatever was wrong.
 */
export class InvalidTokenError extends OAuthError {
  readonly code = 'invalid_token';
  override readonly status = 401;
  constructor(description: string, reason: string, detail?: Record<string, unknown>) {
    super(description, reason, detail);
  }
  override headers(): Record<string, string> {
    return { 'www-authenticate': 'Bearer error="invalid_token"' };
  }
}

/** RFC 7591 §3.2.2: a client metadata value is invalid, or asks for more than the activation allows. */
export class InvalidClientMetadataError extends OAuthError {
  readonly code = 'invalid_client_metadata';
  constructor(description: string, reason = 'invalid_client_metadata', detail?: Record<string, unknown>) {
    super(description, reason, detail);
  }
}

/**
 * Too many failed authentications (or the verifier is saturated): 429 with Retry-After (RFC 6585 §4).
 * RFC 6749 has no code for it; `invalid_request` is the generic one.
 */
export class RateLimitedError extends OAuthError {
  readonly code = 'invalid_request';
  override readonly status = 429;
  constructor(
    readonly retryAfterSeconds: number,
    reason = 'rate_limited',
    description = 'Too many failed attempts; retry after the number of seconds in Retry-After',
  ) {
    // No stack: refusals are a flood's hot path (issue 17, item 2), capturing one costs more than the rest
    // of the refusal, and a refusal's stack is never logged.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(description, reason);
    Error.stackTraceLimit = limit;
  }
  override headers(): Record<string, string> {
    return { 'retry-after': String(Math.max(1, Math.ceil(this.retryAfterSeconds))) };
  }
}

export class ServerError extends OAuthError {
  readonly code = 'server_error';
  override readonly status = 500;
  constructor(reason = 'internal_error') {
    super('The server could not complete the request', reason);
  }
}

/**
 * The store is unreachable (a PostgreSQL node cut off from its database): 503 with Retry-After, so clients
 * and load balancers try again, or another node, at once instead of treating it as a failed grant.
 * `temporarily_unavailable` is RFC 6749 §4.1.2.1's code for exactly this (registered for the authorization
 * endpoint; the token endpoint has none of its own, and libraries surface the code as it is).
 */
export class TemporarilyUnavailableError extends OAuthError {
  readonly code = 'temporarily_unavailable';
  override readonly status = 503;
  constructor() {
    super('The server cannot reach its store right now; retry after the number of seconds in Retry-After', 'store_unavailable');
  }
  override headers(): Record<string, string> {
    return { 'retry-after': '1' };
  }
}

export interface WireError {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** RFC 6749 §5.2 body, with the §5.1 cache headers (an error must not be cached either). */
export function toWire(error: unknown): WireError {
  const e = error instanceof OAuthError ? error : error instanceof StoreUnavailableError ? new TemporarilyUnavailableError() : new ServerError();
  return {
    status: e.status,
    headers: e.headers(),
    body: JSON.stringify({ error: e.code, error_description: e.description }),
  };
}
