/**
 * npm run bench:token — the token endpoint under load, against oidc-provider on the same machine.
 *
 * Each server runs in its own child process (one event loop, as in production); autocannon drives it from
 * this process. Keyrack runs as shipped: production argon2id parameters, every issuance logged and every
 * last use recorded (group commit, synchronous=FULL), the API user with an allowlist naming all five
 * providers (ranges from the real files when ../shared/fixtures/cloud-ranges is there). oidc-provider is
 * configured for client_credentials with JWT (ES256) access tokens and nothing else.
 *
 * In the pinned placement it then measures latency at the load an office really has: an open-loop, paced
 * load (bench/paced.ts) at 25 %, 50 % and 75 % of each server's saturation rate measured in the same run,
 * with p50, p99 and p99.9 from each request's due time, the server's event-loop delay and GC pauses; and one
 * connection sent one request at a time, beside what one fsync costs on this disk.
 *
 * private_key_jwt (RFC 7523) is measured too, at the most connections: each request carries a fresh ES256
 * assertion made in this process, both servers verify its signature and remember its jti (Keyrack in the
 * store, oidc-provider in its memory adapter).
 *
 * Environment: BENCH_SECONDS (per run, default 10), BENCH_CONNECTIONS (default 1,16,64), BENCH_PIN (1: each
 * server on core 1 and autocannon on core 0, as the issue's reference numbers were measured; 0: no pinning,
 * the servers may use both cores; default: both, one after the other, where `taskset` exists),
 * BENCH_PACED_SECONDS (per paced run, default 10; 0 skips the latency part).
 *
 * BENCH_STORE=postgres (or `npm run bench:token -- --store postgres`): the nodes serve from PostgreSQL instead
 * (issue 10). A throwaway cluster (devkit/postgres-cluster.ts, as the tests start) is seeded through the
 * services like the SQLite store, then Keyrack on one node, Keyrack on two nodes (two processes over the same
 * database, autocannon's connections split between them, one merged latency histogram) and oidc-provider
 * are driven in turn at each connection count, unpinned: the nodes, PostgreSQL and autocannon share the
 * cores. Reported beside req/s and latency: CPU per request of each node, of PostgreSQL (the postmaster and
 * its processes) and of autocannon, and round trips per token, counted twice: by the nodes (their /metrics
 * counters) and by the server (pg_stat_statements, BEGIN, lock and COMMIT included). The cluster and the
 * temporary folders are removed at the end, on failure and on Ctrl-C too.
 */
import { execFileSync, spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { closeSync, cpSync, existsSync, fdatasyncSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay, performance, PerformanceObserver, type RecordableHistogram } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { assertionBody, assertionMaker } from './assertions.js';
import { pacedLoad, sequentialLoad, summarize, type PacedResult } from './paced.js';
import { startBenchPostgres, statementsBetween, type BenchPostgres } from './postgres-probe.js';
import { parseInputOf } from '../shared/contract.js';
import type { ServerMetrics } from '../electron/token-server/metrics.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '1,16,64').split(',').map(Number);
const PACED_SECONDS = Number(process.env.BENCH_PACED_SECONDS ?? 10);
/** The paced loads, as fractions of the server's own saturation rate at the most connections. */
const PACED_SHARES = [0.25, 0.5, 0.75];
const BODY = 'grant_type=client_credentials&scope=properties%3Aread';
const FIXTURES = resolve(fileURLToPath(import.meta.url), '../../../../shared/fixtures/cloud-ranges');

/** The store the Keyrack nodes serve from: `--store postgres` on the command line, else BENCH_STORE; default SQLite. */
function benchStore(): 'sqlite' | 'postgres' {
  const flag = process.argv.indexOf('--store');
  const value = (flag >= 0 ? process.argv[flag + 1] : process.env.BENCH_STORE) || 'sqlite';
  if (value !== 'sqlite' && value !== 'postgres') throw new Error(`BENCH_STORE or --store: sqlite or postgres, not ${value}`);
  return value;
}

interface Ready {
  url: string;
  caCert?: string;
  clientId: string;
  secret: string;
  /** Fresh clients for the first-request latency (one argon2id verification each). */
  fresh?: { clientId: string; secret: string }[];
  /** The client that authenticates with private_key_jwt, and the kid of its key (the private key: KEY_PAIR). */
  keyClient?: { clientId: string; kid: string };
}

/** The private_key_jwt client's key pair: the driver signs with it, each server holds the public half. */
const KEY_PAIR = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const KEY_PAIR_FILE = 'bench-client-key.pem';

interface ChildStats {
  rss: number;
  /** CPU time of the whole process (every thread), µs: process.cpuUsage(). */
  cpuMicros: number;
  audit?: { batches: number; rows: number; largestBatch: number; commitMillis: number; slowestCommitMillis: number };
  /**
   * Keyrack's log commits since the last 'reset', ms: sent to durable as a request waits for it, and the
   * transaction alone on the audit thread (rows, indexes, fsync); the difference is the hand-off between threads.
   */
  commits?: { sentToDurable: Percentiles; transaction: Percentiles; count: number };
  /** Since the last 'reset': the event loop's delay (ms) and V8's GC pauses, where the time goes under load. */
  latency?: LatencyProbeReading;
  /** Events the log's search index and activity counts do not cover yet (they follow in the background). */
  indexLag?: number;
  /** Keyrack's CPU time by thread, µs (Linux): where a request's CPU goes. */
  threads?: ThreadCpu;
  /** A Keyrack node on PostgreSQL: its store counters, and the statements the bench's own questions ran. */
  store?: StoreCounters;
}

interface StoreCounters {
  /** keyrack_store_round_trip_seconds_count: the statements the server ran through the Store port. */
  roundTrips: number;
  /** keyrack_tokens_issued_total. */
  tokens: number;
  /** Statements run to answer the bench (the index lag): not the server's work, taken off PostgreSQL's count. */
  benchStatements: number;
}

interface Percentiles {
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

/** A histogram of µs as ms percentiles. */
const percentilesOf = (h: RecordableHistogram): Percentiles => ({
  p50: h.percentile(50) / 1000,
  p99: h.percentile(99) / 1000,
  p999: h.percentile(99.9) / 1000,
  max: h.max / 1000,
});

interface LatencyProbeReading {
  loopDelay: { p50: number; p99: number; max: number };
  gc: { count: number; totalMs: number; maxMs: number };
}

/**
 * In a child: perf_hooks' event-loop delay histogram (1 ms resolution) and the GC pauses V8 reports, from
 * the last reset. A request waits for the loop as long as the loop is delayed; a GC pause stops it.
 */
function latencyProbe(): { reset(): void; read(): LatencyProbeReading } {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const gc = { count: 0, totalMs: 0, maxMs: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.count++;
      gc.totalMs += entry.duration;
      gc.maxMs = Math.max(gc.maxMs, entry.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  return {
    reset() {
      loop.reset();
      Object.assign(gc, { count: 0, totalMs: 0, maxMs: 0 });
    },
    read: () => ({
      loopDelay: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
      gc: { ...gc },
    }),
  };
}

/** Children answer 'stats' with their ChildStats and take 'reset' (no answer) to restart the latency probe. */
function answerStats(probe: ReturnType<typeof latencyProbe>, stats: () => ChildStats | Promise<ChildStats>, reset?: () => void): void {
  process.on('message', (message) => {
    if (message === 'reset') {
      probe.reset();
      reset?.();
    }
    // The driver asks one question at a time (spawnChild), so an answer that awaits the store stays in order.
    else if (message === 'stats') void Promise.resolve(stats()).then((s) => process.send!({ ...s, latency: probe.read() } satisfies ChildStats));
  });
}

/** The event loop's thread, the audit writer's thread, and the rest (libuv's pool: signing; V8's: GC). */
interface ThreadCpu {
  main: number;
  audit: number;
  other: number;
}

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

// ---------------------------------------------------------------- children

/**
 * The admin's side, in the driver process as it would be in the app or the CLI: the store, the API users
 * (production argon2id parameters) and the provider ranges imported from the real files. The server child
 * then only opens what is there, like `keyrack serve` does.
 */
async function seed(dataDir: string, postgresUrl?: string): Promise<Pick<Ready, 'clientId' | 'secret' | 'fresh' | 'keyClient'>> {
  const { openCore } = await import('../electron/core.js');
  const { createPasswordHasher } = await import('../electron/crypto/password.js');
  const { ProviderRangesStore } = await import('../electron/ranges/store.js');
  const { openChosenStore } = await import('../electron/db/store-choice.js');
  // On PostgreSQL through the same services over the PostgreSQL store (migrated by this first open).
  const chosen = postgresUrl ? await openChosenStore({ kind: 'postgres', url: postgresUrl, source: 'flag' }, { dataDir }) : undefined;
  const core = openCore({ dataDir, passwords: createPasswordHasher(), store: chosen?.store });
  try {
    const cli = { kind: 'cli' as const, name: 'cli:bench' };
    await core.rights.addResource(cli, parseInputOf('rights.addResource', { name: 'properties', actions: ['read', 'write'] }));
    const group = await core.groups.create(cli, parseInputOf('groups.create', { name: 'Bench', rights: [{ resource: 'properties', action: 'read' }] }));
    const allowlist = ['127.0.0.1', '::1', 'AWS', 'GOOGLE', 'AZURE', 'CLOUDFLARE', 'DIGITAL_OCEAN'];
    const main = await core.users.createApiUser(cli, parseInputOf('users.createApiUser', { name: 'Bench client', groupIds: [group.id], allowlist }));
    const keyed = await core.users.createApiUser(cli, parseInputOf('users.createApiUser', { name: 'Bench key client', groupIds: [group.id], allowlist }));
    const publicPem = KEY_PAIR.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const key = await core.clientKeys.add(cli, parseInputOf('clientKeys.add', { userId: keyed.user.id, key: publicPem, label: 'bench' }));
    const fresh = [];
    for (let i = 0; i < 5; i++) {
      const c = await core.users.createApiUser(cli, parseInputOf('users.createApiUser', { name: `Fresh ${i}`, groupIds: [group.id], allowlist }));
      fresh.push({ clientId: c.clientId, secret: c.secret });
    }
    if (existsSync(FIXTURES)) {
      const ranges = ProviderRangesStore.open(dataDir);
      const file = (prefix: string) => readdirSync(FIXTURES).filter((f) => f.startsWith(prefix)).map((f) => join(FIXTURES, f));
      ranges.importFile('AWS', file('aws'));
      ranges.importFile('GOOGLE', file('google'));
      ranges.importFile('AZURE', file('microsoft'));
      ranges.importFile('CLOUDFLARE', file('cloudflare'));
      ranges.importFile('DIGITAL_OCEAN', file('digitalocean'));
    } else {
      console.log(`(no provider range files at ${FIXTURES}: provider words match nothing)`);
    }
    return { clientId: main.clientId, secret: main.secret, fresh, keyClient: { clientId: keyed.clientId, kid: key.kid } };
  } finally {
    core.close();
    await chosen?.close();
  }
}

/**
 * The server as shipped, one per process like in production: over plain HTTP through the host `keyrack
 * serve` and the app use (loopback), or over TLS with the generated CA (a second process on the same store).
 */
async function keyrackChild(dataDir: string, transport: 'plain' | 'tls'): Promise<void> {
  const { openCore } = await import('../electron/core.js');
  const { createPasswordHasher } = await import('../electron/crypto/password.js');
  const { headlessKeyWrapper } = await import('../electron/crypto/key-wrap.js');
  const { loadOrCreateTlsMaterial } = await import('../electron/crypto/tls.js');
  const { createAllowlistChecker } = await import('../electron/net/allowlist-checker.js');
  const { ProviderRangesStore } = await import('../electron/ranges/store.js');
  const { SigningKeysService } = await import('../electron/services/signing-keys.service.js');
  const { readTokenServerSettings } = await import('../electron/services/token-server-settings.js');
  const { createTokenServerHost } = await import('../electron/token-server/host.js');
  const { startTokenServer } = await import('../electron/token-server/server.js');
  const { chooseStore, openChosenStore } = await import('../electron/db/store-choice.js');

  // The store as `keyrack serve` finds it in the data folder: its store.json (the PostgreSQL run writes one),
  // else the SQLite file. Not KEYRACK_STORE: a value left in the shell must not move the SQLite run.
  const chosen = await openChosenStore(chooseStore(dataDir, {}), { dataDir });
  const core = openCore({ dataDir, passwords: createPasswordHasher(), store: chosen.store });
  const wrapper = headlessKeyWrapper(dataDir);
  let server;
  let caCert: string | undefined;
  if (transport === 'plain') {
    const host = createTokenServerHost({ core, dataDir, keyWrapper: wrapper, host: '127.0.0.1', port: 0, log: console.log });
    const status = await host.start();
    server = host.running!;
    const loaded = status.ranges.filter((r) => r.status === 'loaded').map((r) => `${r.provider} ${r.count}`);
    console.log(`keyrack: ${status.urls.join(', ')}; ranges loaded: ${loaded.join(', ') || 'none'}`);
  } else {
    const tls = await loadOrCreateTlsMaterial(dataDir, wrapper, { hostnames: ['localhost'], addresses: ['127.0.0.1'] });
    const ranges = ProviderRangesStore.open(dataDir);
    server = await startTokenServer({
      deps: core.deps,
      keys: new SigningKeysService(core.deps, () => wrapper),
      settings: await readTokenServerSettings(core.deps),
      allowlist: createAllowlistChecker(() => ranges.current()),
      host: '127.0.0.1',
      port: 0,
      tls: { key: tls.key, cert: tls.cert },
      log: console.log,
    });
    caCert = tls.caCert;
  }
  const { context } = server;
  const { auditIndexLag, auditIndexLagOn } = await import('../electron/repos/audit-index.repo.js');
  // On PostgreSQL the index lag is two statements: read through a view that counts them, so they can be
  // taken off the server's statement count (they are the bench's, not the tokens').
  let benchStatements = 0;
  const benchView = core.deps.store.dialect === 'postgres' ? core.deps.store.observed!({ roundTrip: () => benchStatements++ }) : undefined;
  answerStats(latencyProbe(), async () => ({
    rss: process.memoryUsage().rss,
    cpuMicros: cpuMicros(),
    audit: { ...context.audit.stats },
    commits: {
      sentToDurable: percentilesOf(context.audit.commitTimes),
      transaction: percentilesOf(context.audit.sink.transactionTimes),
      count: context.audit.commitTimes.count,
    },
    indexLag: benchView ? await auditIndexLagOn(benchView) : auditIndexLag(core.db),
    threads: threadCpu(context.audit.sink.osThreadId),
    store: benchView ? { ...(await storeCounters(context.metrics.registry)), benchStatements } : undefined,
  }), () => {
    context.audit.commitTimes.reset();
    context.audit.sink.transactionTimes.reset();
  });
  process.send!({ ready: { url: server.url, caCert, clientId: '', secret: '' } satisfies Ready });
}

async function oidcChild(publicKeyFile: string): Promise<void> {
  const { default: Provider } = await import('oidc-provider');
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'bench', alg: 'ES256', use: 'sig' };
  const secret = randomBytes(32).toString('base64url');
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'bench',
        client_secret: secret,
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
        token_endpoint_auth_method: 'client_secret_basic',
        // The provider's only key is ES256; its default (RS256) would make it refuse the client's metadata.
        id_token_signed_response_alg: 'ES256',
        scope: 'properties:read',
      },
      {
        client_id: 'bench-jwt',
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'ES256',
        jwks: { keys: [{ ...createPublicKey(readFileSync(publicKeyFile, 'utf8')).export({ format: 'jwk' }), kid: 'bench-jwt', alg: 'ES256', use: 'sig' }] },
        id_token_signed_response_alg: 'ES256',
        scope: 'properties:read',
      },
    ],
    jwks: { keys: [jwk] },
    scopes: ['properties:read'],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => 'urn:keyrack:lan-api',
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'properties:read',
          audience: 'urn:keyrack:lan-api',
          accessTokenFormat: 'jwt',
          accessTokenTTL: 600,
          jwt: { sign: { alg: 'ES256' } },
        }),
      },
    },
  });
  const server = createServer(provider.callback());
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  answerStats(latencyProbe(), () => ({ rss: process.memoryUsage().rss, cpuMicros: cpuMicros() }));
  process.send!({ ready: { url: issuer, clientId: 'bench', secret, keyClient: { clientId: 'bench-jwt', kid: 'bench-jwt' } } satisfies Ready });
}

/** The counters a node's GET /metrics shows, read from its registry (no HTTP request, no default metrics on). */
async function storeCounters(registry: ServerMetrics['registry']): Promise<Omit<StoreCounters, 'benchStatements'>> {
  const metrics = await registry.getMetricsAsJSON();
  // A histogram's values are its _bucket, _sum and _count series (metricName); a counter's carry no name.
  const total = (name: string, series = name) =>
    (metrics.find((m) => m.name === name)?.values ?? [])
      .filter((v) => ((v as { metricName?: string }).metricName ?? name) === series)
      .reduce((sum, v) => sum + v.value, 0);
  return {
    roundTrips: total('keyrack_store_round_trip_seconds', 'keyrack_store_round_trip_seconds_count'),
    tokens: total('keyrack_tokens_issued_total'),
  };
}

/**
 * The ceiling: node:http answering the token path with a fixed token-sized body, with no parsing,
 * authentication, signing or log. No server built on node:http can beat it on this machine, so its
 * throughput and p99 say how far a target is from what the platform itself allows here.
 */
async function bareChild(): Promise<void> {
  const body = JSON.stringify({ access_token: 'x'.repeat(620), token_type: 'Bearer', expires_in: 600, scope: 'properties:read' });
  const headers = { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', pragma: 'no-cache' };
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, headers);
      res.end(body);
    });
  });
  const port = await freePort();
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  process.on('message', (message) => {
    if (message === 'stats') process.send!({ rss: process.memoryUsage().rss, cpuMicros: cpuMicros() } satisfies ChildStats);
  });
  process.send!({ ready: { url: `http://127.0.0.1:${port}`, clientId: 'bare', secret: 'bare' } satisfies Ready });
}

/** Clock ticks a second, the unit of /proc's CPU times. */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time of each of this process's threads from /proc (Linux only; undefined elsewhere). */
function threadCpu(auditThread: number | undefined): ThreadCpu | undefined {
  try {
    const cpu: ThreadCpu = { main: 0, audit: 0, other: 0 };
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const micros = ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
      const id = Number(tid);
      cpu[id === process.pid ? 'main' : id === auditThread ? 'audit' : 'other'] += micros;
    }
    return cpu;
  } catch {
    return undefined;
  }
}

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

function freePort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => done(port));
    });
  });
}

// ---------------------------------------------------------------- driver

interface Child {
  process: ChildProcess;
  ready: Ready;
  stats(): Promise<ChildStats>;
  /** Restarts the child's event-loop delay and GC measurement. */
  resetLatency(): void;
}

/**
 * glibc raises its mmap threshold after the first 19 MiB argon2id buffer is freed, and from then on keeps
 * every such buffer in a per-thread arena: about 80 MB of RSS that is never given back (measured here:
 * 47 MB -> 127 MB after six verifications). A fixed threshold keeps them mmapped and returned at once.
 * docs/token-server.md recommends it for `keyrack serve`; BENCH_GLIBC_DEFAULTS=1 measures without it.
 */
const KEYRACK_ENV: NodeJS.ProcessEnv =
  process.env.BENCH_GLIBC_DEFAULTS === '1' ? process.env : { ...process.env, MALLOC_MMAP_THRESHOLD_: '131072' };

/** Where the load generator and the server under test run: null lets them share every core. */
interface Pinning {
  driver: number;
  server: number;
}

/** The cores the driver may use when it starts (it pins itself later: ask once; children see their own). */
const CORES = availableParallelism();

/**
 * The configurations measured. Pinned (BENCH_PIN=1): each server, all its threads, on core 1 and autocannon
 * on core 0, as the issue's reference numbers were measured (the server is started under taskset, so
 * everything it sizes by its cores, like the argon2 concurrency, sees one). Shared (BENCH_PIN=0): no
 * pinning, as on a box where the server may use both cores. Default: both, pinned first, where `taskset`
 * exists and there are two cores or more. Asking for pinning where it cannot be done is an error, not a
 * silently unpinned run.
 */
function pinnings(): (Pinning | null)[] {
  const canPin = CORES >= 2 && hasTaskset();
  const pinned = { driver: 0, server: 1 };
  if (process.env.BENCH_PIN === '0') return [null];
  if (process.env.BENCH_PIN === '1') {
    if (!canPin) throw new Error('BENCH_PIN=1 needs taskset and at least two cores');
    return [pinned];
  }
  return canPin ? [pinned, null] : [null];
}

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Every thread of a process onto one core (or back onto all of them). */
function pin(pid: number, cores: string): void {
  execFileSync('taskset', ['-a', '-cp', cores, String(pid)], { stdio: 'ignore' });
}

/** A child of this script in `mode`; started under `taskset` when pinned, so it sees one core from its start. */
function spawnChild(pinning: Pinning | null, mode: string, ...args: string[]): Promise<Child> {
  const script = [fileURLToPath(import.meta.url), mode, ...args];
  const options = { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] as StdioOptions, env: mode === 'keyrack-child' ? KEYRACK_ENV : process.env };
  const child = pinning
    ? spawn('taskset', ['-c', String(pinning.server), process.execPath, ...script], options)
    : spawn(process.execPath, script, options);
  let asking: Promise<unknown> = Promise.resolve();
  return new Promise((done, fail) => {
    child.once('exit', (code) => fail(new Error(`${mode} exited with ${code}`)));
    child.once('message', (m) => {
      const ready = (m as { ready: Ready }).ready;
      done({
        process: child,
        ready,
        // One question at a time: replies carry no id, so two in flight could each take the other's answer.
        stats: () => {
          const next = asking.then(
            () =>
              new Promise<ChildStats>((answer) => {
                child.once('message', (s) => answer(s as ChildStats));
                child.send('stats');
              }),
          );
          asking = next;
          return next;
        },
        resetLatency: () => child.send('reset'),
      });
    });
  });
}

interface RunResult {
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  maxRss: number;
  /**
   * The server's CPU time (all its threads) per answered request, µs: what a request costs whatever the
   * machine's load, since a busy neighbour changes how long work waits, not how much there is.
   */
  cpuPerRequest: number;
  /** The same by thread, where the server reports it (Keyrack on Linux). */
  threadsPerRequest?: ThreadCpu | undefined;
}

/**
 * One timed run. `settle` runs after it, before the CPU time is read: Keyrack's log indexes catch up then
 * (in the background, after the clients were answered), and that work counts in its CPU per request.
 */
async function drive(
  child: Child,
  url: string,
  connections: number,
  options: { tls?: { ca: string }; settle?: () => Promise<unknown>; assertion?: () => string } = {},
): Promise<RunResult> {
  const { tls, settle, assertion } = options;
  const before = await child.stats();
  const cpuBefore = before.cpuMicros;
  let maxRss = 0;
  const sampler = setInterval(() => void child.stats().then((s) => (maxRss = Math.max(maxRss, s.rss))), 500);
  const result = await autocannon({
    url: `${url}${tokenPath(child)}`,
    method: 'POST',
    connections,
    duration: SECONDS,
    pipelining: 1,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(assertion ? {} : { authorization: basic(child.ready.clientId, child.ready.secret) }),
    },
    body: BODY,
    // private_key_jwt: a fresh assertion in every request's body (a jti is accepted once).
    ...(assertion ? { requests: [{ setupRequest: (req: { body?: string }) => ({ ...req, body: assertionBody(BODY, assertion) }) }] } : {}),
    ...(tls ? { tlsOptions: { ca: tls.ca } } : {}),
  } as autocannon.Options);
  clearInterval(sampler);
  maxRss = Math.max(maxRss, (await child.stats()).rss);
  await settle?.();
  const after = await child.stats();
  const cpuAfter = after.cpuMicros;
  const total = Math.max(1, result.requests.total);
  const perRequest = (key: keyof ThreadCpu) => (after.threads![key] - before.threads![key]) / total;
  return {
    connections,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    maxRss,
    cpuPerRequest: (cpuAfter - cpuBefore) / total,
    threadsPerRequest: before.threads && after.threads ? { main: perRequest('main'), audit: perRequest('audit'), other: perRequest('other') } : undefined,
  };
}

/** Waits until the child's log indexes cover every event; says how far behind they were and for how long. */
const CATCH_UP_LIMIT_MS = 120_000;

async function indexCatchUp(child: Child): Promise<string> {
  const started = performance.now();
  const behind = (await child.stats()).indexLag ?? 0;
  let lag = behind;
  while (lag > 0) {
    // The server reports a failing catch-up on its stderr; without this the bench would wait for ever.
    if (performance.now() - started > CATCH_UP_LIMIT_MS) throw new Error(`the log index is still ${fmt(lag)} events behind after ${CATCH_UP_LIMIT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    lag = (await child.stats()).indexLag ?? 0;
  }
  return `${fmt(behind)} events behind at the end of the run, caught up in ${fmt(performance.now() - started)} ms`;
}

const tokenPath = (child: Child) => (child.ready.fresh ? '/oauth2/token' : '/token');

/** One request before measuring: a server that answers anything but 200 would make the numbers meaningless. */
async function preflight(child: Child, url: string, assertion?: () => string): Promise<void> {
  const response = await fetch(`${url}${tokenPath(child)}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(assertion ? {} : { authorization: basic(child.ready.clientId, child.ready.secret) }),
    },
    body: assertion ? assertionBody(BODY, assertion) : BODY,
  });
  if (response.status !== 200) throw new Error(`preflight ${url}: ${response.status} ${await response.text()}`);
}

/** One request with a client the server has never seen: the argon2id verification is in it. */
function firstRequestMs(url: string, clientId: string, secret: string): Promise<number> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const target = new URL(`${url}/oauth2/token`);
    const options = {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': Buffer.byteLength(BODY),
        authorization: basic(clientId, secret),
      },
    };
    const req = httpRequest(target, options, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? done(performance.now() - started) : fail(new Error(`status ${res.statusCode}`))));
    });
    req.on('error', fail);
    req.end(BODY);
  });
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mb = (bytes: number) => `${fmt(bytes / 1024 / 1024)} MB`;

function table(title: string, rows: RunResult[]): void {
  console.log(`\n${title}`);
  const byThread = rows.some((r) => r.threadsPerRequest);
  console.log(`  conns      req/s    p50 ms   p99 ms   errors   non-2xx   max RSS   CPU µs/req${byThread ? '   main / audit / other' : ''}`);
  for (const r of rows) {
    const t = r.threadsPerRequest;
    console.log(
      `  ${String(r.connections).padStart(5)}  ${fmt(r.rps).padStart(9)}  ${String(r.p50).padStart(8)}  ${String(r.p99).padStart(7)}  ${String(
        r.errors,
      ).padStart(7)}  ${String(r.non2xx).padStart(8)}  ${mb(r.maxRss).padStart(8)}  ${fmt(r.cpuPerRequest).padStart(11)}` +
        (t ? `   ${fmt(t.main)} / ${fmt(t.audit)} / ${fmt(t.other)}` : ''),
    );
  }
}

interface PacedRow {
  server: string;
  share: number;
  result: PacedResult;
  probe: LatencyProbeReading;
  /** Keyrack's log commits during the run (oidc-provider has none). */
  commits?: ChildStats['commits'];
}

const headersFor = (child: Child) => ({
  'content-type': 'application/x-www-form-urlencoded',
  authorization: basic(child.ready.clientId, child.ready.secret),
});

/** One paced run at `share` of the child's saturation rate, with its event-loop delay and GC over the run. */
async function pacedRun(name: string, child: Child, saturation: number, share: number, before?: () => Promise<unknown>): Promise<PacedRow> {
  await before?.();
  child.resetLatency();
  const result = await pacedLoad({
    url: `${child.ready.url}${tokenPath(child)}`,
    headers: headersFor(child),
    body: BODY,
    rate: Math.max(1, Math.round(saturation * share)),
    seconds: PACED_SECONDS,
    maxConnections: Math.max(...CONNECTIONS),
  });
  const stats = await child.stats();
  return { server: name, share, result, probe: stats.latency!, commits: stats.commits };
}

/** What one write and fdatasync of a 4 KiB page costs on the disk the store is on (ms): a commit's floor. */
function fsyncCost(dir: string): ReturnType<typeof summarize> {
  const path = join(dir, 'fsync-probe');
  const fd = openSync(path, 'w');
  const page = Buffer.alloc(4096, 1);
  const took = new Float64Array(200);
  try {
    for (let i = 0; i < took.length; i++) {
      const started = performance.now();
      writeSync(fd, page, 0, page.length, (i % 16) * page.length);
      fdatasyncSync(fd);
      took[i] = performance.now() - started;
    }
  } finally {
    closeSync(fd);
    rmSync(path);
  }
  return summarize(took);
}

/**
 * What the two store reads of a request answered from the secret cache cost (µs, median of 40 batches of
 * 2,000): the client's row (findTokenClient) and its secret's state (findSecretState), the only reads on
 * that path (rights, mailboxes and allowlist come from GrantFactsCache). Measured in this process on the
 * run's store, with the statements the server prepares. It bounds what caching them could win: a cache
 * that must fail closed still reads a change counter per request, one read in place of two.
 */
async function storeReadCost(dataDir: string, clientId: string): Promise<{ client: number; secret: number }> {
  const { openConnection } = await import('../electron/db/open.js');
  const { sqliteStore } = await import('../electron/db/store-sqlite.js');
  const { findSecretState, findTokenClient } = await import('../electron/repos/token-clients.repo.js');
  const { DATABASE_FILE } = await import('../electron/paths.js');
  const db = openConnection(join(dataDir, DATABASE_FILE));
  // Through the Store port over a connection of its own, as the server reads (token-server/context.ts).
  const store = sqliteStore(db);
  try {
    const userId = (await findTokenClient(store, clientId))!.userId!;
    const { id: secretId } = (await store.get<{ id: number }>('SELECT id FROM client_secrets WHERE user_id = ?', [userId]))!;
    const batch = 2_000;
    const median = async (read: () => Promise<unknown>) => {
      const took = new Float64Array(40);
      for (let i = -5; i < took.length; i++) {
        const started = performance.now();
        for (let j = 0; j < batch; j++) await read();
        if (i >= 0) took[i] = ((performance.now() - started) * 1000) / batch;
      }
      return summarize(took).p50;
    };
    return { client: await median(() => findTokenClient(store, clientId)), secret: await median(() => findSecretState(store, secretId)) };
  } finally {
    db.close();
  }
}

interface LatencyReport {
  paced: PacedRow[];
  sequential: { server: string; p50: number; p99: number; count: number }[];
  /** Keyrack's log commits during its sequential run. */
  commits: NonNullable<ChildStats['commits']>;
  fsync: ReturnType<typeof summarize>;
}

/** Latency at the load an office really has (pinned placement): paced loads, then one connection. */
async function latencySuite(keyrack: Child, oidc: Child, ours: RunResult[], theirs: RunResult[], dataDir: string): Promise<LatencyReport> {
  const most = Math.max(...CONNECTIONS);
  const keyrackSaturation = ours.find((r) => r.connections === most)!.rps;
  const oidcSaturation = theirs.find((r) => r.connections === most)!.rps;
  const paced: PacedRow[] = [];
  for (const share of PACED_SHARES) {
    // The log's index catches up from the previous run first, so each run measures its own load only.
    paced.push(await pacedRun('Keyrack', keyrack, keyrackSaturation, share, () => indexCatchUp(keyrack)));
    paced.push(await pacedRun('oidc-provider', oidc, oidcSaturation, share));
  }
  await indexCatchUp(keyrack);
  const sequential = [];
  keyrack.resetLatency();
  const ourSequential = await sequentialLoad({ url: `${keyrack.ready.url}${tokenPath(keyrack)}`, headers: headersFor(keyrack), body: BODY, seconds: PACED_SECONDS });
  const { commits } = await keyrack.stats();
  sequential.push({ server: 'Keyrack', ...ourSequential });
  const theirSequential = await sequentialLoad({ url: `${oidc.ready.url}${tokenPath(oidc)}`, headers: headersFor(oidc), body: BODY, seconds: PACED_SECONDS });
  sequential.push({ server: 'oidc-provider', ...theirSequential });
  return {
    paced,
    sequential,
    commits: commits!,
    fsync: fsyncCost(dataDir),
  };
}

function printLatency(report: LatencyReport): void {
  const ms = (n: number) => fmt(n, 2).padStart(8);
  console.log(
    `\nlatency at a paced load (open loop: each request's latency from its due time; at most ${Math.max(...CONNECTIONS)} connections; ` +
      `${PACED_SECONDS} s a run after 1 s of warm-up):`,
  );
  console.log('  server         share   target/s  achieved/s    p50 ms    p99 ms  p99.9 ms    max ms  errors  loop delay p99/max ms   GC n / max ms  send lag p99 ms');
  for (const { server, share, result: r, probe } of report.paced) {
    console.log(
      `  ${server.padEnd(13)}  ${`${share * 100} %`.padStart(5)}  ${fmt(r.targetRate).padStart(9)}  ${fmt(r.achievedRate).padStart(10)}  ` +
        `${ms(r.p50)}  ${ms(r.p99)}  ${ms(r.p999)}  ${ms(r.max)}  ${String(r.errors + r.non200).padStart(6)}  ` +
        `${`${fmt(probe.loopDelay.p99, 1)} / ${fmt(probe.loopDelay.max, 1)}`.padStart(21)}  ` +
        `${`${probe.gc.count} / ${fmt(probe.gc.maxMs, 1)}`.padStart(14)}  ${ms(r.sendLagP99)}`,
    );
  }
  console.log(
    "\nKeyrack's log commits in those runs, ms (a request waits for the commit in flight, then its own): " +
      'sent to durable | the transaction alone on the audit thread',
  );
  console.log('  share   commits   p50    p99  p99.9    max  |   p50    p99  p99.9    max');
  for (const { share, commits } of report.paced) {
    if (!commits) continue;
    const row = (p: Percentiles) => [p.p50, p.p99, p.p999, p.max].map((v) => fmt(v, 2).padStart(6)).join(' ');
    console.log(`  ${`${share * 100} %`.padStart(5)}  ${fmt(commits.count).padStart(8)}  ${row(commits.sentToDurable)}  | ${row(commits.transaction)}`);
  }
  console.log('\none connection, one request at a time (closed loop):');
  for (const r of report.sequential) {
    console.log(`  ${r.server.padEnd(13)}  p50 ${fmt(r.p50, 2)} ms, p99 ${fmt(r.p99, 2)} ms (${fmt(r.count)} requests)`);
  }
  const { sentToDurable, transaction, count } = report.commits;
  const ourP50 = report.sequential.find((r) => r.server === 'Keyrack')?.p50 ?? NaN;
  console.log(
    `  Keyrack's p50 ${fmt(ourP50, 2)} ms, of which the log commit (median of ${fmt(count)}) ${fmt(sentToDurable.p50, 2)} ms: ` +
      `the transaction on the audit thread ${fmt(transaction.p50, 2)} ms (one 4 KiB write + fdatasync on this disk: median ` +
      `${fmt(report.fsync.p50, 2)} ms, p99 ${fmt(report.fsync.p99, 2)} ms), the hand-off to that thread and back ` +
      `${fmt(sentToDurable.p50 - transaction.p50, 2)} ms; the rest, ${fmt(ourP50 - sentToDurable.p50, 2)} ms, is HTTP, checks, ` +
      'claims and signing on the event loop and the loopback round trip',
  );
}

async function main(): Promise<void> {
  if (benchStore() === 'postgres') return postgresMain();
  const dataDir = mkdtempSync(join(tmpdir(), 'keyrack-bench-'));
  console.log(`keyrack bench:token — ${SECONDS} s per run, connections ${CONNECTIONS.join(', ')}, data in ${dataDir}`);
  console.log(`Keyrack server env: MALLOC_MMAP_THRESHOLD_=${KEYRACK_ENV.MALLOC_MMAP_THRESHOLD_ ?? '(glibc default)'}`);
  try {
    const seeded = join(dataDir, 'seeded');
    const clients = await seed(seeded);
    for (const [i, pinning] of pinnings().entries()) {
      // Each placement on a copy of the seeded store: the next does not start with the last one's log.
      const store = join(dataDir, `run-${i}`);
      cpSync(seeded, store, { recursive: true });
      await suite(pinning, store, clients);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Every measurement in one placement of the processes on the cores. */
async function suite(pinning: Pinning | null, dataDir: string, clients: Awaited<ReturnType<typeof seed>>): Promise<void> {
  console.log(
    pinning
      ? `\n=== pinned: each server (all its threads) on core ${pinning.server}, autocannon on core ${pinning.driver}`
      : '\n=== shared: servers and autocannon on every core',
  );
  // The machine is shared: numbers mean little without how busy it was (2 cores: a load of 2 is full).
  console.log(`load average at start: ${loadavg().map((l) => l.toFixed(1)).join(', ')} on ${CORES} cores`);
  pin(process.pid, pinning ? String(pinning.driver) : `0-${CORES - 1}`);
  const keyrack = await spawnChild(pinning, 'keyrack-child', dataDir, 'plain');
  Object.assign(keyrack.ready, clients);
  // Beside the store, not in it: the store's folder is kept owner-only and says so when it finds a stranger.
  const publicKeyFile = join(dataDir, '..', `${KEY_PAIR_FILE}-${pinning ? 'pinned' : 'shared'}`);
  writeFileSync(publicKeyFile, KEY_PAIR.publicKey.export({ type: 'spki', format: 'pem' }));
  const oidc = await spawnChild(pinning, 'oidc-child', publicKeyFile);
  try {
    await preflight(keyrack, keyrack.ready.url);
    await preflight(oidc, oidc.ready.url);
    const idleRss = (await keyrack.stats()).rss;
    console.log(`Keyrack server RSS at rest (store, keys, all five providers' ranges): ${mb(idleRss)}`);
    const first: number[] = [];
    for (const c of keyrack.ready.fresh!) first.push(await firstRequestMs(keyrack.ready.url, c.clientId, c.secret));
    first.sort((a, b) => a - b);

    const ours: RunResult[] = [];
    const theirs: RunResult[] = [];
    const catchUps: string[] = [];
    for (const connections of CONNECTIONS) {
      // The search index and activity counts follow the log in the pauses: they finish before the peer is
      // measured (not on its time), and their CPU counts in Keyrack's.
      const settle = async () => catchUps.push(`${connections} connections: ${await indexCatchUp(keyrack)}`);
      ours.push(await drive(keyrack, keyrack.ready.url, connections, { settle }));
      theirs.push(await drive(oidc, oidc.ready.url, connections));
    }
    // private_key_jwt at the most connections: a signature verify and a jti claim per request, no argon2.
    const most = Math.max(...CONNECTIONS);
    const signed = await Promise.all(
      [keyrack, oidc].map(async (child) => {
        const metadata = child.ready.fresh ? '/.well-known/oauth-authorization-server' : '/.well-known/openid-configuration';
        const { issuer } = (await (await fetch(`${child.ready.url}${metadata}`)).json()) as { issuer: string };
        const { clientId, kid } = child.ready.keyClient!;
        return assertionMaker(clientId, issuer, KEY_PAIR.privateKey, kid);
      }),
    );
    await preflight(keyrack, keyrack.ready.url, signed[0]);
    await preflight(oidc, oidc.ready.url, signed[1]);
    const oursJwt = await drive(keyrack, keyrack.ready.url, most, { assertion: signed[0], settle: () => indexCatchUp(keyrack) });
    const theirsJwt = await drive(oidc, oidc.ready.url, most, { assertion: signed[1] });
    const latency = pinning && PACED_SECONDS > 0 ? await latencySuite(keyrack, oidc, ours, theirs, dataDir) : undefined;
    const tlsChild = await spawnChild(pinning, 'keyrack-child', dataDir, 'tls');
    Object.assign(tlsChild.ready, clients);
    let secure: RunResult;
    try {
      secure = await drive(tlsChild, tlsChild.ready.url, Math.max(...CONNECTIONS), {
        tls: { ca: tlsChild.ready.caCert! },
        settle: () => indexCatchUp(tlsChild),
      });
    } finally {
      tlsChild.process.kill();
    }
    const audit = (await keyrack.stats()).audit!;
    const reads = await storeReadCost(dataDir, clients.clientId);
    const bare = await spawnChild(pinning, 'bare-child');
    let ceiling: RunResult;
    try {
      ceiling = await drive(bare, bare.ready.url, Math.max(...CONNECTIONS));
    } finally {
      bare.process.kill();
    }

    table('Keyrack, plain HTTP on loopback (audit + last use on)', ours);
    console.log(
      '  by thread: main = the event loop (HTTP, checks, claims, answer); audit = the log writer (appends, commits, and the ' +
        'index catch-up after the run); other = libuv\'s pool (signing) and V8\'s threads (GC)',
    );
    table('oidc-provider, plain HTTP on loopback (client_credentials, JWT ES256)', theirs);
    table('Keyrack, private_key_jwt (a fresh ES256 assertion per request: signature verify + jti claim in the store)', [oursJwt]);
    table('oidc-provider, private_key_jwt (the same assertions; jti kept in its memory adapter)', [theirsJwt]);
    table('Keyrack over TLS (keep-alive), its own process', [secure]);
    table('ceiling: bare node:http, a fixed token-sized answer (no parsing, checks, signing or log)', [ceiling]);
    console.log('\nlog index catch-up after each Keyrack run (search index and activity counts, in the background):');
    for (const line of catchUps) console.log(`  ${line}`);
    console.log(`\nload average at end: ${loadavg().map((l) => l.toFixed(1)).join(', ')}`);
    console.log('\nratio Keyrack / oidc-provider (req/s):');
    ours.forEach((r, i) =>
      console.log(
        `  ${String(r.connections).padStart(5)} connections: ${fmt(r.rps / theirs[i]!.rps, 2)}× the requests a second, ` +
          `${fmt(theirs[i]!.cpuPerRequest / r.cpuPerRequest, 2)}× less CPU per request`,
      ),
    );
    console.log(
      `  ${String(most).padStart(5)} connections, private_key_jwt: ${fmt(oursJwt.rps / theirsJwt.rps, 2)}× the requests a second, ` +
        `${fmt(theirsJwt.cpuPerRequest / oursJwt.cpuPerRequest, 2)}× less CPU per request`,
    );
    const atMost = ours.find((r) => r.connections === ceiling.connections)!;
    console.log(
      `  Keyrack at ${ceiling.connections} connections: ${fmt((100 * atMost.rps) / ceiling.rps)} % of the bare node:http ceiling ` +
        `(${fmt(ceiling.rps)} req/s, p99 ${ceiling.p99} ms)`,
    );
    console.log(
      `\nfirst request of a client (one argon2id verification): median ${fmt(first[Math.floor(first.length / 2)]!, 1)} ms, ` +
        `max ${fmt(first.at(-1)!, 1)} ms`,
    );
    console.log(
      `audit group commit: ${fmt(audit.rows)} rows in ${fmt(audit.batches)} transactions ` +
        `(average ${fmt(audit.rows / Math.max(1, audit.batches), 1)} per commit, largest ${audit.largestBatch})`,
    );
    const at64reads = ours.find((r) => r.connections === Math.max(...CONNECTIONS))!;
    console.log(
      `store reads of a request the secret cache answers: ${fmt(reads.client + reads.secret, 1)} µs ` +
        `(the client's row ${fmt(reads.client, 1)}, its secret's state ${fmt(reads.secret, 1)}), ` +
        `${fmt((100 * (reads.client + reads.secret)) / at64reads.cpuPerRequest, 1)} % of Keyrack's CPU per request at ` +
        `${at64reads.connections} connections (${fmt(at64reads.cpuPerRequest)} µs)`,
    );
    if (latency) printLatency(latency);
    const at64 = ours.find((r) => r.connections === 64);
    const their64 = theirs.find((r) => r.connections === 64);
    if (at64 && their64) {
      const pacedP99 = (share: number) => latency?.paced.find((r) => r.server === 'Keyrack' && r.share === share)?.result.p99;
      const sequentialP50 = latency?.sequential.find((r) => r.server === 'Keyrack')?.p50;
      const latencyCheck = (what: string, value: number | undefined, limit: number, why = '') =>
        [what, value === undefined ? null : value <= limit, value === undefined ? '(measured in the pinned placement)' : `${fmt(value, 2)} ms${why}`] as const;
      // Beside a latency figure, what it is made of (measured in the same run): the log commits and the event loop.
      const pacedWhy = (share: number) => {
        const row = latency?.paced.find((r) => r.server === 'Keyrack' && r.share === share);
        if (!row?.commits) return '';
        const c = row.commits.sentToDurable;
        return ` (log commit p99 ${fmt(c.p99, 2)}, p99.9 ${fmt(c.p999, 2)}, max ${fmt(c.max, 2)} ms; event-loop delay p99 ${fmt(row.probe.loopDelay.p99, 1)} ms)`;
      };
      const sequentialWhy = latency
        ? ` (log commit ${fmt(latency.commits.sentToDurable.p50, 2)} ms of it, its transaction ${fmt(latency.commits.transaction.p50, 2)} ms)`
        : '';
      const checks = [
        [`≥ 2× oidc-provider at 64 connections (goal)`, at64.rps >= 2 * their64.rps, `${fmt(at64.rps / their64.rps, 2)}×`],
        latencyCheck('p99 ≤ 10 ms at 50 % of Keyrack\'s saturation rate (paced)', pacedP99(0.5), 10, pacedWhy(0.5)),
        latencyCheck('p99 ≤ 5 ms at 25 % of Keyrack\'s saturation rate (paced)', pacedP99(0.25), 5, pacedWhy(0.25)),
        latencyCheck('p50 ≤ 1 ms on one connection, sequential', sequentialP50, 1, sequentialWhy),
        ['zero errors', [...ours, oursJwt, secure].every((r) => r.errors === 0 && r.non2xx === 0), ''],
        ['first request ≤ 100 ms', first.at(-1)! <= 100, `${fmt(first.at(-1)!, 1)} ms`],
        ['RSS under load ≤ 200 MB', Math.max(...ours.map((r) => r.maxRss), secure.maxRss) <= 200 * 1024 * 1024, mb(Math.max(...ours.map((r) => r.maxRss), secure.maxRss))],
      ] as const;
      console.log('\ntargets:');
      for (const [what, ok, value] of checks) console.log(`  ${ok === null ? '  -   ' : ok ? 'met   ' : 'MISSED'}  ${what}  ${value}`);
    }
  } finally {
    keyrack.process.kill();
    oidc.process.kill();
  }
}

// ---------------------------------------------------------------- on PostgreSQL

/**
 * The PostgreSQL run: a throwaway cluster, a data folder whose store.json names it (as `keyrack store use`
 * writes), the same seed, then postgresSuite. Everything it started goes at the end, on failure, and on
 * Ctrl-C or SIGTERM (a cluster left running would hold its port and folder until someone noticed).
 */
async function postgresMain(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'keyrack-bench-pg-'));
  const dataDir = join(root, 'data');
  const started: { postgres?: BenchPostgres; starting?: Promise<BenchPostgres>; children: ChildProcess[] } = { children: [] };
  let cleaned = false;
  const cleanUp = () => {
    if (cleaned) return;
    cleaned = true;
    for (const child of started.children) child.kill();
    started.postgres?.stop();
    rmSync(root, { recursive: true, force: true });
  };
  const interrupted = (signal: NodeJS.Signals) => {
    console.log(`\n${signal}: stopping the PostgreSQL cluster and removing ${root}`);
    // A cluster still starting has no folder to stop yet: it is stopped as soon as it has one.
    void (started.starting ?? Promise.resolve(undefined))
      .catch(() => undefined)
      .then((postgres) => {
        started.postgres ??= postgres;
        cleanUp();
        process.exit(130);
      });
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  console.log(`keyrack bench:token on PostgreSQL — ${SECONDS} s per run, connections ${CONNECTIONS.join(', ')}, data in ${root}`);
  try {
    const postgres = (started.postgres = await (started.starting = startBenchPostgres()));
    console.log(`PostgreSQL: ${postgres.url} (throwaway cluster, pg_stat_statements loaded, synchronous_commit on)`);
    const clients = await seed(dataDir, postgres.url);
    const { writeStoreSetting } = await import('../electron/db/store-choice.js');
    writeStoreSetting(dataDir, { kind: 'postgres', url: postgres.url, source: 'flag' });
    const publicKeyFile = join(root, KEY_PAIR_FILE);
    writeFileSync(publicKeyFile, KEY_PAIR.publicKey.export({ type: 'spki', format: 'pem' }));
    await postgresSuite(dataDir, publicKeyFile, postgres, clients, started.children);
  } finally {
    cleanUp();
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
}

/** One run against one or more servers of the same kind, and what it cost each process. */
interface NodesResult extends Pick<RunResult, 'connections' | 'rps' | 'p50' | 'p99' | 'errors' | 'non2xx'> {
  nodes: number;
  /** CPU µs per answered request of each server process (node 1, node 2, or oidc-provider's). */
  serverCpu: number[];
  /** PostgreSQL's processes, µs per request (Keyrack runs only). */
  postgresCpu?: number;
  /** This process (autocannon), µs per request. */
  driverCpu: number;
  /** Statements through the nodes' Store port per token issued (their /metrics counters, summed). */
  portTripsPerToken?: number;
  /** Statements PostgreSQL ran in Keyrack's database per token issued (pg_stat_statements). */
  serverTripsPerToken?: number;
  /** The statements behind serverTripsPerToken, most called first: text, calls per token. */
  statementsPerToken?: [string, number][];
  /** How the log's index caught up after the run (its work is in the CPU and round trips above). */
  catchUp?: string;
}

/** All processes' CPU a request, µs: what the machine spends on one token. */
const totalCpu = (r: NodesResult) => r.serverCpu.reduce((a, b) => a + b, 0) + (r.postgresCpu ?? 0) + r.driverCpu;
/** How many cores the processes kept busy during the run. */
const coresBusy = (r: NodesResult) => (totalCpu(r) * r.rps) / 1e6;

/**
 * One timed run with autocannon's connections split evenly between `servers` (round robin over their URLs),
 * so the latency is one histogram over all of them. Keyrack's index catch-up after the run counts, as in
 * drive(); on PostgreSQL the index is the store's, so one node's lag covers both.
 */
async function driveNodes(servers: Child[], connections: number, postgres?: BenchPostgres, seconds = SECONDS): Promise<NodesResult> {
  const keyrack = Boolean(servers[0]!.ready.fresh);
  const before = await Promise.all(servers.map((s) => s.stats()));
  const postgresCpuBefore = postgres?.cpuMicros() ?? 0;
  const statementsBefore = await postgres?.statements();
  const driverBefore = process.cpuUsage();
  const result = await autocannon({
    url: servers.map((s) => `${s.ready.url}${tokenPath(s)}`),
    method: 'POST',
    connections: Math.max(connections, servers.length),
    duration: seconds,
    pipelining: 1,
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(servers[0]!.ready.clientId, servers[0]!.ready.secret) },
    body: BODY,
  });
  const driver = process.cpuUsage(driverBefore);
  const catchUp = keyrack ? await indexCatchUp(servers[0]!) : undefined;
  const after = await Promise.all(servers.map((s) => s.stats()));
  const postgresCpuAfter = postgres?.cpuMicros() ?? 0;
  const statements = statementsBefore && statementsBetween(statementsBefore, (await postgres!.statements()));
  const total = Math.max(1, result.requests.total);
  const delta = (key: keyof StoreCounters) => after.reduce((sum, a, i) => sum + (a.store?.[key] ?? 0) - (before[i]!.store?.[key] ?? 0), 0);
  const tokens = Math.max(1, delta('tokens'));
  return {
    nodes: servers.length,
    connections: Math.max(connections, servers.length),
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    serverCpu: after.map((a, i) => (a.cpuMicros - before[i]!.cpuMicros) / total),
    driverCpu: (driver.user + driver.system) / total,
    ...(keyrack && statements
      ? {
          postgresCpu: (postgresCpuAfter - postgresCpuBefore) / total,
          portTripsPerToken: delta('roundTrips') / tokens,
          serverTripsPerToken: (statements.total - delta('benchStatements')) / tokens,
          statementsPerToken: statements.top.map(([text, calls]): [string, number] => [text, calls / tokens]),
          catchUp,
        }
      : {}),
  };
}

/**
 * Keyrack on one node, on two nodes over the same database, and oidc-provider, at each connection count in
 * turn (so a busy neighbour spreads over all three rather than landing on one), with no pinning.
 */
async function postgresSuite(dataDir: string, publicKeyFile: string, postgres: BenchPostgres, clients: Awaited<ReturnType<typeof seed>>, children: ChildProcess[]): Promise<void> {
  console.log('\n=== PostgreSQL store: Keyrack nodes, PostgreSQL, oidc-provider and autocannon share every core (no pinning)');
  console.log(`load average at start: ${loadavg().map((l) => l.toFixed(1)).join(', ')} on ${CORES} cores`);
  const start = async (...args: Parameters<typeof spawnChild>) => {
    const child = await spawnChild(...args);
    children.push(child.process);
    return child;
  };
  // One after the other: the first creates the signing key in the store, the second finds it there.
  const nodes = [await start(null, 'keyrack-child', dataDir, 'plain')];
  nodes.push(await start(null, 'keyrack-child', dataDir, 'plain'));
  for (const node of nodes) Object.assign(node.ready, clients);
  const oidc = await start(null, 'oidc-child', publicKeyFile);
  for (const server of [...nodes, oidc]) await preflight(server, server.ready.url);
  // Unrecorded load first: otherwise the first measured run carries the JIT's warm-up (and a node's first
  // argon2id verification) for whichever server it starts with.
  await driveNodes(nodes, Math.max(...CONNECTIONS), postgres, 2);
  await driveNodes([oidc], Math.max(...CONNECTIONS), undefined, 2);

  const runs: { connections: number; one: NodesResult; two: NodesResult; theirs: NodesResult }[] = [];
  for (const connections of CONNECTIONS) {
    const one = await driveNodes([nodes[0]!], connections, postgres);
    const two = await driveNodes(nodes, connections, postgres);
    const theirs = await driveNodes([oidc], connections);
    runs.push({ connections, one, two, theirs });
  }
  printPostgresRuns(runs);
}

function printPostgresRuns(runs: { connections: number; one: NodesResult; two: NodesResult; theirs: NodesResult }[]): void {
  const us = (n: number | undefined) => (n === undefined ? '-' : fmt(n));
  console.log('\nKeyrack on PostgreSQL (audit + last use on) and oidc-provider, plain HTTP on loopback; CPU in µs per request');
  console.log(
    '  server            conns      req/s   p50 ms   p99 ms  errors  non-2xx   CPU: server(s)     PostgreSQL  autocannon   all   cores busy   round trips/token: port | server',
  );
  for (const { one, two, theirs } of runs) {
    for (const [name, r] of [['Keyrack, 1 node', one], ['Keyrack, 2 nodes', two], ['oidc-provider', theirs]] as const) {
      const trips = r.portTripsPerToken === undefined ? '' : `${fmt(r.portTripsPerToken, 2).padStart(27)} | ${fmt(r.serverTripsPerToken!, 2)}`;
      console.log(
        `  ${name.padEnd(16)}  ${String(r.connections).padStart(5)}  ${fmt(r.rps).padStart(9)}  ${String(r.p50).padStart(7)}  ${String(r.p99).padStart(7)}  ` +
          `${String(r.errors).padStart(6)}  ${String(r.non2xx).padStart(7)}   ${r.serverCpu.map((c) => fmt(c)).join(' + ').padEnd(16)}  ` +
          `${us(r.postgresCpu).padStart(10)}  ${us(r.driverCpu).padStart(10)}  ${fmt(totalCpu(r)).padStart(5)}  ${fmt(coresBusy(r), 2).padStart(10)}${trips}`,
      );
    }
  }
  console.log(
    '  round trips: port = statements the nodes ran through the Store port (their /metrics: keyrack_store_round_trip_seconds_count ' +
      'over keyrack_tokens_issued_total); server = statements PostgreSQL ran in the database (pg_stat_statements: BEGIN, the write ' +
      "lock and COMMIT too), the bench's index-lag reads taken off. Both include the log index's catch-up after the run.",
  );
  console.log('\nlog index catch-up after each Keyrack run:');
  for (const { connections, one, two } of runs) console.log(`  ${connections} connections: 1 node ${one.catchUp}; 2 nodes ${two.catchUp}`);

  console.log(`\nload average at end: ${loadavg().map((l) => l.toFixed(1)).join(', ')}`);
  console.log("\nratio Keyrack on PostgreSQL / oidc-provider (req/s; CPU per request: Keyrack's nodes and PostgreSQL against oidc-provider's process):");
  const serverSide = (r: NodesResult) => r.serverCpu.reduce((a, b) => a + b, 0) + (r.postgresCpu ?? 0);
  for (const { connections, one, two, theirs } of runs) {
    for (const [name, r] of [['1 node ', one], ['2 nodes', two]] as const) {
      console.log(
        `  ${String(connections).padStart(5)} connections, ${name}: ${fmt(r.rps / theirs.rps, 2)}× the requests a second, ` +
          `${fmt(serverSide(r) / serverSide(theirs), 2)}× the CPU per request`,
      );
    }
  }

  const most = runs.find((r) => r.connections === Math.max(...CONNECTIONS))!;
  for (const [name, r] of [['1 node', most.one], ['2 nodes', most.two]] as const) {
    console.log(`\nstatements PostgreSQL ran per token, Keyrack ${name} at ${most.connections} connections (pg_stat_statements; the index-lag reads include the bench's):`);
    for (const [text, perToken] of r.statementsPerToken!.slice(0, 12)) console.log(`  ${fmt(perToken, 3).padStart(7)}  ${text.length > 150 ? `${text.slice(0, 147)}...` : text}`);
  }

  const { one, two } = most;
  const commits = (r: NodesResult) => r.statementsPerToken!.find(([text]) => text === 'COMMIT')?.[1] ?? 0;
  console.log(`\nwhat bounds two nodes on this machine (${most.connections} connections):`);
  console.log(`  two nodes answered ${fmt(two.rps)} req/s, one node ${fmt(one.rps)} (${fmt((100 * two.rps) / one.rps - 100)} %).`);
  console.log(
    `  CPU: a token costs ${fmt(totalCpu(two))} µs over all processes with two nodes (Keyrack ${two.serverCpu.map((c) => fmt(c)).join(' + ')}, ` +
      `PostgreSQL ${fmt(two.postgresCpu!)}, autocannon ${fmt(two.driverCpu)}), ${fmt(totalCpu(one))} µs with one; at that cost ${CORES} cores answer ` +
      `at most ${fmt((CORES * 1e6) / totalCpu(two))} req/s however many nodes there are. These processes kept ${fmt(coresBusy(two), 2)} of ` +
      `${CORES} cores busy (one node: ${fmt(coresBusy(one), 2)}); the rest went to the machine's other work (load average ${loadavg()[0]!.toFixed(1)}).`,
  );
  console.log(
    `  the write lock: every node's log commits queue on the store's one write lock (store-postgres.ts); two nodes commit smaller ` +
      `batches each, so more commits a token (${fmt(commits(one), 3)} with one node, ${fmt(commits(two), 3)} with two) and more round trips ` +
      `(${fmt(one.serverTripsPerToken!, 2)} -> ${fmt(two.serverTripsPerToken!, 2)}).`,
  );
  console.log(
    '  so a second node adds a process to schedule on the same two cores, not a core: the nodes, PostgreSQL and the load generator ' +
      'share them, and this run measures what a token costs on PostgreSQL, not how nodes scale (that needs a node per core or ' +
      'machine, with PostgreSQL and the load generator on cores of their own).',
  );
}

const mode = process.argv[2];
if (mode === 'keyrack-child') await keyrackChild(process.argv[3]!, process.argv[4] === 'tls' ? 'tls' : 'plain');
else if (mode === 'oidc-child') await oidcChild(process.argv[3]!);
else if (mode === 'bare-child') await bareChild();
else await main();
