import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { TLS_SERVER_OPTIONS } from '../crypto/tls.js';
import { clientIp } from '../net/client-ip.js';
import type { RequestInfo } from '../token-server/context.js';
import { MailRefusal, refusals } from './refusals.js';
import type { MailRelayContext } from './relay-context.js';
import { recordSecretUse } from '../repos/credentials.repo.js';
import { installOAuthBearer, type OAuthBearerAuthentication } from './sasl-oauthbearer.js';
import { MailAuthError, senderFromSecret, senderFromToken, type MailAuthMethod, type MailSender } from './sender-auth.js';
import { acceptRaw, checkRecipientCount, openMessage, recordLoginRefusal, recordRefusal, type OpenMessage } from './submission.js';

/**
 * One SMTP submission listener (RFC 6409) on smtp-server: 587 with STARTTLS required before AUTH, 465 with
 * implicit TLS (RFC 8314), or plain on loopback only (tests, a local integration). Every message needs an
 * AUTH first; each rule refuses at the command that broke it (submission.ts).
 */
export type ListenerMode = 'starttls' | 'implicit' | 'plain-loopback';

export interface ListenerOptions {
  mode: ListenerMode;
  host: string;
  port: number;
  /** PEM key and certificate (the token server's, from Keyrack's CA); required unless plain-loopback. */
  tls?: { key: string; cert: string } | undefined;
  /** The name the relay greets with. */
  name: string;
}

export interface RunningListener {
  mode: ListenerMode;
  port: number;
  close(): Promise<void>;
}

/** What one connection has settled so far: the message MAIL FROM opened. */
interface SessionState {
  open?: OpenMessage | undefined;
}

const AUTH_METHODS = ['PLAIN', 'XOAUTH2', 'OAUTHBEARER'];

export async function startSmtpListener(rc: MailRelayContext, options: ListenerOptions): Promise<RunningListener> {
  installOAuthBearer();
  const states = new Map<string, SessionState>();
  const state = (session: SMTPServerSession): SessionState => {
    let s = states.get(session.id);
    if (!s) states.set(session.id, (s = {}));
    return s;
  };
  const requestOf = (session: SMTPServerSession): RequestInfo => ({
    ip: clientIp(session.remoteAddress, undefined, []),
    startedAt: performance.now(),
  });
  const senderOf = (session: SMTPServerSession) => session.user as unknown as MailSender;
  /** Logs a refusal, then answers it; a refusal that cannot be logged is answered as a temporary failure. */
  const refuse = (session: SMTPServerSession, request: RequestInfo, error: unknown, details: Record<string, unknown>, cb: (e: Error) => void) => {
    const refusal = error instanceof MailRefusal ? error : refusals.internal();
    if (!(error instanceof MailRefusal)) details = { ...details, error: (error as Error).message?.slice(0, 200) };
    recordRefusal(rc, request, session.user ? senderOf(session) : undefined, refusal, details).then(
      () => cb(withCode(refusal)),
      () => cb(Object.assign(new Error('4.3.0 Temporary failure, try again later'), { responseCode: 451 })),
    );
  };

  const server = new SMTPServer({
    secure: options.mode === 'implicit',
    ...(options.tls ? { key: options.tls.key, cert: options.tls.cert, ...TLS_SERVER_OPTIONS } : {}),
    name: options.name,
    banner: 'Keyrack mail relay',
    size: rc.settings.maxMessageBytes,
    authMethods: AUTH_METHODS,
    // On 587 AUTH waits for STARTTLS (smtp-server answers 538 before it); plain exists only on loopback.
    allowInsecureAuth: options.mode === 'plain-loopback',
    disabledCommands: options.mode === 'plain-loopback' ? ['STARTTLS'] : [],
    disableReverseLookup: true,
    logger: false,
    maxClients: 512,
    socketTimeout: 60_000,
    closeTimeout: 10_000,

    onAuth(auth, session, callback) {
      const request = requestOf(session);
      const method = auth.method as MailAuthMethod;
      const login = async (): Promise<MailSender> => {
        if (auth.method === 'PLAIN') {
          // Client secrets only inside TLS, whatever the listener (RFC 6749 §2.3.1 asks the same of the token endpoint).
          if (!session.secure) throw Object.assign(new Error('5.7.11 Encryption required: use STARTTLS or port 465 for AUTH PLAIN'), { responseCode: 538 });
          const sender = await senderFromSecret(rc.server, auth.username ?? '', auth.password ?? '', request);
          // The secret's last use, as after a token request: the Users page must not call a secret in use "never used".
          if (sender.secretId !== undefined) await recordSecretUse(rc.store, sender.secretId, rc.clock.now(), request.ip);
          return sender;
        }
        const token = (auth as unknown as OAuthBearerAuthentication).accessToken;
        if ((auth.method === 'XOAUTH2' || (auth.method as string) === 'OAUTHBEARER') && token) {
          return senderFromToken(rc.server, token, request.ip, method);
        }
        throw new MailAuthError('unsupported_method');
      };
      login().then(
        (sender) => callback(null, { user: sender as never }),
        (error: unknown) => {
          if (!(error instanceof MailAuthError)) {
            // Ours (538 above) as it is; anything else (the store, the argon2 queue full) is temporary and says
            // nothing of the inside (RFC 4954 §6: 454 4.7.0).
            if ((error as { responseCode?: number }).responseCode === 538) return callback(error as Error);
            return callback(Object.assign(new Error('4.7.0 Temporary authentication failure, try again later'), { responseCode: 454 }));
          }
          recordLoginRefusal(rc, request, error, method).then(
            // XOAUTH2 and OAUTHBEARER report a failure as a challenge (smtp-server / sasl-oauthbearer.ts), PLAIN with 535.
            () => callback(null, method === 'PLAIN' ? { message: '5.7.8 Authentication credentials invalid' } as never : { data: { status: '401' } } as never),
            () => callback(Object.assign(new Error('4.3.0 Temporary failure, try again later'), { responseCode: 454 })),
          );
        },
      );
    },

    onMailFrom(address: SMTPServerAddress, session, callback) {
      const request = requestOf(session);
      const s = state(session);
      s.open = undefined;
      const args = address.args as Record<string, string> | false | undefined;
      const size = Number((args && args.SIZE) || 0);
      openMessage(rc, senderOf(session), address.address)
        .then((open) => {
          // RFC 1870: a declared SIZE over this mailbox's limit is refused before any data is sent.
          if (size > open.settings.maxMessageBytes) throw refusals.tooBig(open.settings.maxMessageBytes);
          s.open = open;
          callback();
        })
        .catch((error: unknown) => refuse(session, request, error, { stage: 'MAIL FROM' }, callback));
    },

    onRcptTo(_address, session, callback) {
      try {
        checkRecipientCount(rc, session.envelope.rcptTo.length);
        callback();
      } catch (error) {
        refuse(session, requestOf(session), error, { stage: 'RCPT TO' }, callback);
      }
    },

    onData(stream: SMTPServerDataStream, session, callback) {
      const request = requestOf(session);
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        // Past the limit nothing more is kept; smtp-server answers 552 itself (its `size` option).
        if (size <= rc.settings.maxMessageBytes) chunks.push(chunk);
      });
      stream.on('error', (error) => callback(error));
      stream.on('end', () => {
        const open = state(session).open;
        state(session).open = undefined;
        if (stream.sizeExceeded) {
          return refuse(session, request, refusals.tooBig(rc.settings.maxMessageBytes), { stage: 'DATA', size }, callback);
        }
        if (!open) return callback(Object.assign(new Error('5.5.1 MAIL FROM first'), { responseCode: 503 }));
        const recipients = session.envelope.rcptTo.map((r) => r.address);
        acceptRaw(rc, open, recipients, Buffer.concat(chunks, size), request)
          .then((id) => callback(null, `2.0.0 Ok: queued as ${id}`))
          .catch((error: unknown) => refuse(session, request, error, { stage: 'DATA', size, mailbox: open.mailbox.address }, callback));
      });
    },

    onClose(session) {
      states.delete(session.id);
    },
  });
  server.on('error', () => {
    // A client's broken connection; the listener goes on. (Never logged with content.)
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    mode: options.mode,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** smtp-server sends an error's `responseCode` and message as the reply: "550 5.7.1 …". */
function withCode(refusal: MailRefusal): Error {
  return Object.assign(new Error(refusal.text), { responseCode: refusal.smtpCode });
}
