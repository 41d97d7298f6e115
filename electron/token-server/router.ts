import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { TLSSocket } from 'node:tls';
import type { clientIp as defaultClientIp } from '../net/client-ip.js';
import type { RequestInfo, TokenServerContext } from './context.js';
import { InvalidRequestError } from './errors.js';
import { sendError, sendJson } from './http-io.js';
import { healthEndpoint, jwksEndpoint, liveEndpoint, metadataEndpoint, PATHS } from './endpoints/discovery.js';
import { metricsEndpoint } from './endpoints/metrics.js';
import type { MetricsEndpoint } from './metrics.js';
import { introspectionEndpoint } from './endpoints/introspect.js';
import { revocationEndpoint } from './endpoints/revoke.js';
import { tokenEndpoint } from './endpoints/token.js';
import { registrationClientOf, registrationDenialType, registrationEndpoint } from './endpoints/register.js';
import { deny } from './steps/deny.js';
import { isLoopback } from './listen-address.js';
import { MAIL_PATH } from '../mail/mail-path.js';
import { earlyRefusal } from './steps/authenticate-client.js';

export interface RouterOptions {
  /** The server speaks HTTPS. */
  tls: boolean;
  clientIp: typeof defaultClientIp;
  /** The RFC 8414 metadata document, known once the server listens (its issuer names the real port). */
  metadata: () => string;
}

/**
 * The token server's request handler: works out the client's address (RequestInfo), then routes by path to
 * a fixed table of endpoints (and the registration paths, RFC 7591/7592); whatever an endpoint throws becomes an RFC 6749 §5.2 answer (sendError).
 */
export function tokenServerRouter(ctx: TokenServerContext, options: RouterOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { clientIp, tls } = options;
  return (req, res) => {
    const socketAddress = req.socket.remoteAddress ?? '';
    const forwarded = req.headers['x-forwarded-for'];
    const request: RequestInfo = {
      ip: clientIp(socketAddress, typeof forwarded === 'string' ? forwarded : undefined, ctx.config.trustedProxies),
      startedAt: performance.now(),
    };
    route(ctx, req, res, request, options.metadata, tls)
      .catch((error: unknown) => sendError(res, error))
      .finally(() => {
        const observe = () => ctx.metrics.answered(endpointOf(req.url), res.statusCode, (performance.now() - request.startedAt) / 1000);
        // A paced refusal (refusal-pacer.ts) is answered after its endpoint returned: timed when it is sent.
        if (res.writableEnded) observe();
        else res.once('finish', observe);
      });
  };
}

/** The endpoint a request URL names, for the latency histogram's label: a fixed set, whatever was asked. */
const ENDPOINT_NAMES: Readonly<Record<string, MetricsEndpoint>> = {
  [PATHS.token]: 'token',
  [PATHS.introspection]: 'introspect',
  [PATHS.revocation]: 'revoke',
  [PATHS.jwks]: 'jwks',
  [PATHS.metadata]: 'metadata',
  [PATHS.health]: 'health',
  [PATHS.live]: 'health',
  [PATHS.metrics]: 'metrics',
  [PATHS.registration]: 'register',
};

function endpointOf(url: string | undefined): MetricsEndpoint {
  const path = (url ?? '/').split('?', 1)[0]!;
  if (Object.hasOwn(ENDPOINT_NAMES, path)) return ENDPOINT_NAMES[path]!;
  return registrationClientOf(path) !== undefined ? 'register' : 'other';
}

type Handler = (ctx: TokenServerContext, req: IncomingMessage, res: ServerResponse, request: RequestInfo) => Promise<void>;

/** The three endpoints that take client credentials: POST, form body, TLS unless loopback. */
const CREDENTIALED: Readonly<Record<string, Handler>> = {
  [PATHS.token]: tokenEndpoint,
  [PATHS.introspection]: introspectionEndpoint,
  [PATHS.revocation]: revocationEndpoint,
};

async function route(
  ctx: TokenServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  request: RequestInfo,
  metadata: () => string,
  tls: boolean,
): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const credentialed = Object.hasOwn(CREDENTIALED, path) ? CREDENTIALED[path] : undefined;
  if (credentialed) {
    if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
    const refusal = transportRefusal(ctx, req, q >= 0, tls);
    // Refused before the body is read; still a denial, so it is logged like any other.
    if (refusal) return deny(ctx, res, request, refusal, undefined, DENIAL_TYPE[path]);
    // A throttled address or client id is refused from the headers: a flood's refusals cost no body reading,
    // form parsing or digest (issue 17, item 2); their answers are paced (refusal-pacer.ts).
    const early = await earlyRefusal(ctx, req.headers.authorization, request.ip);
    if (early) return deny(ctx, res, request, early.error, early.creds, DENIAL_TYPE[path]);
    return credentialed(ctx, req, res, request);
  }
  const registration = registrationClientOf(path);
  if (registration !== undefined) {
    // RFC 7591 §3 / RFC 7592 §2: bearer tokens, so the same transport rules as client credentials.
    const allowed = registration === null ? ['POST'] : ['GET', 'PUT', 'DELETE'];
    if (!allowed.includes(req.method ?? '')) return methodNotAllowed(res, allowed.join(', '));
    const refusal = transportRefusal(ctx, req, q >= 0, tls);
    if (refusal) return deny(ctx, res, request, refusal, undefined, registrationDenialType(req.method, registration));
    return registrationEndpoint(ctx, req, res, request, registration);
  }
  const read = req.method === 'GET' || req.method === 'HEAD';
  switch (path) {
    case PATHS.metadata:
      return read ? metadataEndpoint(res, metadata()) : methodNotAllowed(res, 'GET, HEAD');
    case PATHS.jwks:
      return read ? jwksEndpoint(ctx, res) : methodNotAllowed(res, 'GET, HEAD');
    case PATHS.health:
      return read ? healthEndpoint(ctx, res) : methodNotAllowed(res, 'GET, HEAD');
    case PATHS.live:
      return read ? liveEndpoint(res) : methodNotAllowed(res, 'GET, HEAD');
    case PATHS.metrics:
      return read ? metricsEndpoint(ctx, res, request) : methodNotAllowed(res, 'GET, HEAD');
    case MAIL_PATH:
      // The mail relay's JSON endpoint, while the relay runs (electron/mail/http-endpoint.ts).
      if (ctx.mailEndpoint) return ctx.mailEndpoint(req, res, request);
      return sendJson(res, 404, JSON.stringify({ error: 'invalid_request', error_description: 'The mail relay is not running' }));
    default:
      sendJson(res, 404, JSON.stringify({ error: 'invalid_request', error_description: 'No such endpoint' }));
  }
}

const DENIAL_TYPE: Readonly<Record<string, 'token.denied' | 'token.introspected' | 'token.revoked'>> = {
  [PATHS.token]: 'token.denied',
  [PATHS.introspection]: 'token.introspected',
  [PATHS.revocation]: 'token.revoked',
};

/**
 * Why a credentialed request is refused before its body is read, if it is: parameters in the URL
 * (RFC 6749 §2.3.1: credentials MUST NOT travel in the request URI), or credentials over plain HTTP from
 * another machine without the admin's opt-in (RFC 6749 §2.3.1 and §3.2 require TLS).
 */
export function transportRefusal(
  ctx: Pick<TokenServerContext, 'config'>,
  req: Pick<IncomingMessage, 'socket'>,
  hasQuery: boolean,
  tls: boolean,
): InvalidRequestError | undefined {
  if (hasQuery) return new InvalidRequestError('Parameters go in the POST body, never in the URL', 'query_string');
  if (!tls && !ctx.config.plainHttpAllowed && !(req.socket as TLSSocket).encrypted && !loopbackSocket(req.socket)) {
    return new InvalidRequestError('Credentials are accepted only over TLS', 'plain_http');
  }
  return undefined;
}

/** Whether a connection comes from this machine, worked out once per connection (keep-alive reuses it). */
const loopbackSockets = new WeakMap<Socket, boolean>();
function loopbackSocket(socket: Socket): boolean {
  let loopback = loopbackSockets.get(socket);
  if (loopback === undefined) {
    loopback = isLoopback(socket.remoteAddress ?? '');
    loopbackSockets.set(socket, loopback);
  }
  return loopback;
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  sendJson(res, 405, JSON.stringify({ error: 'invalid_request', error_description: `Use ${allow}` }), { allow });
}
