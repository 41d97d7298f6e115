import SASL from 'smtp-server/lib/sasl.js';
import { CONTROL_CHARACTER } from '../../shared/text.js';
import type { SMTPServerAuthentication, SMTPServerAuthenticationResponse, SMTPServerSession } from 'smtp-server';

/**
 * SASL OAUTHBEARER (RFC 7628) for smtp-server, which implements XOAUTH2 but not its standard successor.
 * smtp-server looks a mechanism up as `SASL_<NAME>` on its SASL table (smtp-connection.js handler_AUTH), so
 * the mechanism is added there, once, written like the library's own XOAUTH2: it hands the bearer to the
 * server's onAuth as `{ method: 'OAUTHBEARER', username, accessToken }`. Checked against smtp-server 3.21;
 * test/mail/relay-smtp.test.ts fails if an upgrade moves the table.
 *
 * The exchange (§3.1, §3.2.3): `AUTH OAUTHBEARER base64("n,a=user," ^A "auth=Bearer <token>" ^A ^A)`, or the
 * same after an empty 334 challenge. On failure the server sends 334 with a JSON error (§3.2.2), the client
 * answers a lone ^A, and the server ends with 535.
 */

/** The part of smtp-server's connection a mechanism uses (it runs with the connection as `this`). */
interface Connection {
  send(code: number, message?: string): void;
  session: SMTPServerSession;
  _nextHandler: ((data: Buffer | string, callback: () => void) => void) | false | undefined;
  _server: {
    onAuth(auth: SMTPServerAuthentication | OAuthBearerAuthentication, session: SMTPServerSession, cb: (err: Error | null | undefined, res?: SMTPServerAuthenticationResponse) => void): void;
  };
  _transmissionType(): string;
}

export interface OAuthBearerAuthentication {
  method: 'OAUTHBEARER';
  username: string;
  accessToken: string;
}


/** Parses the client's initial response; undefined when it is not a well-formed OAUTHBEARER message. */
export function parseOAuthBearer(encoded: string): { username: string; accessToken: string } | undefined {
  const text = Buffer.from(encoded.trim(), 'base64').toString('utf8');
  const [gs2, ...pairs] = text.split('\x01');
  // gs2-header: "n," (no channel binding) then an optional "a=<authzid>" then ",".
  const header = /^n,(?:a=([^,]*))?,$/.exec(gs2 ?? '');
  if (!header) return undefined;
  let accessToken: string | undefined;
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq) === 'auth') {
      const match = /^Bearer +(\S+)$/i.exec(pair.slice(eq + 1));
      if (match) accessToken = match[1];
    }
  }
  const username = (header[1] ?? '').replace(/=2C/g, ',').replace(/=3D/g, '=');
  if (!accessToken || CONTROL_CHARACTER.test(username)) return undefined;
  return { username, accessToken };
}

function tokenStep(this: Connection, canAbort: boolean, raw: Buffer | string, callback: () => void): void {
  const data = raw.toString().trim();
  if (canAbort && data === '*') {
    this.send(501, 'Authentication aborted');
    return callback();
  }
  const parsed = parseOAuthBearer(data);
  if (!parsed) {
    this.send(501, 'Error: invalid userdata');
    return callback();
  }
  this._server.onAuth({ method: 'OAUTHBEARER', ...parsed }, this.session, (err, response) => {
    if (err) {
      this.send((err as { responseCode?: number }).responseCode ?? 535, err.message);
      return callback();
    }
    if (!response?.user) {
      // §3.2.2: the error as a JSON challenge; the client's ^A is answered with the final failure.
      this._nextHandler = (_data, done) => {
        this.send(535, '5.7.8 Authentication credentials invalid');
        done();
      };
      this.send(334, Buffer.from(JSON.stringify({ status: 'invalid_token', scope: 'mail:send' })).toString('base64'));
      return callback();
    }
    this.session.user = response.user;
    this.session.transmissionType = this._transmissionType();
    this.send(235, 'Authentication successful');
    callback();
  });
}

let installed = false;

/** Adds OAUTHBEARER to smtp-server's mechanisms (idempotent). List it in the server's authMethods to offer it. */
export function installOAuthBearer(): void {
  if (installed) return;
  installed = true;
  (SASL as unknown as Record<string, unknown>).SASL_OAUTHBEARER = function (this: Connection, args: string[], callback: () => void): void {
    if (args.length > 1) {
      this.send(501, 'Error: syntax: AUTH OAUTHBEARER token');
      return callback();
    }
    if (!args.length) {
      this._nextHandler = tokenStep.bind(this, true);
      this.send(334);
      return callback();
    }
    tokenStep.call(this, false, args[0]!, callback);
  };
}
