/**
 * npm run bench:flood — a legitimate client's latency while a flood of wrong secrets hits its client id
 * (issue 17, item 2).
 *
 * The server runs as `keyrack serve` does (createTokenServerHost on 127.0.0.1, production argon2id, audit
 * writer on its worker thread), in a child process, like bench/token.ts starts it. The flood runs in another
 * child: FLOOD_CONNECTIONS keep-alive connections (default 300) from 127.0.0.2–254, each sending wrong
 * secrets for the legitimate client's id as fast as it is answered. Meanwhile this process is the
 * legitimate client, from its usual address 127.0.0.1:
 *   - warm: one client whose verification is cached, requests one after another;
 *   - cold: COLD_CLIENTS clients that authenticated from 127.0.0.1 before the server restarted, so the
 *     restarted server has nothing of theirs in memory (no cached verification, no address); each makes
 *     one request on a new connection (one argon2id verification each), half of them spread over the
 *     baseline, half over the flood.
 * Phases: a baseline without the flood (BASELINE_SECONDS, default 5), then the flood (FLOOD_SECONDS,
 * default 20). Printed: the legitimate client's p50/p99/max and success rate, the flood's rate and answers,
 * the server's CPU. No timing is asserted anywhere: the machine is shared and noisy; read the numbers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseInputOf } from '../shared/contract.js';

const BASELINE_SECONDS = Number(process.env.BASELINE_SECONDS ?? 5);
const FLOOD_SECONDS = Number(process.env.FLOOD_SECONDS ?? 20);
const FLOOD_CONNECTIONS = Number(process.env.FLOOD_CONNECTIONS ?? 300);
const COLD_CLIENTS = Number(process.env.COLD_CLIENTS ?? 20);
const BODY = 'grant_type=client_credentials';

interface Credentials {
  clientId: string;
  secret: string;
}

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** Sockets any request of this process was sent on: how often the flood had to connect again. */
const socketsSeen = new WeakSet<object>();
let socketsOpened = 0;

/** One POST /oauth2/token on `agent`: status (0: a transport error) and milliseconds. */
function post(url: string, agent: Agent, credentials: Credentials): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(
      `${url}/oauth2/token`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(BODY),
          authorization: basic(credentials.clientId, credentials.secret),
        },
        timeout: 10_000,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
        res.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
      },
    );
    req.on('socket', (socket) => {
      if (!socketsSeen.has(socket)) {
        socketsSeen.add(socket);
        socketsOpened++;
      }
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
    req.end(BODY);
  });
}

// ---------------------------------------------------------------- children

/** `keyrack serve` on 127.0.0.1, port 0; answers 'stats' with its CPU time. */
async function serverChild(dataDir: string): Promise<void> {
  const { openCore } = await import('../electron/core.js');
  const { createPasswordHasher } = await import('../electron/crypto/password.js');
  const { headlessKeyWrapper } = await import('../electron/crypto/key-wrap.js');
  const { createTokenServerHost } = await import('../electron/token-server/host.js');
  const core = openCore({ dataDir, passwords: createPasswordHasher() });
  const host = createTokenServerHost({ core, dataDir, keyWrapper: headlessKeyWrapper(dataDir), host: '127.0.0.1', port: 0, log: console.log });
  const status = await host.start();
  // How late the event loop runs its timers: a request waits at least this long for its turn.
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  process.on('message', (message) => {
    if (message === 'stats') {
      const { user, system } = process.cpuUsage();
      process.send!({ cpuMicros: user + system, rss: process.memoryUsage().rss, loopDelayP99Ms: loopDelay.percentile(99) / 1e6 });
      loopDelay.reset();
    } else if (message === 'stop') {
      void host.stop().then(() => {
        core.close();
        process.exit(0);
      });
    }
  });
  process.send!({ url: status.urls[0]! });
}

/** The flood: wrong secrets for `clientId` from 127.0.0.2–254, as fast as they are answered. */
async function floodChild(url: string, clientId: string, connections: number): Promise<void> {
  const byStatus = new Map<number, number>();
  let running = true;
  const started = performance.now();
  const loops = Array.from({ length: connections }, async (_, i) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1, localAddress: `127.0.0.${2 + (i % 253)}` });
    const credentials = { clientId, secret: `wrong-secret-${i}` };
    while (running) {
      const { status } = await post(url, agent, credentials);
      byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
      if (status === 0) await sleep(10); // refused or reset: do not spin
    }
    agent.destroy();
  });
  process.on('message', (message) => {
    if (message !== 'stop') return;
    running = false;
    const seconds = (performance.now() - started) / 1000;
    void Promise.all(loops).then(() => {
      process.send!({ seconds, byStatus: Object.fromEntries(byStatus), socketsOpened });
      process.exit(0);
    });
  });
  process.send!({ ready: true });
}

// ---------------------------------------------------------------- driver

interface Child {
  process: ChildProcess;
  first: Record<string, unknown>;
  ask<T>(message: string): Promise<T>;
}

function spawnChild(env: NodeJS.ProcessEnv, ...args: string[]): Promise<Child> {
  // BENCH_CPU_PROF=DIR: the server writes a V8 CPU profile there (node --cpu-prof), to see where its time goes.
  const profile = args[0] === 'server-child' && process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, fileURLToPath(import.meta.url), ...args], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code}`)));
    child.once('message', (first) => {
      child.removeAllListeners('exit');
      resolve({
        process: child,
        first: first as Record<string, unknown>,
        ask: <T>(message: string) =>
          new Promise<T>((answer) => {
            child.once('message', (m) => answer(m as T));
            child.send(message);
          }),
      });
    });
  });
}

/** The server's environment: the glibc setting docs/token-server.md recommends for `keyrack serve`. */
const SERVER_ENV = { ...process.env, MALLOC_MMAP_THRESHOLD_: '131072' };

async function startServer(dataDir: string): Promise<Child & { url: string }> {
  const child = await spawnChild(SERVER_ENV, 'server-child', dataDir);
  return Object.assign(child, { url: child.first.url as string });
}

async function stopServer(child: Child): Promise<void> {
  const exited = new Promise((resolve) => child.process.once('exit', resolve));
  child.process.send('stop');
  await exited;
}

async function seed(dataDir: string): Promise<{ warm: Credentials; cold: Credentials[] }> {
  const { openCore } = await import('../electron/core.js');
  const { createPasswordHasher } = await import('../electron/crypto/password.js');
  const core = openCore({ dataDir, passwords: createPasswordHasher() });
  try {
    const cli = { kind: 'cli' as const, name: 'cli:bench' };
    await core.rights.addResource(cli, parseInputOf('rights.addResource', { name: 'properties', actions: ['read'] }));
    const group = await core.groups.create(cli, parseInputOf('groups.create', { name: 'CRM', rights: [{ resource: 'properties', action: 'read' }] }));
    // No allowlist: the flood's addresses may try, as on an office LAN where the client calls from anywhere.
    const crm = await core.users.createApiUser(cli, parseInputOf('users.createApiUser', { name: 'CRM', groupIds: [group.id] }));
    const cold: Credentials[] = [];
    for (let i = 0; i < COLD_CLIENTS; i++) {
      const c = await core.users.createApiUser(cli, parseInputOf('users.createApiUser', { name: `Worker ${i}`, groupIds: [group.id] }));
      cold.push({ clientId: c.clientId, secret: c.secret });
    }
    return { warm: { clientId: crm.clientId, secret: crm.secret }, cold };
  } finally {
    core.close();
  }
}

interface Latencies {
  ms: number[];
  ok: number;
  total: number;
  /** Statuses of the failed requests (0: a transport error). */
  failed: number[];
}

const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);

function summary(name: string, l: Latencies): string {
  const sorted = [...l.ms].sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(1).padStart(7);
  const rate = l.total === 0 ? 'n/a' : `${((100 * l.ok) / l.total).toFixed(1)} %`;
  const failed = l.failed.length > 0 ? ` (failed: ${l.failed.join(', ')})` : '';
  return `  ${name.padEnd(34)} n=${String(l.total).padStart(5)}  p50 ${f(percentile(sorted, 50))} ms  p99 ${f(percentile(sorted, 99))} ms  max ${f(sorted.at(-1) ?? NaN)} ms  success ${rate}${failed}`;
}

/** The warm client, one request after another until `until()` is false. */
async function warmLoop(url: string, credentials: Credentials, until: () => boolean): Promise<Latencies> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const result: Latencies = { ms: [], ok: 0, total: 0, failed: [] };
  while (until()) {
    const { status, ms } = await post(url, agent, credentials);
    result.ms.push(ms);
    result.total++;
    if (status === 200) result.ok++;
    else result.failed.push(status);
  }
  agent.destroy();
  return result;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyrack-flood-'));
  console.log(
    `keyrack bench:flood — baseline ${BASELINE_SECONDS} s, flood ${FLOOD_SECONDS} s with ${FLOOD_CONNECTIONS} connections ` +
      `from 127.0.0.2–254, ${COLD_CLIENTS} cold clients; load average at start ${loadavg().map((l) => l.toFixed(1)).join(', ')}`,
  );
  try {
    const clients = await seed(dataDir);
    // Every client authenticates once from 127.0.0.1, then the server restarts: it remembers nothing in memory.
    const first = await startServer(dataDir);
    const agent = new Agent({ keepAlive: false });
    for (const c of [clients.warm, ...clients.cold]) {
      const { status } = await post(first.url, agent, c);
      if (status !== 200) throw new Error(`priming ${c.clientId}: ${status}`);
    }
    await stopServer(first);

    const server = await startServer(dataDir);
    // Half the cold clients make their first request during the baseline (what one argon2id verification
    // costs on this machine now), half during the flood.
    const half = Math.floor(clients.cold.length / 2);
    const coldSeries = (list: Credentials[], startMs: number, spanMs: number, into: Latencies) =>
      (async () => {
        await sleep(startMs);
        for (const c of list) {
          const { status, ms } = await post(server.url, new Agent({ keepAlive: false }), c);
          into.ms.push(ms);
          into.total++;
          if (status === 200) into.ok++;
          else into.failed.push(status);
          await sleep(spanMs / Math.max(1, list.length));
        }
      })();
    const cpu0 = await server.ask<{ cpuMicros: number }>('stats');
    let t0 = performance.now();
    const coldBaseline: Latencies = { ms: [], ok: 0, total: 0, failed: [] };
    const coldBaselineRun = coldSeries(clients.cold.slice(0, half), 500, (BASELINE_SECONDS - 1) * 1000, coldBaseline);
    const baseline = await warmLoop(server.url, clients.warm, () => performance.now() - t0 < BASELINE_SECONDS * 1000);
    await coldBaselineRun;
    const cpu1 = await server.ask<{ cpuMicros: number; loopDelayP99Ms: number }>('stats');
    const baselineCpu = (cpu1.cpuMicros - cpu0.cpuMicros) / 1e4 / ((performance.now() - t0) / 1000);

    const flood = await spawnChild(process.env, 'flood-child', server.url, clients.warm.clientId, String(FLOOD_CONNECTIONS));
    t0 = performance.now();
    const during = () => performance.now() - t0 < FLOOD_SECONDS * 1000;
    const warm = warmLoop(server.url, clients.warm, during);
    const cold: Latencies = { ms: [], ok: 0, total: 0, failed: [] };
    // From 2 s on: the flood has reached the back-off by then.
    const coldRun = coldSeries(clients.cold.slice(half), 2_000, (FLOOD_SECONDS - 3) * 1000, cold);
    const warmResult = await warm;
    await coldRun;
    const cpu2 = await server.ask<{ cpuMicros: number; rss: number; loopDelayP99Ms: number }>('stats');
    const floodSeconds = (performance.now() - t0) / 1000;
    const floodCpu = (cpu2.cpuMicros - cpu1.cpuMicros) / 1e4 / floodSeconds;
    const floodStats = await flood.ask<{ seconds: number; byStatus: Record<string, number>; socketsOpened: number }>('stop');
    await stopServer(server);

    const floodTotal = Object.values(floodStats.byStatus).reduce((a, b) => a + b, 0);
    const answers = Object.entries(floodStats.byStatus)
      .map(([status, n]) => `${status === '0' ? 'errors' : status} ${((100 * n) / floodTotal).toFixed(1)} %`)
      .join(', ');
    console.log('\nlegitimate client (from 127.0.0.1):');
    console.log(summary('warm, no flood', baseline));
    console.log(summary('warm, during the flood', warmResult));
    console.log(summary('cold, no flood', coldBaseline));
    console.log(summary('cold, during the flood', cold));
    console.log(
      `\nflood: ${(floodTotal / floodStats.seconds).toFixed(0)} req/s (${floodTotal} in ${floodStats.seconds.toFixed(1)} s): ${answers}; ` +
        `${floodStats.socketsOpened} connections opened`,
    );
    console.log(`server CPU: ${baselineCpu.toFixed(0)} % without the flood, ${floodCpu.toFixed(0)} % during it (100 % = one core); RSS ${(cpu2.rss / 1048576).toFixed(0)} MB`);
    console.log(`server event-loop delay p99: ${cpu1.loopDelayP99Ms.toFixed(1)} ms without the flood, ${cpu2.loopDelayP99Ms.toFixed(1)} ms during it`);
    // CPU time is what the load of the shared machine changes least: the flood's cost per request it sent.
    const floodInWindow = (floodTotal * floodSeconds) / floodStats.seconds;
    console.log(`server CPU per flood request (all threads, legitimate work included): ${((cpu2.cpuMicros - cpu1.cpuMicros) / floodInWindow).toFixed(0)} µs`);
    const all = [...warmResult.ms, ...cold.ms].sort((a, b) => a - b);
    const met = (ok: boolean) => (ok ? 'met   ' : 'MISSED');
    console.log('\ntargets during the flood (issue 17, item 2):');
    console.log(`  ${met(percentile([...warmResult.ms].sort((a, b) => a - b), 99) <= 50)} warm p99 ≤ 50 ms`);
    console.log(`  ${met(percentile([...cold.ms].sort((a, b) => a - b), 99) <= 50)} cold p99 ≤ 50 ms`);
    console.log(`  ${met(warmResult.ok === warmResult.total && cold.ok === cold.total)} 100 % success (${all.length} requests)`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const mode = process.argv[2];
if (mode === 'server-child') await serverChild(process.argv[3]!);
else if (mode === 'flood-child') await floodChild(process.argv[3]!, process.argv[4]!, Number(process.argv[5]));
else await main();
