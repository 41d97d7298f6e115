import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readBodyUpTo } from '../net/read-body.js';
import type { AddressInfo } from 'node:net';
import { AppError } from '../../shared/errors.js';
import { fail, type Result } from '../../shared/result.js';
import { BRIDGE_HEADER } from '../../shared/web-bridge.js';
import type { Core } from '../core.js';
import { dispatch, type ErrorLogger } from '../ipc/dispatch.js';
import { createHandlers } from '../ipc/handlers.js';
import type { HandlerRuntime } from '../services/runtime.js';
import { CONTENT_SECURITY_POLICY } from './csp.js';
import { BridgeSessions, sessionIdFromCookie } from './sessions.js';
import { readStaticFile } from './static-files.js';

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

export interface WebBridgeOptions {
  core: Core;
  /** 0 picks a free port. */
  port?: number;
  /** Loopback only: '127.0.0.1' or '::1'. Anything else is refused, the bridge has no TLS and no LAN story. */
  host?: '127.0.0.1' | '::1';
  /** The built renderer (vite build output). Without it only /api answers. */
  staticDir?: string | null;
  maxBodyBytes?: number;
  logError?: ErrorLogger;
  /** The token server and file handling behind the Token server page and exports (see web-app.ts). */
  runtime?: HandlerRuntime;
}

export interface WebBridge {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  close(): Promise<void>;
}

/**
 * Serves the built renderer and binds the contract to `POST /api/<channel>` on loopback, so browser tests
 * and `npm run dev:web` run the real renderer against the real core; only the transport differs from IPC.
 * Guards, in order: loopback Host (DNS rebinding), same-origin Origin, the custom header (CSRF), JSON
 * content type, body size; then the shared dispatcher (channel check, schema parse, Result).
 */
export async function startWebBridge(options: WebBridgeOptions): Promise<WebBridge> {
  const host = options.host ?? '127.0.0.1';
  if (host !== '127.0.0.1' && host !== '::1') throw new Error('The web bridge listens on loopback only');
  const handlers = createHandlers(options.core, options.runtime);
  const sessions = new BridgeSessions(options.core.deps.clock);
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      (options.logError ?? console.error)('web-bridge', error);
      if (!res.headersSent) sendJson(res, 500, fail(new AppError('internal', 'The bridge failed').toBody()));
      else res.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setSecurityHeaders(res);
    const hostHeader = (req.headers.host ?? '').toLowerCase();
    // A page on another name resolving to 127.0.0.1 (DNS rebinding) sends its own name as Host.
    if (!allowedHosts().has(hostHeader)) return sendJson(res, 421, refusal('forbidden', 'Unknown host'));
    const url = new URL(req.url ?? '/', `http://${hostHeader}`);

    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') {
        res.setHeader('Allow', 'POST');
        return sendJson(res, 405, refusal('validation', 'Use POST'));
      }
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== `http://${hostHeader}`) {
        return sendJson(res, 403, refusal('forbidden', 'Cross-origin calls are refused'));
      }
      if (req.headers[BRIDGE_HEADER] !== '1') {
        return sendJson(res, 403, refusal('forbidden', `Missing the ${BRIDGE_HEADER} header`));
      }
      if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
        return sendJson(res, 415, refusal('validation', 'Send JSON'));
      }
      const body = await readBodyUpTo(req, maxBody);
      if (body === 'too_large') {
        res.setHeader('Connection', 'close');
        return sendJson(res, 413, refusal('validation', `The request is larger than ${maxBody} bytes`));
      }
      let text: string;
      try {
        // RFC 8259 §8.1: JSON is UTF-8. Buffer#toString would turn bad bytes into U+FFFD and store them.
        text = new TextDecoder('utf-8', { fatal: true }).decode(body);
      } catch {
        return sendJson(res, 400, refusal('validation', 'The request is not valid UTF-8'));
      }
      let input: unknown;
      try {
        input = body.length === 0 ? {} : JSON.parse(text);
      } catch {
        return sendJson(res, 400, refusal('validation', 'The request is not valid JSON'));
      }
      const call = sessions.begin(sessionIdFromCookie(req.headers.cookie));
      const channel = decodeURIComponent(url.pathname.slice('/api/'.length));
      const result = await dispatch(handlers, channel, input, { session: call.slot, sourceIp: clientIp(req) }, options.logError);
      const cookie = sessions.finish(call);
      if (cookie) res.setHeader('Set-Cookie', cookie);
      return sendJson(res, 200, result);
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendText(res, 405, 'Method not allowed');
    }
    const file = options.staticDir ? await readStaticFile(options.staticDir, url.pathname) : null;
    if (!file) return sendText(res, 404, 'Not found');
    res.statusCode = 200;
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Length', file.body.length);
    res.setHeader('Cache-Control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://${host === '::1' ? '[::1]' : host}:${port}/`;

  return {
    url,
    port,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

const refusal = (code: 'forbidden' | 'validation', message: string): Result<never> => fail(new AppError(code, message).toBody());

function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  // Results can hold a new client secret: never cached anywhere.
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', body.length);
  res.end(body);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(text);
}


/** The peer address as the core records it; an IPv4 client on a dual-stack socket appears as ::ffff:a.b.c.d. */
function clientIp(req: IncomingMessage): string | null {
  const address = req.socket.remoteAddress ?? null;
  return address?.startsWith('::ffff:') ? address.slice(7) : address;
}
