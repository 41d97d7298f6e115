import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../electron/web-bridge/csp.js';
import { startWebBridge, type WebBridge } from '../../electron/web-bridge/server.js';
import { BridgeSessions, sessionIdFromCookie } from '../../electron/web-bridge/sessions.js';
import { makeCore, tempDir, testClock, type TestCore } from '../support/core.js';
import { parseInputOf } from '../../shared/contract.js';

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
    expect(await core.auth.setupNeeded()).toBe(true);
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
  it('issues a session cookie (HttpOnly, SameSite=Strict) at login, and none to an anonymous caller', async () => {
    const first = await api('auth.status', {});
    expect(first.headers['set-cookie']).toBeUndefined();

    const setup = await api('auth.setup', { name: 'alice', password: 'correct horse battery' });
    expect(setup.json().ok).toBe(true);
    expect(String(setup.headers['set-cookie'])).toMatch(/^keyrack_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    const browserA = cookieOf(setup);

    const statusA = await api('auth.status', {}, { cookie: browserA });
    expect(statusA.json().value).toMatchObject({ setupNeeded: false, session: { name: 'alice' } });
    expect(statusA.headers['set-cookie']).toBeUndefined(); // an unchanged session keeps its id

    // Another browser (no cookie, or a forged one) is not logged in; the forged cookie is cleared.
    const forged = await api('auth.status', {}, { cookie: 'keyrack_session=' + 'A'.repeat(43) });
    expect(forged.json().value).toMatchObject({ session: null });
    expect(String(forged.headers['set-cookie'])).toMatch(/^keyrack_session=; .*Max-Age=0/);
    expect((await api('users.list', {})).json().error?.code).toBe('unauthenticated');

    const list = (await api('users.list', {}, { cookie: browserA })).json();
    expect(list.ok).toBe(true);
    expect(list.value).toMatchObject({ total: 1 });

    // Logging out ends it for that browser, and tells the browser to forget the cookie.
    const logout = await api('auth.logout', {}, { cookie: browserA });
    expect(String(logout.headers['set-cookie'])).toMatch(/Max-Age=0/);
    expect((await api('users.list', {}, { cookie: browserA })).json().error?.code).toBe('unauthenticated');
  });

  it('a session id obtained before login never becomes the logged-in session (fixation)', async () => {
    // The attacker gets whatever id the bridge hands an anonymous caller (a made-up one if it hands out
    // none) and plants it in the victim's browser before the victim logs in.
    const anonymous = await api('auth.status', {});
    const planted = anonymous.headers['set-cookie'] ? cookieOf(anonymous) : 'keyrack_session=' + 'P'.repeat(43);
    const login = await api('auth.login', { name: 'alice', password: 'correct horse battery' }, { cookie: planted });
    expect(login.json().ok).toBe(true);
    const issued = cookieOf(login);
    expect(issued).not.toBe(planted);
    expect((await api('users.list', {}, { cookie: planted })).json().error?.code).toBe('unauthenticated');
    expect((await api('users.list', {}, { cookie: issued })).json().ok).toBe(true);

    // Logging in again from a logged-in browser issues another id; the old one stops working.
    const again = await api('auth.login', { name: 'alice', password: 'correct horse battery' }, { cookie: issued });
    const reissued = cookieOf(again);
    expect(reissued).not.toBe(issued);
    expect((await api('users.list', {}, { cookie: issued })).json().error?.code).toBe('unauthenticated');
    expect((await api('users.list', {}, { cookie: reissued })).json().ok).toBe(true);
  });

  it('a change of permissions issues a new id, and the old one stops working', async () => {
    const admin = cookieOf(await api('auth.login', { name: 'alice', password: 'correct horse battery' }));
    const created = (await api('users.createPerson', { name: 'carol', password: 'a third long password' }, { cookie: admin })).json();
    const carolId = (created.value as { id: number }).id;
    const carol = cookieOf(await api('auth.login', { name: 'carol', password: 'a third long password' }));
    const groups = (await api('groups.list', {}, { cookie: admin })).json().value as { id: number; name: string }[];
    const administrators = groups.find((g) => g.name === 'Administrators')!.id;
    expect((await api('users.setGroups', { id: carolId, groupIds: [administrators] }, { cookie: admin })).json().ok).toBe(true);

    const promoted = await api('auth.status', {}, { cookie: carol });
    expect(promoted.json().value).toMatchObject({ session: { name: 'carol', permissions: expect.arrayContaining(['users.manage']) } });
    const renewed = cookieOf(promoted);
    expect(renewed).not.toBe(carol);
    expect((await api('users.list', {}, { cookie: carol })).json().error?.code).toBe('unauthenticated');
    expect((await api('users.list', {}, { cookie: renewed })).json().ok).toBe(true);
    await api('users.delete', { id: carolId }, { cookie: admin });
  });

  it('records the caller address on a failed login', async () => {
    await api('auth.login', { name: 'alice', password: 'wrong password here' });
    const events = await core.log.search({ kind: 'cli', name: 'cli:tester' }, parseInputOf('log.search', { type: 'auth.login', outcome: 'failure' }));
    expect(events.rows[0]?.sourceIp).toBe('127.0.0.1');
  });

  it('anonymous requests, however many, never log the administrator out', async () => {
    const admin = cookieOf(await api('auth.login', { name: 'alice', password: 'correct horse battery' }));
    for (let i = 0; i < 250; i++) {
      const anonymous = await api('auth.status', {});
      expect(anonymous.headers['set-cookie']).toBeUndefined();
    }
    expect((await api('users.list', {}, { cookie: admin })).json().ok).toBe(true);
  });

  it('a replayed cookie stops working after the idle period and at the absolute limit (server clock)', async () => {
    const MINUTE = 60_000;
    const cookie = cookieOf(await api('auth.login', { name: 'alice', password: 'correct horse battery' }));
    core.clock.advance(14 * MINUTE);
    expect((await api('users.list', {}, { cookie })).json().ok).toBe(true);
    core.clock.advance(15 * MINUTE);
    const idle = await api('users.list', {}, { cookie });
    expect(idle.json().error?.code).toBe('unauthenticated');
    expect(String(idle.headers['set-cookie'])).toMatch(/Max-Age=0/);

    // The page's idle lock sets the period; a session kept busy still ends 12 hours after its login.
    const busy = cookieOf(await api('auth.login', { name: 'alice', password: 'correct horse battery' }));
    expect((await api('auth.setIdleLock', { minutes: 60 }, { cookie: busy })).json().ok).toBe(true);
    for (let hour = 1; hour <= 12; hour++) {
      core.clock.advance(59 * MINUTE);
      expect((await api('users.list', {}, { cookie: busy })).json().ok, `hour ${hour}`).toBe(true);
    }
    core.clock.advance(59 * MINUTE);
    expect((await api('users.list', {}, { cookie: busy })).json().error?.code).toBe('unauthenticated');
    expect((await api('auth.setIdleLock', { minutes: 7 }, {})).json().error?.code).toBe('validation');
  });

  it('reads only a well-formed session cookie', () => {
    expect(sessionIdFromCookie('a=b; keyrack_session=' + 'x'.repeat(43))).toBe('x'.repeat(43));
    expect(sessionIdFromCookie('keyrack_session=short')).toBeNull();
    expect(sessionIdFromCookie(undefined)).toBeNull();
  });
});

describe('BridgeSessions', () => {
  const alice = { userId: 1, name: 'alice', permissions: ['users.manage' as const] };
  const login = (sessions: BridgeSessions, who = alice) => {
    const call = sessions.begin(null);
    call.slot.set(who);
    return sessionIdFromCookie(sessions.finish(call)!)!;
  };

  it('keeps no anonymous session, and past the cap drops the least recently used logged-in one', () => {
    const clock = testClock();
    const sessions = new BridgeSessions(clock, 2);
    for (let i = 0; i < 500; i++) expect(sessions.finish(sessions.begin(null))).toBeNull();
    expect(sessions.size).toBe(0);
    const a = login(sessions);
    const b = login(sessions, { ...alice, userId: 2, name: 'bob' });
    expect(sessions.begin(a).slot.get()).toMatchObject({ name: 'alice' }); // a is now the most recently used
    login(sessions, { ...alice, userId: 3, name: 'carol' });
    expect(sessions.size).toBe(2);
    expect(sessions.begin(a).slot.get()).toMatchObject({ name: 'alice' });
    expect(sessions.begin(b).slot.get()).toBeNull();
  });
});
