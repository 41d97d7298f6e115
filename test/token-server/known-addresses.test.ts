import { afterEach, describe, expect, test } from 'vitest';
import { openCore } from '../../electron/core.js';
import { createPasswordHasher } from '../../electron/crypto/password.js';
import { migrate } from '../../electron/db/migrate.js';
import { migrations } from '../../electron/db/migrations/index.js';
import { createAllowlistChecker } from '../../electron/net/allowlist-checker.js';
import { EMPTY_RANGE_SET } from '../../electron/ranges/types.js';
import {
  CLIENT_ADDRESS_MAX_AGE_MS,
  CLIENT_ADDRESS_REFRESH_MS,
  CLIENT_ADDRESSES_PER_CLIENT,
  findClientAddressSeenAt,
  recordClientAddresses,
} from '../../electron/repos/client-addresses.repo.js';
import { SigningKeysService } from '../../electron/services/signing-keys.service.js';
import { DEFAULT_TOKEN_SERVER_SETTINGS } from '../../electron/services/token-server-settings.js';
import type { ServiceDeps } from '../../electron/services/context.js';
import { startTokenServer, type RunningTokenServer, type TokenServerTuning } from '../../electron/token-server/server.js';
import { TEST_HASH_PARAMS } from '../support/core.js';
import { basic, post, startFixture, TEST_TUNING, type Client, type Fixture, type Reply } from './support.js';

/**
 * Issue 17, item 1: the addresses a client authenticated from (its exemption from the per-client back-off)
 * live in the store, so a restart, a second node over the same store, or a pool of more than 16 workers
 * does not let a flood of wrong secrets lock the client out of its own addresses.
 */

const MINUTE = 60_000;
const TUNING: Partial<TokenServerTuning> = {
  ...TEST_TUNING,
  secretCacheTtlMs: 0, // every request goes through argon2 and the back-off decision
  addressBackoff: { freeFailures: 3, firstDelayMs: 30_000, maxDelayMs: 10 * MINUTE, resetAfterMs: 60 * MINUTE, maxKeys: 1000 },
  clientBackoff: { freeFailures: 2, firstDelayMs: 900_000, maxDelayMs: 900_000, resetAfterMs: 60 * MINUTE, maxKeys: 1000 },
};

let f: Fixture | undefined;
const extra: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const e of extra.splice(0).reverse()) await e.close();
  await f?.close();
  f = undefined;
});

/** A token request as if from `ip` (127.0.0.1 is a trusted proxy, so X-Forwarded-For counts). */
const from = (url: string, ip: string, client: Pick<Client, 'clientId' | 'secret'>): Promise<Reply> =>
  post(url, '/oauth2/token', { grant_type: 'client_credentials' }, { authorization: basic(client.clientId, client.secret), 'x-forwarded-for': ip });

/** Another server over `deps` (a restarted one, or a second node): nothing in its memory. */
async function anotherServer(fx: Fixture, deps: ServiceDeps = fx.core.deps): Promise<RunningTokenServer> {
  const server = await startTokenServer({
    deps,
    keys: new SigningKeysService(deps, () => fx.wrapper),
    settings: { ...DEFAULT_TOKEN_SERVER_SETTINGS, trustedProxies: ['127.0.0.1'] },
    allowlist: createAllowlistChecker(() => EMPTY_RANGE_SET),
    host: '127.0.0.1',
    port: 0,
    tuning: TUNING,
    auditWriter: 'inline',
  });
  extra.push(server);
  return server;
}

let attacker = 0;
/** Wrong secrets for `client` from fresh addresses until the client id is in back-off (429 rate_limited_client). */
async function floodUntilLocked(url: string, client: Client): Promise<void> {
  for (let i = 0; i < 10; i++) {
    const reply = await from(url, `203.0.113.${(attacker++ % 250) + 1}`, { ...client, secret: 'wrong' });
    if (reply.status === 429) {
      // 900 s is the client back-off's (an address back-off would say 30); the log samples these refusals.
      expect(reply.headers.get('retry-after')).toBe('900');
      return;
    }
    expect(reply.status).toBe(401);
  }
  throw new Error('the client id never went into back-off');
}

const throttled = () => startFixture({ settings: { trustedProxies: ['127.0.0.1'] }, tuning: TUNING });

describe('the back-off exemption of a client\'s own addresses', () => {
  test('survives a restart: after a flood on the fresh server the client still gets in from its usual address', async () => {
    f = await throttled();
    expect((await from(f.url, '198.51.100.5', f.crm)).status).toBe(200);
    await f.server.close();

    const restarted = await anotherServer(f);
    await floodUntilLocked(restarted.url, f.crm);
    // From an address it never used, even the right secret waits: the flood did lock the client id ...
    expect((await from(restarted.url, '198.51.100.77', f.crm)).status).toBe(429);
    // ... but not from the address it authenticated from before the restart.
    const own = await from(restarted.url, '198.51.100.5', f.crm);
    expect(own.status).toBe(200);
    expect(own.json.token_type).toBe('Bearer');
  });

  test('holds on a second node over the same store (its own connection)', async () => {
    f = await throttled();
    const second = openCore({ dataDir: f.core.dataDir, clock: f.core.clock, passwords: createPasswordHasher(TEST_HASH_PARAMS) });
    extra.push({ close: async () => second.close() });
    const node2 = await anotherServer(f, second.deps);

    expect((await from(f.url, '198.51.100.6', f.crm)).status).toBe(200); // through node 1
    await floodUntilLocked(node2.url, f.crm); // against node 2
    expect((await from(node2.url, '198.51.100.78', f.crm)).status).toBe(429);
    expect((await from(node2.url, '198.51.100.6', f.crm)).status).toBe(200);
  });

  test('covers a pool of 40 workers, each of which called four times', async () => {
    f = await throttled();
    const pool = Array.from({ length: 40 }, (_, i) => `10.20.0.${i + 1}`);
    for (let round = 0; round < 4; round++) {
      for (const ip of pool) expect((await from(f.url, ip, f.crm)).status).toBe(200);
    }
    // One at a time, oldest first: a success resets the client's failures, so each is checked after a flood.
    for (const ip of pool) {
      await floodUntilLocked(f.url, f.crm);
      const reply = await from(f.url, ip, f.crm);
      expect({ ip, status: reply.status }).toEqual({ ip, status: 200 });
    }
  });
});

describe('client-addresses.repo', () => {
  test('an upgraded store starts with every secret\'s last-use address', async () => {
    f = await throttled();
    const at = f.core.clock.now() - 5 * MINUTE;
    f.core.db.prepare('UPDATE client_secrets SET last_used_at = ?, last_used_ip = ? WHERE id = ?').run(at, '192.0.2.44', f.crm.secretId);
    // Back to the schema before migration 0090 (and 0091, 0100, 0110, 0120, 0130 and 0140 after it), then upgrade.
    f.core.db.exec(
      'DROP TABLE client_addresses; DROP INDEX audit_events_actor_id; DROP TABLE client_assertion_jtis; DROP TABLE client_keys; ' +
        'DROP TABLE client_registrations; DROP TABLE activations; DROP TABLE mail_queue; DROP TABLE mail_settings; DROP TABLE store_nodes; ' +
        'DROP TABLE tls_authorities;',
    );
    f.core.db.pragma('user_version = 82');
    migrate(f.core.db, migrations);
    expect(await findClientAddressSeenAt(f.core.deps.store, f.crm.clientId, '192.0.2.44')).toBe(at);
    expect(await findClientAddressSeenAt(f.core.deps.store, f.rs.clientId, '192.0.2.44')).toBeUndefined();
  });

  test('a token issuance records its address; a known one is refreshed at most hourly', async () => {
    f = await throttled();
    const t0 = f.core.clock.now();
    expect((await from(f.url, '198.51.100.9', f.crm)).status).toBe(200);
    expect(await findClientAddressSeenAt(f.core.deps.store, f.crm.clientId, '198.51.100.9')).toBe(t0);
    f.core.clock.advance(CLIENT_ADDRESS_REFRESH_MS - 1);
    expect((await from(f.url, '198.51.100.9', f.crm)).status).toBe(200);
    expect(await findClientAddressSeenAt(f.core.deps.store, f.crm.clientId, '198.51.100.9')).toBe(t0);
    f.core.clock.advance(2);
    expect((await from(f.url, '198.51.100.9', f.crm)).status).toBe(200);
    expect(await findClientAddressSeenAt(f.core.deps.store, f.crm.clientId, '198.51.100.9')).toBe(t0 + CLIENT_ADDRESS_REFRESH_MS + 1);
  });

  test('bounded: a new address drops its client\'s rows older than the age limit and beyond the newest 1024', async () => {
    f = await throttled();
    const db = f.core.db;
    const t = 1_000_000_000_000;
    const count = () => (db.prepare('SELECT count(*) AS n FROM client_addresses WHERE client_id = ?').get(f!.crm.clientId) as { n: number }).n;
    db.prepare('DELETE FROM client_addresses').run();
    await f.core.deps.store.transaction(async (tx) => {
      await recordClientAddresses(tx, [{ clientId: f!.crm.clientId, ip: '192.0.2.1', at: t - CLIENT_ADDRESS_MAX_AGE_MS - 1 }]);
      await recordClientAddresses(
        tx,
        Array.from({ length: CLIENT_ADDRESSES_PER_CLIENT + 5 }, (_, i) => ({ clientId: f!.crm.clientId, ip: `10.1.${i >> 8}.${i & 255}`, at: t + i })),
      );
      await recordClientAddresses(tx, [{ clientId: f!.rs.clientId, ip: '192.0.2.1', at: t }]);
    });
    expect(count()).toBe(CLIENT_ADDRESSES_PER_CLIENT);
    expect(await findClientAddressSeenAt(f.core.deps.store, f.crm.clientId, '192.0.2.1')).toBeUndefined(); // too old
    expect(await findClientAddressSeenAt(f.core.deps.store, f.crm.clientId, '10.1.0.4')).toBeUndefined(); // among the five oldest
    expect(await findClientAddressSeenAt(f.core.deps.store, f.crm.clientId, '10.1.0.5')).toBe(t + 5);
    expect(await findClientAddressSeenAt(f.core.deps.store, f.rs.clientId, '192.0.2.1')).toBe(t); // another client's rows stay
  });
});
