import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import type { PasswordHasher } from '../crypto/password.js';
import { openConnection } from '../db/open.js';
import { sqliteStore } from '../db/store-sqlite.js';
import type { Store } from '../db/store.js';
import type { AddressRanges } from '../net/address-ranges.js';
import type { AllowlistChecker } from '../net/allowlist-checker.js';
import { compileAddressList } from '../net/client-ip.js';
import { checkpointKeyOf, useCheckpointKey } from '../repos/audit-checkpoint.repo.js';
import { pruneAssertionJtis } from '../repos/client-assertion-jtis.repo.js';
import { findClientAddressSeenAt, pruneClientAddresses } from '../repos/client-addresses.repo.js';
import { ActivationsService } from '../services/activations.service.js';
import type { Clock, ServiceDeps } from '../services/context.js';
import { MAX_LIVE_SECRETS } from '../services/secrets.service.js';
import { inlineAuditSink, workerAuditSink, type AuditSink } from './audit-sink.js';
import { AuditWriter } from './audit-writer.js';
import { GrantFactsCache } from './grant-facts.js';
import { JtiClaims } from './jti-claims.js';
import { KeyRing } from './key-ring.js';
import { createServerMetrics, type ServerMetrics } from './metrics.js';
import { KEYRACK_VERSION } from '../version.js';
import { BackoffLimiter, KnownAddresses, LogSampler } from './rate-limit.js';
import { RefusalPacer } from './refusal-pacer.js';
import { VerifiedSecretCache } from './secret-cache.js';
import type { TokenServerOptions, TokenServerTuning } from './server.js';
import { WorkLimiter } from './work-limit.js';

/** What the server issues with; fixed while it runs (a settings change takes effect on restart). */
export interface IssuerConfig {
  /** The `iss` claim and the metadata's `issuer`, byte for byte. */
  issuer: string;
  defaultAudience: string;
  /** Every audience a client may ask for, the default included. */
  audiences: ReadonlySet<string>;
  tokenLifetimeSeconds: number;
  trustedProxies: readonly string[];
  /** Credentials over plain HTTP from a non-loopback address: only with the admin's explicit opt-in. */
  plainHttpAllowed: boolean;
  /** Who may read GET /metrics besides this computer; null: the page is off (answered as no such endpoint). */
  metricsReaders: AddressRanges | null;
  /**
   * On a shared store (PostgreSQL), this node's name, written into every token event's details as `node`,
   * so the log says which node decided; null on SQLite, where there is only this machine.
   */
  node: string | null;
}

/** Everything the endpoint steps use, built once per server. */
export interface TokenServerContext {
  /**
   * Where the server reads and writes (serverStore): on SQLite a connection of its own, on PostgreSQL the
   * core's pool. Released by whoever closes the server (releaseStore).
   */
  store: Store;
  /** Closes what serverStore opened for this server (its SQLite connection); after the audit writer closed. */
  releaseStore: () => void;
  clock: Clock;
  passwords: PasswordHasher;
  config: IssuerConfig;
  keys: KeyRing;
  secrets: VerifiedSecretCache;
  /**
   * Verifications in progress, by the cache's digest of (client id, secret) and the address: requests from
   * that address presenting the same credentials meanwhile wait for that one argon2id check instead of each
   * starting their own.
   */
  verifying: Map<string, Promise<void>>;
  facts: GrantFactsCache;
  allowlist: AllowlistChecker;
  /** Failed authentications per source address and per client id. */
  addressFailures: BackoffLimiter;
  clientFailures: BackoffLimiter;
  knownAddresses: KnownAddresses;
  /** Throttled refusals are logged once per address or client id and window. */
  throttledLog: LogSampler;
  argon2: WorkLimiter;
  /** When throttled requests (429) are answered: at a bounded rate, so a flood cannot take the CPU. */
  refusals: RefusalPacer;
  audit: AuditWriter;
  /** Every invalid_client answer takes at least this long (see authenticate-client.ts). */
  failureFloor: FailureFloor;
  /** What GET /metrics reports (metrics.ts); counted whether or not the page is served. */
  metrics: ServerMetrics;
  /** Client assertions' jtis, claimed in the store in group commits (private_key_jwt, jti-claims.ts). */
  jtis: JtiClaims;
  /** RFC 7591/7592 registrations with activation codes (endpoints/register.ts), on the server's store. */
  registrations: ActivationsService;
  /**
   * POST /v1/mail, set by the mail relay while it runs beside this server (electron/mail/relay.ts); the
   * router answers 404 while it is off.
   */
  mailEndpoint?: ((req: IncomingMessage, res: ServerResponse, request: RequestInfo) => Promise<void>) | undefined;
}

/**
 * The context one run of the server builds before it listens (server.ts): the key ring started, the audit
 * writer open, the caches and limits sized by `tuning`. The issuer stays empty until the port is known.
 * Whoever calls this closes `audit` when the server stops, or fails to start.
 */
export async function createTokenServerContext(options: TokenServerOptions, tuning: TokenServerTuning): Promise<TokenServerContext> {
  const { settings } = options;
  const core = options.deps;
  const metrics = createServerMetrics(
    { node: nodeNameOf(options), version: KEYRACK_VERSION, store: core.store.dialect },
    settings.metrics,
  );
  const own = serverStore(options, metrics, tuning.storeDeadlineMs);
  const deps: ServiceDeps = { ...core, store: own.store };
  try {
    // Start-up housekeeping, on the core's store: a large first prune is no request, so it is not held to
    // the requests' deadline on PostgreSQL (tuning.storeDeadlineMs), which would refuse the start.
    // Clients that stopped calling a month ago are no longer known anywhere (client-addresses.repo.ts).
    await pruneClientAddresses(core.store, deps.clock.now());
    // Assertions' jtis are kept until the assertions expire (client-assertion-jtis.repo.ts); older ones go.
    await pruneAssertionJtis(core.store, deps.clock.now());
    const keys = new KeyRing(own.store, deps.clock, options.keys.over(deps), settings.signingAlg);
    await keys.start();
    return await contextOver(deps, own, keys, metrics, options, tuning);
  } catch (error) {
    own.release();
    throw error;
  }
}

interface ServerStore {
  store: Store;
  /** The SQLite file, when the server has a connection of its own to it (its audit worker opens another). */
  sqliteFile: string | undefined;
  /** The key that signs the log's head with each batch, when the core holds one (audit-checkpoint.repo.ts). */
  checkpointKey: Buffer | undefined;
  release: () => void;
}

/**
 * The server's store, every statement reported to /metrics. On PostgreSQL a view of the core's pool: every
 * request's reads are the pool's round trips, and other nodes see the same rows. On SQLite a connection of
 * the server's own, not the core's: the core's services run through the Store port, whose transactions await
 * between statements (db/store-sqlite.ts), and on one connection a statement of the server's run meanwhile
 * would join that transaction (be rolled back with it, or see what it had not committed). Same durability
 * settings as the core's (openConnection).
 */
function serverStore(options: TokenServerOptions, observer: ServerMetrics, deadlineMs: number): ServerStore {
  const core = options.deps;
  const checkpointKey = checkpointKeyOf(core.db);
  if (core.store.dialect === 'postgres') {
    if (!core.store.observed) throw new Error('a PostgreSQL store without observed(): cannot report its round trips');
    // With a deadline: a database that stops answering gets 503s within a second, not hanging requests.
    return { store: core.store.observed(observer, { deadlineMs }), sqliteFile: undefined, checkpointKey, release: () => {} };
  }
  const db = openConnection(core.db.name, { nativeBinding: options.nativeBinding });
  if (checkpointKey) useCheckpointKey(db, checkpointKey);
  return { store: sqliteStore(db, observer), sqliteFile: db.name, checkpointKey, release: () => db.close() };
}

async function contextOver(
  deps: ServiceDeps,
  own: ServerStore,
  keys: KeyRing,
  metrics: ServerMetrics,
  options: TokenServerOptions,
  tuning: TokenServerTuning,
): Promise<TokenServerContext> {
  const { settings } = options;
  const audit = new AuditWriter(await auditSinkFor(own, options), undefined, metrics);
  return {
    store: own.store,
    releaseStore: own.release,
    clock: deps.clock,
    passwords: deps.passwords,
    config: {
      issuer: '', // set once the port is known
      defaultAudience: settings.defaultAudience,
      audiences: new Set([settings.defaultAudience, ...settings.audiences]),
      tokenLifetimeSeconds: settings.tokenLifetimeSeconds,
      trustedProxies: settings.trustedProxies,
      plainHttpAllowed: settings.plainHttpOnLan,
      metricsReaders: settings.metrics ? compileAddressList(settings.metricsReaders) : null,
      node: own.sqliteFile === undefined && deps.store.dialect === 'postgres' ? nodeNameOf(options) : null,
    },
    keys,
    secrets: new VerifiedSecretCache(tuning.secretCacheTtlMs),
    verifying: new Map(),
    facts: new GrantFactsCache(own.store, tuning.factsTtlMs),
    allowlist: options.allowlist,
    addressFailures: new BackoffLimiter(tuning.addressBackoff),
    clientFailures: new BackoffLimiter(tuning.clientBackoff),
    knownAddresses: new KnownAddresses(tuning.knownAddressMs, (clientId, ip) => findClientAddressSeenAt(own.store, clientId, ip)),
    throttledLog: new LogSampler(60_000),
    argon2: new WorkLimiter(tuning.argon2Concurrency, tuning.argon2Queue),
    refusals: new RefusalPacer(tuning.refusalsPerSecond, tuning.refusalBurst, tuning.refusalQueue),
    audit,
    // The slowest failure checks every live secret and a few ended ones.
    failureFloor: new FailureFloor(MAX_LIVE_SECRETS + 3, tuning.failureFloorMinMs, tuning.failureFloorInitialVerifyMs, tuning.failureFloorMaxMs),
    metrics,
    jtis: new JtiClaims(own.store),
    registrations: new ActivationsService(deps),
  };
}

/** The node's name: the operator's (`keyrack serve --node`), else the host name. */
const nodeNameOf = (options: TokenServerOptions): string => options.nodeName ?? hostname();

/**
 * SQLite: on the worker thread unless told inline; inline, and said through `log`, when the worker cannot
 * start. PostgreSQL: inline (a commit there is I/O the event loop awaits, not work that blocks it).
 */
async function auditSinkFor(own: ServerStore, options: TokenServerOptions): Promise<AuditSink> {
  const log = options.log;
  const inline = () => inlineAuditSink(own.store, own.checkpointKey, log && ((message) => log(`token server: ${message}`)));
  if (options.auditWriter === 'inline' || own.sqliteFile === undefined) return inline();
  try {
    return await workerAuditSink(own.sqliteFile, { nativeBinding: options.nativeBinding, checkpointKey: own.checkpointKey, log });
  } catch (error) {
    log?.(`token server: audit log written on the main thread (${(error as Error).message})`);
    return inline();
  }
}

/** Facts about one HTTP request that every step may need. */
export interface RequestInfo {
  /** The client's address (socket, or X-Forwarded-For from a trusted proxy), canonical. */
  ip: string;
  /** process.hrtime-free start time in ms (performance.now()), for the failure floor. */
  startedAt: number;
}

/**
 * The time every failed client authentication is padded to, so that an unknown client id, a wrong secret
 * (checked against every live secret), a revoked secret and a disabled user all take the same time. It
 * follows the measured time of one argon2id verification: `verifications` times the running average.
 */
export class FailureFloor {
  private averageMs: number;

  constructor(
    private readonly verifications: number,
    private readonly minimumMs: number,
    initialVerifyMs = 25,
    /** However slow verifications get (a loaded machine), a failure never waits longer than this. */
    private readonly maximumMs = 3_000,
  ) {
    this.averageMs = initialVerifyMs;
  }

  observe(verifyMs: number): void {
    this.averageMs = this.averageMs * 0.9 + Math.min(verifyMs, 1_000) * 0.1;
  }

  get ms(): number {
    return Math.max(this.minimumMs, Math.min(this.maximumMs, this.averageMs * this.verifications));
  }
}
