import { availableParallelism, networkInterfaces } from 'node:os';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { TLSSocket } from 'node:tls';
import ipaddr from 'ipaddr.js';
import type { TokenServerSettings } from '../../shared/token-server.dto.js';
import { TLS_SERVER_OPTIONS } from '../crypto/tls.js';
import type { AllowlistChecker } from '../net/allowlist-checker.js';
import { clientIp as defaultClientIp, isTrustedProxy } from '../net/client-ip.js';
import type { ServiceDeps } from '../services/context.js';
import type { SigningKeysService } from '../services/signing-keys.service.js';
import { MAX_LIVE_SECRETS } from '../services/secrets.service.js';
import { CLIENT_ADDRESS_MAX_AGE_MS, findClientAddressSeenAt, pruneClientAddresses } from '../repos/client-addresses.repo.js';
import { inlineAuditSink, workerAuditSink, type AuditSink } from './audit-sink.js';
import { AuditWriter } from './audit-writer.js';
import { FailureFloor, type RequestInfo, type TokenServerContext } from './context.js';
import { InvalidRequestError } from './errors.js';
import { GrantFactsCache } from './grant-facts.js';
import { sendError, sendJson } from './http-io.js';
import { KeyRing } from './key-ring.js';
import { BackoffLimiter, KnownAddresses, LogSampler, type BackoffPolicy } from './rate-limit.js';
import { VerifiedSecretCache } from './secret-cache.js';
import { WorkLimiter } from './work-limit.js';
import { healthEndpoint, jwksEndpoint, metadataDocument, metadataEndpoint, PATHS } from './endpoints/discovery.js';
import { introspectionEndpoint } from './endpoints/introspect.js';
import { revocationEndpoint } from './endpoints/revoke.js';
import { tokenEndpoint } from './endpoints/token.js';
import { RefusalPacer } from './refusal-pacer.js';
import { earlyRefusal } from './steps/authenticate-client.js';
import { deny } from './steps/deny.js';

/** Knobs with production defaults; tests turn some of them down. */
export interface TokenServerTuning {
  /** How long a verified secret's digest answers without argon2 (secret-cache.ts). */
  secretCacheTtlMs: number;
  /** argon2id verifications at once, and how many may wait. */
  argon2Concurrency: number;
  argon2Queue: number;
  /** The least time a failed client authentication takes (it grows with the measured argon2 time). */
  failureFloorMinMs: number;
  /** The argon2id verification time assumed until some are measured (the floor follows the measurements). */
  failureFloorInitialVerifyMs: number;
  /** The most a failure is padded to, however slow verifications get. */
  failureFloorMaxMs: number;
  /** How long rights, mailboxes and allowlists are reused (grant-facts.ts). */
  factsTtlMs: number;
  addressBackoff: BackoffPolicy;
  clientBackoff: BackoffPolicy;
  /** How long an address a client authenticated from counts as its own (the store keeps them this long). */
  knownAddressMs: number;
  /** Throttled requests answered per second after a burst, and how many may wait (refusal-pacer.ts). */
  refusalsPerSecond: number;
  refusalBurst: number;
  refusalQueue: number;
  /** Open connections from one address (trusted proxies excepted); more are closed at once. */
  connectionsPerAddress: number;
}

export const DEFAULT_TUNING: TokenServerTuning = {
  secretCacheTtlMs: 5 * 60_000,
  argon2Concurrency: Math.max(1, Math.min(4, availableParallelism())),
  argon2Queue: 64,
  failureFloorMinMs: 50,
  failureFloorInitialVerifyMs: 25,
  failureFloorMaxMs: 3_000,
  factsTtlMs: 1_000,
  addressBackoff: { freeFailures: 10, firstDelayMs: 1_000, maxDelayMs: 15 * 60_000, resetAfterMs: 60 * 60_000, maxKeys: 100_000 },
  clientBackoff: { freeFailures: 5, firstDelayMs: 1_000, maxDelayMs: 15 * 60_000, resetAfterMs: 60 * 60_000, maxKeys: 100_000 },
  knownAddressMs: CLIENT_ADDRESS_MAX_AGE_MS,
  refusalsPerSecond: 500,
  refusalBurst: 200,
  refusalQueue: 4096,
  connectionsPerAddress: 256,
};

export interface TokenServerOptions {
  deps: ServiceDeps;
  keys: SigningKeysService;
  settings: TokenServerSettings;
  allowlist: AllowlistChecker;
  /** PEM key and certificate: the server speaks HTTPS. Without them, HTTP. */
  tls?: { key: string; cert: string } | undefined;
  /** Overrides of the settings' listening address (`keyrack serve --host --port`, tests' port 0). */
  host?: string | undefined;
  port?: number | undefined;
  clientIp?: typeof defaultClientIp;
  tuning?: Partial<TokenServerTuning>;
  /**
   * Where the audit log's batches are committed: on a worker thread with its own connection (default), so
   * commits do not stop the event loop, or inline on the server's connection. If the worker cannot start,
   * the server writes inline and says so through `log`.
   */
  auditWriter?: 'worker' | 'inline' | undefined;
  /** The better-sqlite3 binary for the worker's connection when not this Node's (the Electron app's). */
  nativeBinding?: string | undefined;
  /** Operational messages; never secrets. */
  log?: ((message: string) => void) | undefined;
}

export interface RunningTokenServer {
  /** The base URL the server listens on (with the real port). */
  readonly url: string;
  readonly issuer: string;
  readonly tls: boolean;
  readonly host: string;
  readonly port: number;
  readonly context: TokenServerContext;
  /** Drops what the server remembers about a user (verified secrets, rights): call on disable, delete, revoke. */
  forgetUser(userId: number): void;
  /** Stops accepting, finishes the requests in flight, flushes the log. */
  close(): Promise<void>;
}

/** How long a stop waits for requests in flight before it closes their connections. */
const CLOSE_GRACE_MS = 5_000;

/** The port is taken: `keyrack serve` prints this and exits. */
export class PortInUseError extends Error {
  override name = 'PortInUseError';
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(`Port ${port} on ${host} is already in use; stop the other program or choose another port with --port`);
  }
}

/** Plain HTTP was asked for on a LAN address without the explicit opt-in. */
export class PlainHttpRefusedError extends Error {
  override name = 'PlainHttpRefusedError';
}

export function isLoopback(address: string): boolean {
  try {
    const parsed = ipaddr.process(address);
    return parsed.range() === 'loopback';
  } catch {
    return address === 'localhost';
  }
}

/**
 * Starts the token server: node:http (or https) with a fixed route table. node:http rather than Fastify:
 * measured on the token workload it served about 14 % more requests a second, and the few things a
 * framework would add (routing six paths, form parsing with RFC rules of our own, error bodies that must
 * be exactly RFC 6749 §5.2) are each a few lines here.
 */
export async function startTokenServer(options: TokenServerOptions): Promise<RunningTokenServer> {
  const tuning = { ...DEFAULT_TUNING, ...options.tuning };
  const { settings, deps } = options;
  const host = options.host ?? (settings.lanAccess ? settings.host : '127.0.0.1');
  const port = options.port ?? settings.port;
  const useTls = options.tls !== undefined;
  if (!useTls && !isLoopback(host) && !settings.plainHttpOnLan) {
    throw new PlainHttpRefusedError(
      `Refusing to serve plain HTTP on ${host}: client secrets would cross the LAN unencrypted. ` +
        'Use TLS, or turn on the plain-HTTP-on-LAN setting explicitly.',
    );
  }

  // Clients that stopped calling a month ago are no longer known anywhere (client-addresses.repo.ts).
  pruneClientAddresses(deps.db, deps.clock.now());
  const keys = new KeyRing(deps.db, deps.clock, options.keys, settings.signingAlg);
  keys.start();
  const audit = new AuditWriter(await auditSinkFor(options));
  const ctx: TokenServerContext = {
    db: deps.db,
    clock: deps.clock,
    passwords: deps.passwords,
    config: {
      issuer: '', // set once the port is known
      defaultAudience: settings.defaultAudience,
      audiences: new Set([settings.defaultAudience, ...settings.audiences]),
      tokenLifetimeSeconds: settings.tokenLifetimeSeconds,
      trustedProxies: settings.trustedProxies,
      plainHttpAllowed: settings.plainHttpOnLan,
    },
    keys,
    secrets: new VerifiedSecretCache(tuning.secretCacheTtlMs),
    verifying: new Map(),
    facts: new GrantFactsCache(deps.db, tuning.factsTtlMs),
    allowlist: options.allowlist,
    addressFailures: new BackoffLimiter(tuning.addressBackoff),
    clientFailures: new BackoffLimiter(tuning.clientBackoff),
    knownAddresses: new KnownAddresses(tuning.knownAddressMs, (clientId, ip) => findClientAddressSeenAt(deps.db, clientId, ip)),
    throttledLog: new LogSampler(60_000),
    argon2: new WorkLimiter(tuning.argon2Concurrency, tuning.argon2Queue),
    refusals: new RefusalPacer(tuning.refusalsPerSecond, tuning.refusalBurst, tuning.refusalQueue),
    audit,
    // The slowest failure checks every live secret and a few ended ones.
    failureFloor: new FailureFloor(MAX_LIVE_SECRETS + 3, tuning.failureFloorMinMs, tuning.failureFloorInitialVerifyMs, tuning.failureFloorMaxMs),
  };
  const clientIp = options.clientIp ?? defaultClientIp;
  let metadata = '';

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const socketAddress = req.socket.remoteAddress ?? '';
    const forwarded = req.headers['x-forwarded-for'];
    const request: RequestInfo = {
      ip: clientIp(socketAddress, typeof forwarded === 'string' ? forwarded : undefined, ctx.config.trustedProxies),
      startedAt: performance.now(),
    };
    route(ctx, req, res, request, metadata, useTls).catch((error: unknown) => sendError(res, error));
  };

  const server: Server = useTls
    ? createHttpsServer({ key: options.tls!.key, cert: options.tls!.cert, ...TLS_SERVER_OPTIONS }, handle)
    : createHttpServer(handle);
  capConnectionsPerAddress(server, tuning.connectionsPerAddress, settings.trustedProxies);
  // Bounded time for headers and body: a slow client cannot hold a connection open forever.
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  server.keepAliveTimeout = 10_000;
  try {
    await listen(server, host, port);
  } catch (error) {
    await audit.close(); // the worker thread, if any, must not outlive a server that never started
    throw error;
  }
  const actualPort = (server.address() as AddressInfo).port;
  const scheme = useTls ? 'https' : 'http';
  const url = `${scheme}://${urlHost(host)}:${actualPort}`;
  ctx.config.issuer = settings.issuer ?? url;
  metadata = metadataDocument(ctx);

  return {
    url,
    issuer: ctx.config.issuer,
    tls: useTls,
    host,
    port: actualPort,
    context: ctx,
    forgetUser(userId) {
      ctx.secrets.dropUser(userId);
      ctx.facts.drop(userId);
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        ctx.refusals.flush();
        // Keep-alive connections become idle as their last request finishes: close each then, not after
        // keepAliveTimeout; a client that still holds a request open after the grace period is cut off.
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        const deadline = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        server.once('close', () => {
          clearInterval(sweep);
          clearTimeout(deadline);
        });
        server.closeIdleConnections();
      });
      await audit.close();
    },
  };
}

async function auditSinkFor(options: TokenServerOptions): Promise<AuditSink> {
  const log = options.log;
  const inline = () => inlineAuditSink(options.deps.db, log && ((message) => log(`token server: ${message}`)));
  if (options.auditWriter === 'inline') return inline();
  try {
    return await workerAuditSink(options.deps.db, { nativeBinding: options.nativeBinding, log });
  } catch (error) {
    log?.(`token server: audit log written on the main thread (${(error as Error).message})`);
    return inline();
  }
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
  metadata: string,
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
    const early = earlyRefusal(ctx, req.headers.authorization, request.ip);
    if (early) return deny(ctx, res, request, early.error, early.creds, DENIAL_TYPE[path]);
    return credentialed(ctx, req, res, request);
  }
  const read = req.method === 'GET' || req.method === 'HEAD';
  switch (path) {
    case PATHS.metadata:
      return read ? metadataEndpoint(res, metadata) : methodNotAllowed(res, 'GET, HEAD');
    case PATHS.jwks:
      return read ? jwksEndpoint(ctx, res) : methodNotAllowed(res, 'GET, HEAD');
    case PATHS.health:
      return read ? healthEndpoint(ctx, res) : methodNotAllowed(res, 'GET, HEAD');
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

/**
 * At most `cap` open connections per source address: one machine cannot hold the server's sockets (each
 * costs memory and, with TLS, a handshake) however many it opens. Counted on the TCP socket, before any TLS
 * or HTTP work; a trusted proxy carries many clients and is not capped.
 */
function capConnectionsPerAddress(server: Server, cap: number, trustedProxies: readonly string[]): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    if (isTrustedProxy(address, trustedProxies)) return;
    const count = open.get(address) ?? 0;
    if (count >= cap) {
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  sendJson(res, 405, JSON.stringify({ error: 'invalid_request', error_description: `Use ${allow}` }), { allow });
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(host, port) : error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** The host part of the server's URL: a wildcard address becomes the machine's first LAN address. */
function urlHost(host: string): string {
  let shown = host;
  if (host === '0.0.0.0' || host === '::') {
    shown = '127.0.0.1';
    for (const entries of Object.values(networkInterfaces())) {
      const lan = entries?.find((e) => !e.internal && e.family === 'IPv4');
      if (lan) {
        shown = lan.address;
        break;
      }
    }
  }
  return shown.includes(':') ? `[${shown}]` : shown;
}
