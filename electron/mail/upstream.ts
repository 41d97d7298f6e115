import { performance } from 'node:perf_hooks';
import nodemailer from 'nodemailer';
import type { SMTPTransportOptions } from 'nodemailer/lib/smtp-transport';
import type { UpstreamTestResult } from '../../shared/mail.dto.js';
import type { KeyWrapper } from '../crypto/key-wrap.js';
import type { MailSettingsRecord } from '../repos/mail-settings.repo.js';

/**
 * The office's outgoing server as nodemailer reaches it: the one place that turns stored settings (with the
 * secret unwrapped only here, for this connection) into a transport, tests a connection, and sends.
 */

export type StoredUpstream = NonNullable<MailSettingsRecord['upstream']>;

/** Bounded waits: a dead upstream costs a delivery attempt, never a stuck worker. */
const CONNECTION_TIMEOUT_MS = 15_000;
const GREETING_TIMEOUT_MS = 15_000;
const SOCKET_TIMEOUT_MS = 60_000;

export interface UpstreamConnectOptions {
  /** Extra CAs to trust for the upstream's certificate (tests; an office CA). Default: the system's. */
  ca?: string | readonly string[] | undefined;
  /** The name the relay greets the upstream with (EHLO). */
  name?: string | undefined;
}

export function upstreamTransportOptions(up: StoredUpstream, wrapper: KeyWrapper | undefined, options: UpstreamConnectOptions = {}): SMTPTransportOptions {
  const secret = up.wrappedSecret && up.auth !== 'none' ? unwrapSecret(up.wrappedSecret, wrapper) : undefined;
  const auth: SMTPTransportOptions['auth'] =
    up.auth === 'password' && up.user
      ? { user: up.user, pass: secret ?? '' }
      : up.auth === 'oauth2' && up.user
        ? { type: 'OAuth2', user: up.user, accessToken: secret ?? '' }
        : undefined;
  return {
    host: up.host,
    port: up.port,
    secure: up.tls === 'implicit',
    // STARTTLS is required, never optional: a server that does not offer it is refused rather than spoken to in clear.
    requireTLS: up.tls === 'starttls',
    ...(auth ? { auth } : {}),
    ...(options.name ? { name: options.name } : {}),
    tls: { minVersion: 'TLSv1.2', ...(options.ca ? { ca: options.ca as string | string[] } : {}) },
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    greetingTimeout: GREETING_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
    // nodemailer's own logger stays off: it would print the AUTH exchange.
    logger: false,
  };
}

function unwrapSecret(wrapped: Buffer, wrapper: KeyWrapper | undefined): string {
  if (!wrapper) throw new Error('The upstream secret is wrapped and this process holds no key to unwrap it (master key or OS keychain)');
  return wrapper.unwrap(wrapped).toString('utf8');
}

/** Connects, says EHLO, upgrades to TLS and logs in, then quits: sends nothing (nodemailer verify). */
export async function testUpstream(up: StoredUpstream, wrapper: KeyWrapper | undefined, options: UpstreamConnectOptions = {}): Promise<UpstreamTestResult> {
  const started = performance.now();
  const result = (ok: boolean, message: string): UpstreamTestResult => ({
    ok,
    host: up.host,
    port: up.port,
    message,
    tookMs: Math.round(performance.now() - started),
  });
  let transport: ReturnType<typeof nodemailer.createTransport> | undefined;
  try {
    transport = nodemailer.createTransport(upstreamTransportOptions(up, wrapper, options));
    await transport.verify();
    return result(true, up.auth === 'none' ? 'Connected' : 'Connected and logged in');
  } catch (error) {
    return result(false, describeUpstreamError(error));
  } finally {
    transport?.close();
  }
}

/** What the upstream answered to one delivery. */
export type DeliveryOutcome =
  | { kind: 'sent'; reply: string }
  /** 4xx, a connection problem, a timeout: try again later. */
  | { kind: 'temporary'; reply: string | null; error: string }
  /** 5xx: the upstream will not take this message; retrying cannot help. */
  | { kind: 'permanent'; reply: string | null; error: string };

type Transport = ReturnType<typeof nodemailer.createTransport>;

/**
 * Open connections to the upstreams, reused from message to message (nodemailer's pool): a TCP connect, a
 * TLS handshake and a login per message cost the delivery worker most of its time. One pool per distinct
 * upstream setting, so a changed setting (a new password) gets a fresh pool and the old one is closed.
 */
export class UpstreamPools {
  private readonly pools = new Map<string, { options: SMTPTransportOptions; transport: Transport }>();

  constructor(private readonly maxConnections = 4) {}

  get(options: SMTPTransportOptions, mailboxKey: string): Transport {
    const key = JSON.stringify(options);
    const current = this.pools.get(mailboxKey);
    if (current && JSON.stringify(current.options) === key) return current.transport;
    current?.transport.close();
    const transport = nodemailer.createTransport({ ...options, pool: true, maxConnections: this.maxConnections, maxMessages: 100 });
    this.pools.set(mailboxKey, { options, transport });
    return transport;
  }

  closeAll(): void {
    for (const { transport } of this.pools.values()) transport.close();
    this.pools.clear();
  }
}

/** Hands one message, as its raw bytes, to the upstream with the relay's envelope. */
export async function deliver(
  transport: Transport,
  envelope: { from: string; to: readonly string[] },
  raw: Buffer,
): Promise<DeliveryOutcome> {
  try {
    const info = await transport.sendMail({ envelope: { from: envelope.from, to: [...envelope.to] }, raw });
    if (info.rejected.length > 0 && info.accepted.length === 0) {
      return { kind: 'permanent', reply: info.response, error: 'every recipient was refused' };
    }
    return { kind: 'sent', reply: info.response };
  } catch (error) {
    const code = (error as { responseCode?: number }).responseCode;
    const reply = (error as { response?: string }).response ?? null;
    const described = describeUpstreamError(error);
    if (typeof code === 'number' && code >= 500 && code < 600) return { kind: 'permanent', reply, error: described };
    return { kind: 'temporary', reply, error: described };
  }
}

/** One line for the log and the Mailboxes page: nodemailer's message with the server's reply, never a secret. */
export function describeUpstreamError(error: unknown): string {
  const e = error as { message?: string; code?: string; response?: string };
  const text = e.response ?? e.message ?? String(error);
  const line = `${e.code ? `${e.code}: ` : ''}${text}`.replace(/\s+/g, ' ').trim();
  return line.length > 500 ? `${line.slice(0, 497)}...` : line;
}
