import { availableParallelism } from 'node:os';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TokenServerSettings } from '../../shared/token-server.dto.js';
import { TLS_SERVER_OPTIONS } from '../crypto/tls.js';
import type { AllowlistChecker } from '../net/allowlist-checker.js';
import { clientIp as defaultClientIp, isTrustedProxy } from '../net/client-ip.js';
import type { ServiceDeps } from '../services/context.js';
import type { SigningKeysService } from '../services/signing-keys.service.js';
import { CLIENT_ADDRESS_MAX_AGE_MS } from '../repos/client-addresses.repo.js';
import { createTokenServerContext, type TokenServerContext } from './context.js';
import { metadataDocument } from './endpoints/discovery.js';
import { chooseTransport, listenHostFor, serverUrl } from './listen-address.js';
import type { BackoffPolicy } from './rate-limit.js';
import { tokenServerRouter } from './router.js';

/**
 * The token server, in three parts: its context (what the endpoints use, built by context.ts), its router
 * (router.ts: path to endpoint), and here the listening: the HTTP(S) server, its limits on connections and
 * time, the address and URL, and a stop that lets requests in flight finish.
 */

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
  /**
   * PostgreSQL: how long one statement (or the wait for a connection) may take before the request is
   * answered 503 (the store counts as unreachable). Far above a healthy round trip (well under 10 ms on a
   * LAN), low enough that a cut-off node answers within a second.
   */
  storeDeadlineMs: number;
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
  storeDeadlineMs: 600,
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
  /** This node's name in /metrics (default: the host name), so a dashboard tells the nodes apart. */
  nodeName?: string | undefined;
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

/**
 * Starts the token server: node:http (or https) with a fixed route table. node:http rather than Fastify:
 * measured on the token workload it served about 14 % more requests a second, and the few things a
 * framework would add (routing six paths, form parsing with RFC rules of our own, error bodies that must
 * be exactly RFC 6749 §5.2) are each a few lines of our own.
 */
export async function startTokenServer(options: TokenServerOptions): Promise<RunningTokenServer> {
  const tuning = { ...DEFAULT_TUNING, ...options.tuning };
  const { settings } = options;
  const host = listenHostFor(settings, options.host);
  const port = options.port ?? settings.port;
  const useTls = options.tls !== undefined;
  if (!useTls && chooseTransport(host, settings) === 'tls') {
    throw new PlainHttpRefusedError(
      `Refusing to serve plain HTTP on ${host}: client secrets would cross the LAN unencrypted. ` +
        'Use TLS, or turn on the plain-HTTP-on-LAN setting explicitly.',
    );
  }

  const ctx = await createTokenServerContext(options, tuning);
  const { audit } = ctx;
  let metadata = '';
  const handle = tokenServerRouter(ctx, { tls: useTls, clientIp: options.clientIp ?? defaultClientIp, metadata: () => metadata });

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
    ctx.releaseStore();
    throw error;
  }
  const actualPort = (server.address() as AddressInfo).port;
  const url = serverUrl(useTls ? 'https' : 'http', host, actualPort);
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
      ctx.releaseStore(); // the server's own connection (context.ts), after the last batch was written on it
    },
  };
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
