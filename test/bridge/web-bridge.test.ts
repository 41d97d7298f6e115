import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../electron/web-bridge/csp.js';
import { startWebBridge, type WebBridge } from '../../electron/web-bridge/server.js';
import { BridgeSessions, sessionIdFromCookie } from '../../electron/web-bridge/sessions.js';
import { makeCore, tempDir, type TestCore } from '../support/core.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => { ok: boolean; value?: unknown; error?: { code: string; message: string; fields?: Record<string, string> } };
}

let core: TestCore;
let bridge: WebBridge;
let staticRoot: string;

/** Raw HTTP, so the test controls every header (Host included) and the exact path bytes. */
function send(options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: bridge.port, method: options.method ?? 'GET', path: options.path, headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
        });
      },
    );
    req.setTimeout(5_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(options.body);
  });
}

const api = (channel: string, input: unknown, extra: Record<string, string> = {}) =>
  send({
    method: 'POST',
    path: `/api/${channel}`,
    headers: { 'content-type': 'application/json', 'x-keyrack': '1', ...extra },
    body: JSON.stringify(input),
  });

const cookieOf = (reply: Reply): string => {
  const set = reply.headers['set-cookie'];
  const first = Array.isArray(set) ? set[0] : set;
  if (!first) throw new Error('no Set-Cookie');
  return first.split(';')[0]!;
};

beforeAll(async () => {
  core = makeCore();
  const dir = tempDir('keyrack-static-');
  staticRoot = join(dir, 'site');
  mkdirSync(join(staticRoot, 'assets'), { recursive: true });
  writeFileSync(join(staticRoot, 'index.html'), '<!doctype html><title>Keyrack</title>');
  writeFileSync(join(staticRoot, 'assets', 'app-abc123.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'outside the static root');
  bridge = await startWebBridge({ core, port: 0, host: '127.0.0.1', staticDir: staticRoot, maxBodyBytes: 4096, logError: () => {} });
});

afterAll(async () => {
  await bridge?.close();
  core?.cleanup();
});

describe('static files', () => {
  it('serves index.html at / with the app CSP and hardening headers', async () => {
    const reply = await send({ path: '/' });
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('<title>Keyrack</title>');
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(reply.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['x-frame-options']).toBe('DENY');
    expect(reply.headers['cache-control']).toBe('no-cache');
  });

  it('serves hashed assets as immutable', async () => {
    const reply = await send({ path: '/assets/app-abc123.js' });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(reply.headers['cache-control']).toContain('immutable');
  });

  it.each(['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/index.html%00.js', '/nope.js'])(
    'refuses %s',
    async (path) => {
      const reply = await send({ path });
      expect(reply.status).toBe(404);
      expect(reply.text).not.toContain('outside the static root');
    },
  );

  it('refuses methods other than GET and HEAD outside /api', async () => {
    expect((await send({ method: 'POST', path: '/' })).status).toBe(405);
  });
});

describe('API guards', () => {
  it('answers a well-formed call with the Result as JSON, never cached', async () => {
    const reply = await api('auth.status', {});
    expect(reply.status).toBe(200);
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.json()).toEqual({ ok: true, value: { setupNeeded: true, session: null } });
  });

  it('refuses a call without the custom header (what a cross-site form would send)', async () => {
    const reply = await send({ method: 'POST', path: '/api/auth.status', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(reply.status).toBe(403);
    expect(reply.json().error?.code).toBe('forbidden');
  });

  it('refuses another origin and another Host name (DNS rebinding)', async () => {
    expect((await api('auth.status', {}, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await api('auth.status', {}, { host: `evil.example:${bridge.port}` })).status).toBe(421);
    expect((await api('auth.status', {}, { origin: `http://localhost:${bridge.port}`, host: `localhost:${bridge.port}` })).status).toBe(200);
  });

  it('refuses GET, non-JSON bodies, broken JSON and bodies over the limit', async () => {
    expect((await send({ path: '/api/auth.status', headers: { 'x-keyrack': '1' } })).status).toBe(405);
    const form = await send({
      method: 'POST',
      path: '/api/auth.status',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-keyrack': '1' },
      body: 'a=1',
    });
    expect(form.status).toBe(415);
    const broken = await send({ method: 'POST', path: '/api/auth.status', headers: { 'content-type': 'application/json', 'x-keyrack': '1' }, body: '{' });
    expect(broken.status).toBe(400);
    const big = await api('auth.login', { name: 'x', password: 'y'.repeat(5000) });
    expect(big.status).toBe(413);
  });

  it('refuses a body that is not UTF-8 instead of reading its bad bytes as U+FFFD', async () => {
    const body = Buffer.concat([Buffer.from('{"name":"CRM'), Buffer.from([0xff]), Buffer.from('","password":"correct horse battery"}')]);
    const reply = await send({ method: 'POST', path: '/api/auth.setup', headers: { 'content-type': 'application/json', 'x-keyrack': '1' }, body });
    expect(reply.status).toBe(400);
    expect(reply.json().error?.message).toBe('The request is not valid UTF-8');
    expect(core.auth.setupNeeded()).toBe(true);
  });

  it('answers an unknown channel and bad input as errors in the Result', async () => {
    expect((await api('users.dropTable', {})).json().error?.code).toBe('not_found');
    const bad = (await api('auth.setup', { name: '', password: 'short' })).json();
    expect(bad.ok).toBe(false);
    expect(bad.error?.code).toBe('validation');
    expect(Object.keys(bad.error?.fields ?? {})).toEqual(expect.arrayContaining(['name', 'password']));
  });

  it('only listens on loopback', async () => {
    await expect(startWebBridge({ core, host: '0.0.0.0' as '127.0.0.1' })).rejects.toThrow(/loopback/);
  });
});

describe('sessions', () => {
  it('keeps one session per browser in an HttpOnly SameSite=Strict cookie', async () => {
    const first = await api('auth.status', {});
    const setCookie = String(first.headers['set-cookie']);
    expect(setCookie).toMatch(/^keyrack_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    const browserA = cookieOf(first);

    const setup = await api('auth.setup', { name: 'alice', password: 'correct horse battery' }, { cookie: browserA });
    expect(setup.json().ok).toBe(true);
    expect(setup.headers['set-cookie']).toBeUndefined();

    const statusA = (await api('auth.status', {}, { cookie: browserA })).json();
    expect(statusA.value).toMatchObject({ setupNeeded: false, session: { name: 'alice' } });

    // Another browser (no cookie, or a forged one) is not logged in.
    const statusB = (await api('auth.status', {}, { cookie: 'keyrack_session=' + 'A'.repeat(43) })).json();
    expect(statusB.value).toMatchObject({ session: null });
    expect((await api('users.list', {})).json().error?.code).toBe('unauthenticated');

    const list = (await api('users.list', {}, { cookie: browserA })).json();
    expect(list.ok).toBe(true);
    expect(list.value).toMatchObject({ total: 1 });

    // Logging out ends it for that browser.
    await api('auth.logout', {}, { cookie: browserA });
    expect((await api('users.list', {}, { cookie: browserA })).json().error?.code).toBe('unauthenticated');
  });

  it('records the caller address on a failed login', async () => {
    await api('auth.login', { name: 'alice', password: 'wrong password here' });
    const events = core.log.search({ kind: 'cli', name: 'cli:tester' }, { type: 'auth.login', outcome: 'failure' });
    expect(events.rows[0]?.sourceIp).toBe('127.0.0.1');
  });

  it('reads only a well-formed session cookie and drops the oldest session past the cap', () => {
    expect(sessionIdFromCookie('a=b; keyrack_session=' + 'x'.repeat(43))).toBe('x'.repeat(43));
    expect(sessionIdFromCookie('keyrack_session=short')).toBeNull();
    expect(sessionIdFromCookie(undefined)).toBeNull();
    const sessions = new BridgeSessions(2);
    const a = sessions.resolve(null);
    const b = sessions.resolve(null);
    sessions.resolve(a.id); // a is now the most recently used
    sessions.resolve(null);
    expect(sessions.size).toBe(2);
    expect(sessions.resolve(a.id).created).toBe(false);
    expect(sessions.resolve(b.id).created).toBe(true);
  });
});
