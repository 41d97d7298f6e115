import { connect, type Socket } from 'node:net';
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createPasswordHasher, type PasswordHasher } from '../../electron/crypto/password.js';
import { RefusalPacer } from '../../electron/token-server/refusal-pacer.js';
import type { TokenServerTuning } from '../../electron/token-server/server.js';
import { TEST_HASH_PARAMS } from '../support/core.js';
import { basic, post, startFixture, type Client, type Fixture, type Reply } from './support.js';

/**
 * Issue 17, item 2: a flood of wrong secrets must not take the server. A throttled request is refused from
 * its headers (no body read), its answer is paced, a client id or an address past its free failures gets
 * one attempt at a time, and one address cannot hold more than its share of connections. The numbers are
 * in `npm run bench:flood`; these tests only check the behaviour.
 */

const MINUTE = 60_000;
let f: Fixture | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await f?.close();
  f = undefined;
  vi.useRealTimers();
});

const RATE_LIMITED = { error: 'invalid_request', error_description: 'Too many failed attempts; retry after the number of seconds in Retry-After' };

const from = (fx: Fixture, ip: string, client: Pick<Client, 'clientId' | 'secret'>): Promise<Reply> =>
  post(fx.url, '/oauth2/token', { grant_type: 'client_credentials' }, { authorization: basic(client.clientId, client.secret), 'x-forwarded-for': ip });

const BACKOFF: Partial<TokenServerTuning> = {
  secretCacheTtlMs: 0,
  addressBackoff: { freeFailures: 3, firstDelayMs: 30_000, maxDelayMs: 10 * MINUTE, resetAfterMs: 60 * MINUTE, maxKeys: 1000 },
  clientBackoff: { freeFailures: 2, firstDelayMs: 30_000, maxDelayMs: 10 * MINUTE, resetAfterMs: 60 * MINUTE, maxKeys: 1000 },
};

/** A verifier that counts verifications and lets the test decide when they finish. */
function gatedHasher(): PasswordHasher & { hold(): void; release(): void; started: number } {
  const real = createPasswordHasher(TEST_HASH_PARAMS);
  let gate: Promise<void> = Promise.resolve();
  let open = () => {};
  const hasher = {
    ...real,
    started: 0,
    hold() {
      gate = new Promise((resolve) => (open = resolve));
    },
    release() {
      open();
    },
    async verify(hash: string, secret: string) {
      hasher.started++;
      await gate;
      return real.verify(hash, secret);
    },
    async dummyVerify(secret: string) {
      hasher.started++;
      await gate;
      return real.dummyVerify(secret);
    },
  };
  return hasher;
}

/**
 * Sends a token request's headers and the first bytes of its body, never the rest, and resolves with the
 * answer: one comes only if the server decided without the body. Bounded by `boundMs` (null: no answer).
 */
function answerToHeaders(fx: Fixture, ip: string, client: Pick<Client, 'clientId' | 'secret'>, boundMs = 5_000): Promise<{ status: number; retryAfter: string | undefined; body: string } | null> {
  return new Promise((resolve) => {
    const req = request(`${fx.url}/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': '200',
        authorization: basic(client.clientId, client.secret),
        'x-forwarded-for': ip,
      },
    });
    const bound = setTimeout(() => {
      req.destroy();
      resolve(null);
    }, boundMs);
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => {
        clearTimeout(bound);
        resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'], body });
        req.destroy();
      });
    });
    req.on('error', () => undefined);
    req.write('grant_type=client_'); // the rest never comes
  });
}

describe('a throttled request is refused from its headers', () => {
  test('an address in back-off: 429 without waiting for the body', async () => {
    f = await startFixture({ settings: { trustedProxies: ['127.0.0.1'] }, tuning: BACKOFF });
    for (let i = 0; i < 3; i++) expect((await from(f, '203.0.113.7', { clientId: `keyrack-guess-${i}`, secret: 'x' })).status).toBe(401);
    const refused = await answerToHeaders(f, '203.0.113.7', { clientId: 'keyrack-guess-9', secret: 'x' });
    expect(refused).toEqual({ status: 429, retryAfter: '30', body: JSON.stringify(RATE_LIMITED) });
    // Another address is still heard out: it gets no answer before its body is complete.
    expect(await answerToHeaders(f, '198.51.100.1', f.crm, 300)).toBeNull();
  });

  test('a client id in back-off, from an address it never used: 429 without the body; a cached secret still passes', async () => {
    f = await startFixture({ settings: { trustedProxies: ['127.0.0.1'] }, tuning: { ...BACKOFF, secretCacheTtlMs: 60_000 } });
    expect((await from(f, '198.51.100.5', f.crm)).status).toBe(200); // verified and cached
    for (let i = 1; i <= 3; i++) await from(f, `203.0.113.${i}`, { ...f.crm, secret: 'wrong' });
    const refused = await answerToHeaders(f, '203.0.113.50', { ...f.crm, secret: 'wrong' });
    expect(refused).toEqual({ status: 429, retryAfter: '30', body: JSON.stringify(RATE_LIMITED) });
    // The cached verification answers from anywhere, as before (docs: a cached request is never throttled).
    expect((await from(f, '198.51.100.99', f.crm)).status).toBe(200);
  });
});

describe('a client id has no more attempts in flight than free failures left, one once they are used', () => {
  test('a fresh client id: of five concurrent wrong secrets from new addresses, two (its free failures) are verified', async () => {
    const hasher = gatedHasher();
    f = await startFixture({ settings: { trustedProxies: ['127.0.0.1'] }, tuning: BACKOFF, passwords: hasher });
    hasher.hold();
    const burst = Array.from({ length: 5 }, (_, i) => from(f!, `203.0.113.${10 + i}`, { ...f!.crm, secret: 'wrong' }));
    const refused = await Promise.race([Promise.all(burst.slice(2)), sleep(5_000).then(() => null)]);
    expect(refused?.map((r) => [r.status, r.headers.get('retry-after')])).toEqual([
      [429, '1'],
      [429, '1'],
      [429, '1'],
    ]);
    expect(hasher.started).toBe(2);
    hasher.release();
    expect((await Promise.all(burst.slice(0, 2))).map((r) => r.status)).toEqual([401, 401]);
    // Two failures: the client id is in back-off now (the third is not a free one).
    expect((await from(f, '203.0.113.40', { ...f.crm, secret: 'wrong' })).headers.get('retry-after')).toBe('30');
  });

  test('when its wait ends, one of five concurrent wrong secrets is verified; the others are told to retry in a second', async () => {
    const hasher = gatedHasher();
    f = await startFixture({ settings: { trustedProxies: ['127.0.0.1'] }, tuning: BACKOFF, passwords: hasher });
    // Two free failures (the second earns 30 s), then refused.
    for (let i = 1; i <= 2; i++) expect((await from(f, `203.0.113.${i}`, { ...f.crm, secret: 'wrong' })).status).toBe(401);
    expect((await from(f, '203.0.113.4', { ...f.crm, secret: 'wrong' })).status).toBe(429);
    f.core.clock.advance(30_000);

    hasher.hold();
    hasher.started = 0;
    const burst = Array.from({ length: 5 }, (_, i) => from(f!, `203.0.113.${10 + i}`, { ...f!.crm, secret: 'wrong' }));
    const early = await Promise.race([Promise.all(burst.slice(1)), sleep(5_000).then(() => null)]);
    // Four were refused at once, before the first attempt's outcome.
    expect(early?.map((r) => [r.status, r.headers.get('retry-after')])).toEqual([
      [429, '1'],
      [429, '1'],
      [429, '1'],
      [429, '1'],
    ]);
    expect(hasher.started).toBe(1);
    hasher.release();
    expect((await burst[0]!).status).toBe(401);
    // Its failure doubled the wait: 60 s now.
    expect((await from(f, '203.0.113.30', { ...f.crm, secret: 'wrong' })).headers.get('retry-after')).toBe('60');
  });
});

describe('a known address is not bounded', () => {
  test('twelve concurrent first requests from the client\'s own address, cache cold, are all served', async () => {
    f = await startFixture({ settings: { trustedProxies: ['127.0.0.1'] }, tuning: { ...BACKOFF, argon2Concurrency: 1 } });
    expect((await from(f, '198.51.100.5', f.crm)).status).toBe(200); // known from now on
    f.server.context.secrets.clear();
    const burst = await Promise.all(Array.from({ length: 12 }, () => from(f!, '198.51.100.5', f!.crm)));
    expect(burst.map((r) => r.status)).toEqual(Array(12).fill(200));
  });
});

describe("the real client's successes do not lift a flood's back-off", () => {
  test('from its known address, cached or not, the client id stays in back-off for the other addresses', async () => {
    f = await startFixture({ settings: { trustedProxies: ['127.0.0.1'] }, tuning: { ...BACKOFF, secretCacheTtlMs: 60_000 } });
    expect((await from(f, '198.51.100.5', f.crm)).status).toBe(200); // its address, now known; its secret cached
    for (let i = 1; i <= 2; i++) expect((await from(f, `203.0.113.${i}`, { ...f.crm, secret: 'wrong' })).status).toBe(401);
    expect((await from(f, '198.51.100.5', f.crm)).status).toBe(200); // cached
    f.server.context.secrets.clear();
    expect((await from(f, '198.51.100.5', f.crm)).status).toBe(200); // verified again, from the known address
    const flood = await from(f, '203.0.113.3', { ...f.crm, secret: 'wrong' });
    expect([flood.status, flood.headers.get('retry-after')]).toEqual([429, '30']);
  });
});

describe('refusals are paced', () => {
  test('RefusalPacer: a burst at once, then at the rate; a full queue drops its oldest; flush answers the rest', () => {
    vi.useFakeTimers();
    let now = 0;
    const pacer = new RefusalPacer(10, 2, 2, () => now);
    const log: string[] = [];
    const pace = (name: string) => pacer.pace(() => log.push(`answer ${name}`), () => log.push(`drop ${name}`));
    pace('a');
    pace('b');
    pace('c');
    pace('d');
    expect(log).toEqual(['answer a', 'answer b']);
    pace('e'); // the queue holds two: c goes
    expect(log).toEqual(['answer a', 'answer b', 'drop c']);
    now = 100; // one token
    vi.advanceTimersByTime(100);
    expect(log).toEqual(['answer a', 'answer b', 'drop c', 'answer d']);
    expect(pacer.waiting).toBe(1);
    pacer.flush();
    expect(log).toEqual(['answer a', 'answer b', 'drop c', 'answer d', 'answer e']);
    expect(pacer.dropped).toBe(1);
  });

  test('past the burst, a throttled request waits for its turn, then gets its 429', async () => {
    f = await startFixture({
      settings: { trustedProxies: ['127.0.0.1'] },
      tuning: { ...BACKOFF, refusalsPerSecond: 2, refusalBurst: 1, refusalQueue: 10 },
    });
    for (let i = 0; i < 3; i++) await from(f, '203.0.113.7', { clientId: `keyrack-guess-${i}`, secret: 'x' });
    const pacer = f.server.context.refusals;
    const replies = Array.from({ length: 3 }, () => from(f!, '203.0.113.7', { clientId: 'keyrack-guess-9', secret: 'x' }));
    for (let i = 0; i < 200 && pacer.waiting < 2; i++) await sleep(5);
    expect(pacer.waiting).toBe(2);
    expect((await Promise.all(replies)).map((r) => r.status)).toEqual([429, 429, 429]);
    expect(pacer.waiting).toBe(0);
  });
});

describe('connections per address', () => {
  async function open(fx: Fixture): Promise<{ socket: Socket; closed: Promise<boolean> }> {
    const url = new URL(fx.url);
    const socket = connect(Number(url.port), url.hostname);
    sockets.push(socket);
    const closed = new Promise<boolean>((resolve) => socket.once('close', () => resolve(true)));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return { socket, closed };
  }

  /** GET /healthz on a raw socket: the status line. */
  function health(socket: Socket): Promise<string> {
    return new Promise((resolve) => {
      socket.once('data', (data: Buffer) => resolve(data.toString().split('\r\n', 1)[0]!));
      socket.write('GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n');
    });
  }

  test('one more than the cap is closed at once; those within it are served', async () => {
    f = await startFixture({ tuning: { connectionsPerAddress: 2 } });
    const a = await open(f);
    const b = await open(f);
    const c = await open(f);
    expect(await Promise.race([c.closed, sleep(5_000).then(() => false)])).toBe(true);
    expect(await health(a.socket)).toBe('HTTP/1.1 200 OK');
    expect(await health(b.socket)).toBe('HTTP/1.1 200 OK');
    // One closes: its place is free again.
    a.socket.destroy();
    await a.closed;
    await sleep(50); // the server sees the close
    const d = await open(f);
    expect(await health(d.socket)).toBe('HTTP/1.1 200 OK');
  });

  test('a trusted proxy is not capped (it carries many clients)', async () => {
    f = await startFixture({ settings: { trustedProxies: ['127.0.0.1'] }, tuning: { connectionsPerAddress: 2 } });
    const all = [await open(f), await open(f), await open(f)];
    for (const { socket } of all) expect(await health(socket)).toBe('HTTP/1.1 200 OK');
  });
});

describe('a new integration starting many workers at once', () => {
  test('thirty concurrent first requests from an address the client never used: one argon2id check, all served', async () => {
    const hasher = gatedHasher();
    f = await startFixture({ settings: { trustedProxies: ['127.0.0.1'] }, passwords: hasher });
    hasher.hold();
    const burst = Array.from({ length: 30 }, () => from(f!, '198.51.100.77', f!.crm));
    await sleep(200); // every request has arrived and found the one check in progress
    expect(hasher.started).toBe(1);
    hasher.release();
    expect((await Promise.all(burst)).map((r) => r.status)).toEqual(Array(30).fill(200));
    expect(hasher.started).toBe(1);
  });

  test('the same wrong secret sent at once from one address is checked one attempt at a time, never in parallel', async () => {
    const hasher = gatedHasher();
    f = await startFixture({ settings: { trustedProxies: ['127.0.0.1'] }, tuning: BACKOFF, passwords: hasher });
    hasher.hold();
    const burst = Array.from({ length: 4 }, () => from(f!, '198.51.100.78', { ...f!.crm, secret: 'wrong' }));
    await sleep(200);
    expect(hasher.started).toBe(1);
    hasher.release();
    const statuses = (await Promise.all(burst)).map((r) => r.status).sort();
    // Two free failures for the client id from a new address, then back-off: never a token.
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(2);
  });
});
