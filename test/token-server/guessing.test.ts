import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, test } from 'vitest';
import type { PasswordHasher } from '../../electron/crypto/password.js';
import { createPasswordHasher } from '../../electron/crypto/password.js';
import { BackoffLimiter } from '../../electron/token-server/rate-limit.js';
import { BusyError, WorkLimiter } from '../../electron/token-server/work-limit.js';
import { TEST_HASH_PARAMS } from '../support/core.js';
import { basic, lastEventId, post, startFixture, tokenEvents, type Client, type Fixture, type Reply } from './support.js';

const MINUTE = 60_000;
let f: Fixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

/** A token request as if from `ip` (the test's 127.0.0.1 is a trusted proxy, so X-Forwarded-For counts). */
const from = (fx: Fixture, ip: string | undefined, client: Pick<Client, 'clientId' | 'secret'>): Promise<Reply> =>
  post(fx.url, '/oauth2/token', { grant_type: 'client_credentials' }, {
    authorization: basic(client.clientId, client.secret),
    ...(ip ? { 'x-forwarded-for': ip } : {}),
  });

const RATE_LIMITED = { error: 'invalid_request', error_description: 'Too many failed attempts; retry after the number of seconds in Retry-After' };
const BUSY = { error: 'invalid_request', error_description: 'The server is busy checking client secrets; retry after the number of seconds in Retry-After' };

async function throttledFixture(extra: Parameters<typeof startFixture>[0] = {}): Promise<Fixture> {
  return startFixture({
    settings: { trustedProxies: ['127.0.0.1'] },
    ...extra,
    tuning: {
      addressBackoff: { freeFailures: 3, firstDelayMs: 30_000, maxDelayMs: 10 * MINUTE, resetAfterMs: 60 * MINUTE, maxKeys: 1000 },
      clientBackoff: { freeFailures: 2, firstDelayMs: 30_000, maxDelayMs: 10 * MINUTE, resetAfterMs: 60 * MINUTE, maxKeys: 1000 },
      ...extra.tuning,
    },
  });
}

describe('back-off after failed authentications (429 + Retry-After)', () => {
  test('per source address, growing, whatever client ids it tries', async () => {
    f = await throttledFixture();
    const attacker = '203.0.113.7';
    for (let i = 0; i < 3; i++) expect((await from(f, attacker, { clientId: `keyrack-guess-${i}`, secret: 'x' })).status).toBe(401);
    const before = await lastEventId(f);
    const refused = await from(f, attacker, { clientId: 'keyrack-guess-9', secret: 'x' });
    expect(refused.status).toBe(429);
    expect(refused.json).toEqual(RATE_LIMITED);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect((await tokenEvents(f, before))[0]).toMatchObject({ reason: 'rate_limited_address', sourceIp: attacker });
    // Even the right secret waits: the address is in back-off before any argon2 work.
    expect((await from(f, attacker, f.crm)).status).toBe(429);
    // Another address is not affected.
    expect((await from(f, '198.51.100.1', f.crm)).status).toBe(200);

    f.core.clock.advance(30_000);
    expect((await from(f, attacker, { clientId: 'keyrack-guess-10', secret: 'x' })).status).toBe(401);
    const again = await from(f, attacker, { clientId: 'keyrack-guess-11', secret: 'x' });
    expect(again.status).toBe(429);
    expect(again.headers.get('retry-after')).toBe('60'); // doubled
  });

  test('per client id from many addresses; the client still gets in from its own known address', async () => {
    f = await throttledFixture({ tuning: { secretCacheTtlMs: 0 } }); // every request goes through argon2
    expect((await from(f, undefined, f.crm)).status).toBe(200); // 127.0.0.1 is now a known address of crm
    for (let i = 1; i <= 2; i++) expect((await from(f, `203.0.113.${i}`, { ...f.crm, secret: 'wrong' })).status).toBe(401);
    const before = await lastEventId(f);
    const flood = await from(f, '203.0.113.50', { ...f.crm, secret: 'wrong' });
    expect(flood.status).toBe(429);
    expect(flood.headers.get('retry-after')).toBe('30');
    expect((await tokenEvents(f, before))[0]).toMatchObject({ reason: 'rate_limited_client', details: { clientId: f.crm.clientId } });
    // From an address it never used, even the right secret waits ...
    expect((await from(f, '198.51.100.9', f.crm)).status).toBe(429);
    // ... but from its own known address the client is served: the flood does not lock it out.
    expect((await from(f, undefined, f.crm)).status).toBe(200);
    expect((await from(f, undefined, f.crm)).status).toBe(200);
  });

  test('the wait never exceeds what was earned when the clock steps back', () => {
    const limiter = new BackoffLimiter({ freeFailures: 1, firstDelayMs: 1_000, maxDelayMs: 60_000, resetAfterMs: 3_600_000, maxKeys: 10 });
    const t = 1_000_000;
    limiter.fail('a', t);
    expect(limiter.waitFor('a', t)).toBe(1_000);
    expect(limiter.waitFor('a', t - 3_600_000)).toBe(1_000); // clock stepped back an hour
    const strict = new BackoffLimiter({ freeFailures: 5, firstDelayMs: 1_000, maxDelayMs: 60_000, resetAfterMs: 10, maxKeys: 10 });
    strict.fail('b', t + 60_000);
    expect(strict.waitFor('b', t)).toBe(0); // a free failure in the "future" blocks nothing
  });
});

/** A hasher whose verifications wait for `open()`: the test decides when argon2 work finishes. */
function gatedHasher(): PasswordHasher & { close(): void; open(): void } {
  const real = createPasswordHasher(TEST_HASH_PARAMS);
  let gate: Promise<void> = Promise.resolve();
  let release = () => {};
  return {
    ...real,
    close() {
      gate = new Promise((resolve) => (release = resolve));
    },
    open() {
      release();
    },
    async verify(hash, secret) {
      await gate;
      return real.verify(hash, secret);
    },
    async dummyVerify(secret) {
      await gate;
      return real.dummyVerify(secret);
    },
  };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await sleep(10);
  expect(condition()).toBe(true);
}

describe('the argon2 concurrency cap', () => {
  test('a full queue refuses at once with a clear 429; a legitimate client from its address jumps the queue', async () => {
    const hasher = gatedHasher();
    f = await throttledFixture({
      passwords: hasher,
      tuning: {
        argon2Concurrency: 1,
        argon2Queue: 2,
        secretCacheTtlMs: 0,
        addressBackoff: { freeFailures: 1000, firstDelayMs: 1, maxDelayMs: 1, resetAfterMs: 1, maxKeys: 1000 },
        clientBackoff: { freeFailures: 1000, firstDelayMs: 1, maxDelayMs: 1, resetAfterMs: 1, maxKeys: 1000 },
      },
    });
    const argon2 = f.server.context.argon2;
    expect((await from(f, undefined, f.crm)).status).toBe(200); // crm is known at 127.0.0.1

    hasher.close();
    const running = from(f, '203.0.113.1', { clientId: 'keyrack-flood-1', secret: 'x' });
    await until(() => argon2.active === 1);
    const queuedA = from(f, '203.0.113.2', { clientId: 'keyrack-flood-2', secret: 'x' });
    const queuedB = from(f, '203.0.113.3', { clientId: 'keyrack-flood-3', secret: 'x' });
    await until(() => argon2.queued === 2);

    const refused = await from(f, '203.0.113.4', { clientId: 'keyrack-flood-4', secret: 'x' });
    expect(refused.status).toBe(429);
    expect(refused.json).toEqual(BUSY);
    expect(refused.headers.get('retry-after')).toBe('1');

    // The real client, from its known address, takes the place of the newest ordinary waiter.
    const legitimate = from(f, undefined, f.crm);
    const displaced = await queuedB;
    expect(displaced.status).toBe(429);
    expect(displaced.json).toEqual(BUSY);

    hasher.open();
    expect((await legitimate).status).toBe(200);
    expect((await running).status).toBe(401);
    expect((await queuedA).status).toBe(401);
    expect(argon2.active).toBe(0);
    expect(argon2.queued).toBe(0);
  });

  test('WorkLimiter: the slot passes to the next waiter, urgent ones first', async () => {
    const limiter = new WorkLimiter(1, 1);
    const order: string[] = [];
    let finish = () => {};
    const first = limiter.run(() => new Promise<void>((resolve) => (finish = () => { order.push('first'); resolve(); })));
    const normal = limiter.run(async () => void order.push('normal'));
    const urgent = limiter.run(async () => void order.push('urgent'), true);
    await expect(normal).rejects.toBeInstanceOf(BusyError); // displaced: the queue holds one
    await expect(limiter.run(async () => undefined)).rejects.toBeInstanceOf(BusyError);
    finish();
    await Promise.all([first, urgent]);
    expect(order).toEqual(['first', 'urgent']);
    expect(limiter.active).toBe(0);
  });
});
