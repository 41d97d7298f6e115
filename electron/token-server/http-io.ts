import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBodyUpTo } from '../net/read-body.js';
import { InvalidRequestError, toWire } from './errors.js';

/** A token request is a few hundred bytes; long scope lists fit easily in this. */
export const MAX_BODY_BYTES = 16 * 1024;

/** RFC 6749 §5.1: token responses (and errors) must never be cached. */
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' } as const;

export function sendJson(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    'content-type': 'application/json;charset=UTF-8',
    'content-length': Buffer.byteLength(body),
    ...NO_STORE,
    ...headers,
  });
  res.end(body);
}

/** 200 with no body (RFC 7009 §2.2), still not to be cached. */
export function sendEmpty(res: ServerResponse): void {
  if (res.headersSent) return;
  res.writeHead(200, { 'content-length': 0, ...NO_STORE });
  res.end();
}

/** JSON that may be cached (metadata, JWKS). */
export function sendPublicJson(res: ServerResponse, body: string, maxAgeSeconds: number): void {
  if (res.headersSent) return;
  res.writeHead(200, {
    'content-type': 'application/json;charset=UTF-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': `public, max-age=${maxAgeSeconds}`,
  });
  res.end(body);
}

export function sendError(res: ServerResponse, error: unknown): void {
  const wire = toWire(error);
  // A body we stopped reading (too large) leaves the connection unusable: close it after this response.
  const extra: Record<string, string> = error instanceof InvalidRequestError && error.status === 413 ? { connection: 'close' } : {};
  sendJson(res, wire.status, wire.body, { ...wire.headers, ...extra });
}

/**
 * The form body of a POST: RFC 6749 §3.2 requires application/x-www-form-urlencoded. Refuses other media
 * types (JSON included) and bodies over MAX_BODY_BYTES without reading them to the end.
 */
export function readFormBody(req: IncomingMessage): Promise<Buffer> {
  const type = req.headers['content-type'];
  const media = type?.split(';', 1)[0]!.trim().toLowerCase();
  if (media !== 'application/x-www-form-urlencoded') {
    return Promise.reject(
      new InvalidRequestError('The body must be application/x-www-form-urlencoded', 'wrong_content_type', 400, {
        contentType: type?.slice(0, 100) ?? null,
      }),
    );
  }
  return readBody(req);
}

/**
 * The JSON body of a registration request (RFC 7591 §3.1: application/json), parsed; within the same size
 * limit as a form, refused the same ways (wrong media type: 400 invalid_request; too large: 413).
 */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'];
  const media = type?.split(';', 1)[0]!.trim().toLowerCase();
  if (media !== 'application/json') {
    throw new InvalidRequestError('The body must be application/json', 'wrong_content_type', 400, { contentType: type?.slice(0, 100) ?? null });
  }
  const body = await readBody(req);
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new InvalidRequestError('The body is not valid JSON', 'malformed_json');
  }
}

/** The body's bytes, refused (413) past MAX_BODY_BYTES without reading it to the end. */
async function readBody(req: IncomingMessage): Promise<Buffer> {
  const body = await readBodyUpTo(req, MAX_BODY_BYTES);
  if (body === 'too_large') throw tooLarge();
  return body;
}

const tooLarge = () =>
  new InvalidRequestError(`The request body is larger than ${MAX_BODY_BYTES} bytes`, 'body_too_large', 413);
