import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { isAppUrl } from './app-origin.js';
import { CONTENT_TYPES } from './content-types.js';
import { CONTENT_SECURITY_POLICY } from './csp.js';

/**
 * Serves the built renderer for the app:// scheme (`protocol.handle` in main). Plain Node and the web
 * `Response` class so the path rules are tested without Electron: only the app host, only GET, only files
 * inside the renderer folder (no `..`, no symlink out of it), a fixed content type per extension, and the
 * CSP plus the usual hardening headers on every answer.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

/**
 * The file a request maps to, or null when it must not be served. `/` is index.html; a path without an
 * extension is a client-side route of the single-page app, so it also gets index.html.
 */
export function resolveAppPath(rootDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (!isAppUrl(requestUrl)) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  // A NUL or a backslash has no business in a renderer asset path and confuses path APIs on some systems.
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const wanted = pathname === '/' || extname(pathname) === '' ? '/index.html' : pathname;
  const root = resolve(rootDir);
  const file = resolve(join(root, wanted));
  return isInside(root, file) ? file : null;
}

const isInside = (root: string, file: string): boolean => {
  const rel = relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) && !rel.split(sep).includes('..');
};

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The whole answer for one request: 200 with the file, or a plain 404/405 that reveals nothing. */
export async function serveAppRequest(rootDir: string, request: { url: string; method: string }): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed');
  const file = resolveAppPath(rootDir, request.url);
  if (!file) return plain(404, 'Not found');
  try {
    // Resolve symlinks and check again, so a link inside the folder cannot point outside it.
    const real = await realpath(file);
    if (!isInside(await realpath(rootDir), real) || !(await stat(real)).isFile()) return plain(404, 'Not found');
    const body = request.method === 'HEAD' ? null : await readFile(real);
    return new Response(body, { status: 200, headers: { ...SECURITY_HEADERS, 'content-type': contentTypeFor(real) } });
  } catch {
    return plain(404, 'Not found');
  }
}

const plain = (status: number, text: string): Response =>
  new Response(text, { status, headers: { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' } });
