import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { contentTypeFor, resolveAppPath, serveAppRequest } from '../../electron/shell/app-protocol.js';
import { CONTENT_SECURITY_POLICY } from '../../electron/shell/csp.js';

let base: string;
let root: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'keyrack-app-protocol-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  mkdirSync(join(root, 'fonts.v2'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Keyrack</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(base, 'keyrack.db'), 'SECRET DATABASE BYTES');
  symlinkSync(join(base, 'keyrack.db'), join(root, 'assets', 'escape.js'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => serveAppRequest(root, { url, method });

describe('the app:// protocol handler', () => {
  test('serves the entry page and assets with the CSP and a fixed content type', async () => {
    const page = await get('app://keyrack/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>Keyrack</title>');

    const script = await get('app://keyrack/assets/index-abc.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  test('the root and client-side routes get index.html', async () => {
    for (const url of ['app://keyrack/', 'app://keyrack', 'app://keyrack/users/12']) {
      const response = await get(url);
      expect(response.status, url).toBe(200);
      expect(await response.text()).toContain('Keyrack');
    }
  });

  test.each([
    ['a dot-dot path', 'app://keyrack/../keyrack.db'],
    ['an encoded dot-dot path', 'app://keyrack/%2e%2e/keyrack.db'],
    ['an encoded slash', 'app://keyrack/assets%2f..%2f..%2fkeyrack.db'],
    ['a backslash', 'app://keyrack/assets%5c..%5c..%5ckeyrack.db'],
    ['a NUL byte', 'app://keyrack/index.html%00.js'],
    ['a symlink out of the folder', 'app://keyrack/assets/escape.js'],
    ['a missing file', 'app://keyrack/assets/missing.js'],
    ['a folder', 'app://keyrack/fonts.v2'],
    ['another host', 'app://other/index.html'],
    ['a port', 'app://keyrack:99/index.html'],
    ['another scheme', 'file:///etc/passwd'],
    ['bad percent-encoding', 'app://keyrack/%E0%A4%A.js'],
  ])('refuses %s with a plain 404', async (_label, url) => {
    const response = await get(url);
    expect(response.status).toBe(404);
    const body = await response.text();
    expect(body).toBe('Not found');
    expect(body).not.toContain('SECRET');
  });

  test('only GET and HEAD', async () => {
    expect((await get('app://keyrack/index.html', 'POST')).status).toBe(405);
    const head = await get('app://keyrack/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  test('path resolution stays inside the folder', () => {
    expect(resolveAppPath(root, 'app://keyrack/assets/index-abc.js')).toBe(join(root, 'assets', 'index-abc.js'));
    expect(resolveAppPath(root, 'app://keyrack/assets/../index.html')).toBe(join(root, 'index.html'));
    // The URL parser itself clamps dot segments at the root, so this names a (missing) file inside the folder.
    expect(resolveAppPath(root, 'app://keyrack/%2e%2e/%2e%2e/etc/passwd.js')).toBe(join(root, 'etc', 'passwd.js'));
    expect(contentTypeFor('x.unknown')).toBe('application/octet-stream');
  });
});
