/**
 * npm run bench:mail — the mail relay under load, against a plain pass-through on the same machine.
 *
 * Keyrack runs as shipped in a child process of its own (one event loop, as in production): the token server
 * host `keyrack serve` uses, with the relay enabled, a submission listener on loopback (plain: the host runs
 * without TLS on 127.0.0.1), an API user holding mail:send and its mailbox, and an upstream with STARTTLS and a
 * password login. Every accepted message goes through the checks (XOAUTH2 token, the sender rule, limits) and
 * is committed to the store's queue (WAL, synchronous=FULL) before the 250; the delivery worker then hands it
 * to the upstream over its connection pool.
 *
 * The peer, the ceiling: a plain `smtp-server` that answers 250 as soon as the message is read and forwards
 * it with nodemailer (a pool of as many connections as Keyrack's) to the same upstream: no login, no checks,
 * no durability.
 *
 * The upstream (an smtp-server with STARTTLS and a login, counting what it gets) and the senders run in this
 * process. Each sender is one SMTP connection, authenticated once (XOAUTH2 with a Keyrack token; none for the
 * peer), sending messages one after the other: MAIL, RCPT, DATA, the message, and the time from writing DATA
 * to reading the 250 after the final dot. A run lasts BENCH_SECONDS; then the queue drains and "delivered" is
 * what the upstream got, per second from the run's start to the last delivery.
 *
 * Environment: BENCH_SECONDS (per run, default 10), BENCH_SENDERS (default 1,16), BENCH_MESSAGE_BYTES (the
 * message's size, default 4096).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseInputOf } from '../shared/contract.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SENDERS = (process.env.BENCH_SENDERS ?? '1,16').split(',').map(Number);
const MESSAGE_BYTES = Number(process.env.BENCH_MESSAGE_BYTES ?? 4096);
const MAILBOX = 'bench@example.com';
const UPSTREAM_USER = 'bench-relay';
/** Made by the driver and handed to the peer child in its environment (each process evaluates this module). */
const UPSTREAM_PASSWORD = (process.env.BENCH_UPSTREAM_PASSWORD ??= randomBytes(12).toString('base64url'));
/** Keyrack's delivery pool (electron/mail/upstream.ts): the peer forwards over as many connections. */
const PEER_POOL = 4;
const DRAIN_TIMEOUT_MS = 60_000;

interface Ready {
  /** The SMTP port senders connect to. */
  smtpPort: number;
  /** Keyrack's token endpoint (the peer has none). */
  tokenUrl?: string;
}

interface RunResult {
  senders: number;
  accepted: number;
  refused: number;
  seconds: number;
  /** ms from writing DATA to reading the 250 after the final dot. */
  latencies: number[];
  delivered: number;
  /** From the run's start to the last delivery. */
  deliveredSeconds: number;
}

// ─── The upstream: the office's server, in this process ──────────────────────────────────────────────────

interface Upstream {
  port: number;
  received: number;
  lastAt: number;
  close(): Promise<void>;
}

async function startUpstream(tls: { key: string; cert: string }): Promise<Upstream> {
  const { SMTPServer } = await import('smtp-server');
  const state = { received: 0, lastAt: 0 };
  const server = new SMTPServer({
    key: tls.key,
    cert: tls.cert,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    disableReverseLookup: true,
    size: 64 * 1024 * 1024,
    onAuth: (auth, _session, cb) =>
      auth.username === UPSTREAM_USER && auth.password === UPSTREAM_PASSWORD ? cb(null, { user: auth.username }) : cb(new Error('Invalid login')),
    onData: (stream, _session, cb) => {
      stream.on('data', () => {});
      stream.on('end', () => {
        state.received++;
        state.lastAt = performance.now();
        cb(null);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    get received() {
      return state.received;
    },
    get lastAt() {
      return state.lastAt;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ─── Keyrack: the store seeded here, the host in a child ─────────────────────────────────────────────────

/** The admin's side, as the CLI would do it: catalogue, group, mailbox, API user, upstream, relay settings. */
async function seed(dataDir: string, upstreamPort: number, smtpPort: number): Promise<{ clientId: string; secret: string }> {
  const { openCore } = await import('../electron/core.js');
  const { createPasswordHasher } = await import('../electron/crypto/password.js');
  const { headlessKeyWrapper } = await import('../electron/crypto/key-wrap.js');
  const { MailService } = await import('../electron/services/mail.service.js');
  const core = openCore({ dataDir, passwords: createPasswordHasher() });
  try {
    const cli = { kind: 'cli' as const, name: 'cli:bench' };
    await core.rights.addResource(cli, parseInputOf('rights.addResource', { name: 'mail', actions: ['send'] }));
    const group = await core.groups.create(cli, parseInputOf('groups.create', { name: 'Senders', rights: [{ resource: 'mail', action: 'send' }] }));
    const mailbox = await core.mailboxes.create(cli, parseInputOf('mailboxes.create', { address: MAILBOX, displayName: 'Bench' }));
    const user = await core.users.createApiUser(cli, parseInputOf('users.createApiUser', { name: 'Bench sender', groupIds: [group.id], mailboxIds: [mailbox.id] }));
    const mail = new MailService(core.deps, () => headlessKeyWrapper(dataDir));
    await mail.setUpstream(cli, parseInputOf('mail.setUpstream', {
      mailboxId: null, host: '127.0.0.1', port: upstreamPort, tls: 'starttls', auth: 'password', user: UPSTREAM_USER, secret: UPSTREAM_PASSWORD,
    }));
    // Limits out of the way: the bench measures the path, not the per-user rate.
    await mail.updateRelaySettings(cli, parseInputOf('mail.updateRelaySettings', {
      enabled: true, submissionPort: smtpPort, implicitTlsPort: null, ratePerMinute: 100_000, maxRecipients: 100,
    }));
    return { clientId: user.clientId, secret: user.secret };
  } finally {
    core.close();
  }
}

/** The host `keyrack serve` runs, on 127.0.0.1: the token server and, beside it, the relay. */
async function keyrackChild(dataDir: string, caFile: string): Promise<void> {
  const { openCore } = await import('../electron/core.js');
  const { createPasswordHasher } = await import('../electron/crypto/password.js');
  const { headlessKeyWrapper } = await import('../electron/crypto/key-wrap.js');
  const { createTokenServerHost } = await import('../electron/token-server/host.js');
  const core = openCore({ dataDir, passwords: createPasswordHasher() });
  const host = createTokenServerHost({
    core,
    dataDir,
    keyWrapper: headlessKeyWrapper(dataDir),
    host: '127.0.0.1',
    port: 0,
    log: () => {},
    // The upstream's certificate comes from this bench's CA (an office CA, for a real one).
    mail: { upstream: { ca: readFileSync(caFile, 'utf8') } },
  });
  const status = await host.start();
  const relay = await host.mailRelayStatus();
  if (!relay.running) throw new Error(`the relay did not start: ${relay.lastError}`);
  process.send!({ ready: { smtpPort: relay.listening[0]!.port, tokenUrl: new URL('oauth2/token', status.urls[0]).href } satisfies Ready });
}

/** The ceiling: read the message, answer 250, forward it; nothing checked, nothing written down. */
async function peerChild(upstreamPort: number, caFile: string): Promise<void> {
  const { SMTPServer } = await import('smtp-server');
  const nodemailer = (await import('nodemailer')).default;
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: upstreamPort,
    secure: false,
    requireTLS: true,
    tls: { ca: readFileSync(caFile, 'utf8') },
    auth: { user: UPSTREAM_USER, pass: UPSTREAM_PASSWORD },
    pool: true,
    maxConnections: PEER_POOL,
    maxMessages: 100,
  });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    disableReverseLookup: true,
    onData: (stream, session, cb) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      // Read before the 250: smtp-server resets the envelope for the next message once answered.
      const envelope = { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address) };
      stream.on('end', () => {
        cb(null);
        transport.sendMail({ envelope, raw: Buffer.concat(chunks) }).catch((error: unknown) => console.error('peer: forward failed:', error));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  process.send!({ ready: { smtpPort: (server.server.address() as AddressInfo).port } satisfies Ready });
}

function startChild(args: string[]): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = fork(fileURLToPath(import.meta.url), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { ready: Ready }) => resolve({ child, ready: m.ready }));
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code}`)));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

// ─── The senders: raw SMTP, one connection each ──────────────────────────────────────────────────────────

/** One SMTP connection: writes a command, resolves with the final line of the reply. */
class SmtpConnection {
  private buffer = '';
  private waiting: ((line: string) => void) | undefined;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString('latin1');
      for (;;) {
        const end = this.buffer.indexOf('\r\n');
        if (end < 0) break;
        const line = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        if (/^\d{3}( |$)/.test(line)) {
          const w = this.waiting;
          this.waiting = undefined;
          w?.(line);
        }
      }
    });
  }

  static async open(port: number): Promise<SmtpConnection> {
    const socket = connect(port, '127.0.0.1');
    const c = new SmtpConnection(socket);
    const greeting = c.reply();
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    await greeting;
    return c;
  }

  private reply(): Promise<string> {
    return new Promise((resolve) => (this.waiting = resolve));
  }

  send(text: string): Promise<string> {
    const next = this.reply();
    this.socket.write(text);
    return next;
  }

  close(): void {
    this.socket.end('QUIT\r\n');
  }
}

/** A message of about MESSAGE_BYTES: headers as an integration writes them, a text body, dot-stuffing free. */
function message(n: number): string {
  const head = `From: Bench <${MAILBOX}>\r\nTo: customer${n}@customer.example\r\nSubject: Bench message ${n}\r\nMessage-ID: <${randomBytes(9).toString('hex')}@bench.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n`;
  const line = 'Your viewing is confirmed for Friday at ten; the keys are at the office.\r\n';
  return head + line.repeat(Math.max(1, Math.ceil((MESSAGE_BYTES - head.length) / line.length)));
}

async function sender(port: number, token: string | null, until: number, result: RunResult): Promise<void> {
  const c = await SmtpConnection.open(port);
  await c.send('EHLO bench.example\r\n');
  if (token) {
    // XOAUTH2 (Google's SASL mechanism): user and bearer, base64, one line.
    const xoauth2 = Buffer.from(`user=${MAILBOX}\x01auth=Bearer ${token}\x01\x01`).toString('base64');
    const auth = await c.send(`AUTH XOAUTH2 ${xoauth2}\r\n`);
    if (!auth.startsWith('235')) throw new Error(`login refused: ${auth}`);
  }
  const body = message(0);
  let n = 0;
  while (performance.now() < until) {
    n++;
    const from = await c.send(`MAIL FROM:<${MAILBOX}>\r\n`);
    const rcpt = await c.send(`RCPT TO:<customer${n}@customer.example>\r\n`);
    if (!from.startsWith('250') || !rcpt.startsWith('250')) {
      result.refused++;
      await c.send('RSET\r\n');
      continue;
    }
    const started = performance.now();
    const go = await c.send('DATA\r\n');
    if (!go.startsWith('354')) throw new Error(`DATA refused: ${go}`);
    const done = await c.send(`${body}\r\n.\r\n`);
    if (done.startsWith('250')) {
      result.latencies.push(performance.now() - started);
      result.accepted++;
    } else {
      result.refused++;
      if (result.refused === 1) console.error(`refused: ${done}`);
    }
  }
  c.close();
}

async function run(port: number, token: string | null, senders: number, upstream: Upstream): Promise<RunResult> {
  const result: RunResult = { senders, accepted: 0, refused: 0, seconds: SECONDS, latencies: [], delivered: 0, deliveredSeconds: 0 };
  const before = upstream.received;
  const start = performance.now();
  const until = start + SECONDS * 1000;
  await Promise.all(Array.from({ length: senders }, () => sender(port, token, until, result)));
  result.seconds = (performance.now() - start) / 1000;
  const drainUntil = performance.now() + DRAIN_TIMEOUT_MS;
  while (upstream.received - before < result.accepted && performance.now() < drainUntil) await sleep(20);
  result.delivered = upstream.received - before;
  result.deliveredSeconds = (upstream.lastAt - start) / 1000;
  return result;
}

// ─── Reporting ───────────────────────────────────────────────────────────────────────────────────────────

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Row {
  accepted: number;
  delivered: number;
  p50: number;
  p99: number;
}

function summarize(r: RunResult): Row {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  return { accepted: r.accepted / r.seconds, delivered: r.delivered / r.deliveredSeconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function accessToken(tokenUrl: string, clientId: string, secret: string): Promise<string> {
  const response = await fetch(tokenUrl, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&scope=mail%3Asend',
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token: ${JSON.stringify(body)}`);
  return body.access_token;
}

/** How many messages the store's queue holds: each one accepted must be there (written before its 250). */
async function queuedRows(dataDir: string): Promise<number> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(join(dataDir, 'keyrack.db'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM mail_queue').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  const { aesGcmKeyWrapper } = await import('../electron/crypto/key-wrap.js');
  const { loadOrCreateTlsMaterial } = await import('../electron/crypto/tls.js');
  const work = mkdtempSync(join(tmpdir(), 'keyrack-bench-mail-'));
  const dataDir = join(work, 'keyrack');
  const upstreamDir = join(work, 'upstream');
  const children: ChildProcess[] = [];
  try {
    const tls = await loadOrCreateTlsMaterial(upstreamDir, aesGcmKeyWrapper(randomBytes(32), 'bench upstream'), { hostnames: ['localhost'], addresses: ['127.0.0.1'] });
    const caFile = join(work, 'upstream-ca.pem');
    writeFileSync(caFile, tls.caCert);
    const upstream = await startUpstream(tls);
    const user = await seed(dataDir, upstream.port, await freePort());

    console.log(`bench:mail — ${SECONDS} s per run, senders ${SENDERS.join(', ')}, ${MESSAGE_BYTES}-byte messages, one recipient each`);
    console.log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, load ${loadavg().map(f2).join(' ')}, Node ${process.version}`);
    console.log('Keyrack: XOAUTH2 once per connection, the sender rule, limits, queued durably before 250, delivered by the worker');
    console.log(`peer:    smtp-server → nodemailer pool (${PEER_POOL} connections), 250 on receipt, no checks, no durability\n`);

    const keyrack = await startChild(['keyrack-child', dataDir, caFile]);
    children.push(keyrack.child);
    const token = await accessToken(keyrack.ready.tokenUrl!, user.clientId, user.secret);
    const ours: RunResult[] = [];
    for (const n of SENDERS) ours.push(await run(keyrack.ready.smtpPort, token, n, upstream));
    await stopChild(keyrack.child);
    const accepted = ours.reduce((sum, r) => sum + r.accepted, 0);
    const rows = await queuedRows(dataDir);

    const peer = await startChild(['peer-child', String(upstream.port), caFile]);
    children.push(peer.child);
    const theirs: RunResult[] = [];
    for (const n of SENDERS) theirs.push(await run(peer.ready.smtpPort, null, n, upstream));
    await stopChild(peer.child);
    await upstream.close();

    const header = 'senders  server    accepted/s  delivered/s  DATA→250 p50   p99     refused';
    console.log(header);
    console.log('-'.repeat(header.length));
    for (const [i, n] of SENDERS.entries()) {
      for (const [name, r] of [['Keyrack', ours[i]!], ['peer', theirs[i]!]] as const) {
        const s = summarize(r);
        console.log(
          `${String(n).padStart(7)}  ${name.padEnd(8)}  ${f1(s.accepted).padStart(10)}  ${f1(s.delivered).padStart(11)}  ${`${f2(s.p50)} ms`.padStart(12)}  ${`${f2(s.p99)} ms`.padStart(9)}  ${String(r.refused).padStart(7)}`,
        );
      }
    }
    console.log('');
    for (const [i, n] of SENDERS.entries()) {
      const k = summarize(ours[i]!);
      const p = summarize(theirs[i]!);
      console.log(`${n} sender${n === 1 ? '' : 's'}: Keyrack accepts ${f1((100 * k.accepted) / p.accepted)} % and delivers ${f1((100 * k.delivered) / p.delivered)} % of the peer's rate`);
    }
    const undelivered = [...ours, ...theirs].filter((r) => r.delivered !== r.accepted);
    console.log(`durable: ${rows} messages in Keyrack's queue for ${accepted} answered 250 (${rows === accepted ? 'every one' : 'MISMATCH'}); each committed (WAL, synchronous=FULL) before its 250`);
    if (undelivered.length > 0) console.log(`NOT ALL DELIVERED within ${DRAIN_TIMEOUT_MS / 1000} s: ${undelivered.map((r) => `${r.delivered}/${r.accepted}`).join(', ')}`);
  } finally {
    for (const child of children) await stopChild(child);
    rmSync(work, { recursive: true, force: true });
  }
}

const mode = process.argv[2];
if (mode === 'keyrack-child') await keyrackChild(process.argv[3]!, process.argv[4]!);
else if (mode === 'peer-child') await peerChild(Number(process.argv[3]), process.argv[4]!);
else await main();
