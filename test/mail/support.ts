import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { loadOrCreateTlsMaterial, type TlsMaterial } from '../../electron/crypto/tls.js';
import { DEFAULT_MAIL_RELAY_SETTINGS } from '../../electron/mail/mail-settings.js';
import { startMailRelay, type MailRelayOptions, type RunningMailRelay } from '../../electron/mail/relay.js';
import { MailService } from '../../electron/services/mail.service.js';
import type { MailRelaySettings } from '../../shared/mail.dto.js';
import { parseInputOf } from '../../shared/contract.js';
import { startFixture, tokenRequest, type Client, type Fixture, type FixtureOptions } from '../token-server/support.js';

/** What the test upstream (the office's server) received: the envelope, the raw message, and the login. */
export interface Received {
  from: string;
  to: string[];
  raw: string;
  user: string | undefined;
}

/**
 * An `smtp-server` standing in for the office's outgoing server: STARTTLS with a certificate from the test
 * store's CA, a password login, and every message recorded. `refuse` makes it answer DATA with a permanent
 * 5xx; `stop()` and `start()` take it down and bring it back on the same port.
 */
export class TestUpstream {
  readonly received: Received[] = [];
  refuse: string | null = null;
  port = 0;
  private server: SMTPServer | undefined;

  constructor(private readonly tls: TlsMaterial) {}

  async start(port = this.port): Promise<void> {
    const server = new SMTPServer({
      key: this.tls.key,
      cert: this.tls.cert,
      authMethods: ['PLAIN', 'LOGIN'],
      logger: false,
      disableReverseLookup: true,
      onAuth: (auth, _session, cb) =>
        auth.username === 'relay-user' && auth.password === 'upstream-password' ? cb(null, { user: auth.username }) : cb(new Error('Invalid login')),
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (this.refuse) return cb(Object.assign(new Error(this.refuse), { responseCode: 554 }));
          this.received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
            user: session.user as string | undefined,
          });
          cb(null);
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export interface MailFixture extends Fixture {
  tls: TlsMaterial;
  upstream: TestUpstream;
  relay: RunningMailRelay;
  mail: MailService;
  /** The STARTTLS submission port (587's stand-in) and the implicit TLS one (465's). */
  submissionPort: number;
  implicitPort: number;
  mailboxId: number;
}

export interface MailFixtureOptions extends FixtureOptions {
  relay?: Partial<MailRelaySettings>;
  delivery?: MailRelayOptions['delivery'];
}

/** The token server fixture (CRM Sync holds mail:send and info@example.com), a test upstream, and the relay. */
export async function startMailFixture(options: MailFixtureOptions = {}): Promise<MailFixture> {
  const f = await startFixture(options);
  const tls = await loadOrCreateTlsMaterial(f.core.dataDir, f.wrapper, { hostnames: ['localhost'], addresses: ['127.0.0.1'] });
  const upstream = new TestUpstream(tls);
  await upstream.start(0);
  const mail = new MailService(f.core.deps, () => f.wrapper, { ca: tls.caCert });
  await mail.setUpstream(f.admin, parseInputOf('mail.setUpstream', {
    mailboxId: null, host: '127.0.0.1', port: upstream.port, tls: 'starttls', auth: 'password', user: 'relay-user', secret: 'upstream-password',
  }));
  const mailboxId = (await f.core.mailboxes.list(f.admin)).find((m) => m.address === 'info@example.com')!.id;
  const relay = await startMailRelay({
    server: f.server.context,
    deps: f.core.deps,
    settings: { ...DEFAULT_MAIL_RELAY_SETTINGS, enabled: true, ...options.relay },
    host: '127.0.0.1',
    tls: { key: tls.key, cert: tls.cert },
    keyWrapper: f.wrapper,
    submissionPort: 0,
    implicitTlsPort: 0,
    delivery: { pollMs: 100, firstRetryMs: 200, maxRetryMs: 400, ...options.delivery },
    upstream: { ca: tls.caCert },
  });
  const port = (mode: string) => relay.listeners.find((l) => l.mode === mode)!.port;
  return {
    ...f,
    tls,
    upstream,
    relay,
    mail,
    submissionPort: port('starttls'),
    implicitPort: port('implicit'),
    mailboxId,
    async close() {
      await relay.close();
      await upstream.stop();
      await f.close();
    },
  };
}

export async function accessToken(f: Fixture, client: Client = f.crm): Promise<string> {
  const reply = await tokenRequest(f, {}, client);
  if (reply.status !== 200) throw new Error(`token request failed: ${reply.text}`);
  return reply.json.access_token as string;
}

/** nodemailer as an integration would use it: STARTTLS on the submission port, trusting Keyrack's CA. */
export function integration(f: MailFixture, auth: { accessToken: string } | { clientId: string; secret: string }, implicit = false) {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port: implicit ? f.implicitPort : f.submissionPort,
    secure: implicit,
    requireTLS: !implicit,
    tls: { ca: f.tls.caCert, servername: 'localhost' },
    auth: 'accessToken' in auth ? { type: 'OAuth2', user: 'info@example.com', accessToken: auth.accessToken } : { user: auth.clientId, pass: auth.secret },
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 10_000,
    logger: false,
  });
}

/** Waits until `check` holds, polling; fails after `ms`. */
export async function eventually<T>(check: () => T | undefined | false | Promise<T | undefined | false>, ms = 5_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface MailEvent {
  type: string;
  outcome: string;
  reason: string | null;
  actorName: string;
  targetUserId: number | null;
  sourceIp: string | null;
  details: Record<string, unknown>;
}

/** The mail.* audit events, oldest first. */
export function mailEvents(f: Fixture): MailEvent[] {
  const rows = f.core.db
    .prepare(
      `SELECT type, outcome, reason, actor_name AS actorName, target_user_id AS targetUserId, source_ip AS sourceIp, details
       FROM audit_events WHERE type LIKE 'mail.%' ORDER BY id`,
    )
    .all() as (Omit<MailEvent, 'details'> & { details: string | null })[];
  return rows.map((r) => ({ ...r, details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : {} }));
}
