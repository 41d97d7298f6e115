import { afterEach, expect, test } from 'vitest';
import { parseInputOf } from '../../shared/contract.js';
import type { Queryable } from '../../electron/db/store.js';
import { GrantFactsCache } from '../../electron/token-server/grant-facts.js';
import { coreWithAdmin, type TestCore } from '../support/core.js';

let core: TestCore | undefined;
afterEach(() => core?.cleanup());

/** The core's store, counting the statements it runs. */
function counting(store: Queryable): Queryable & { statements: number } {
  const counted = {
    dialect: store.dialect,
    statements: 0,
    get: <R>(sql: string, params?: never) => (counted.statements++, store.get<R>(sql, params)),
    all: <R>(sql: string, params?: never) => (counted.statements++, store.all<R>(sql, params)),
    run: (sql: string, params?: never) => (counted.statements++, store.run(sql, params)),
  };
  return counted;
}

async function apiUser(): Promise<number> {
  const made = await coreWithAdmin();
  core = made.core;
  const group = await core.groups.create(made.admin, parseInputOf('groups.create', { name: 'Website', rights: [{ resource: 'keyrack', action: 'introspect' }] }));
  const user = await core.users.createApiUser(made.admin, parseInputOf('users.createApiUser', { name: 'CRM Sync', groupIds: [group.id] }));
  return user.user.id;
}

test('requests that miss together share one read of the store, and the result is kept for the TTL', async () => {
  const userId = await apiUser();
  const store = counting(core!.deps.store);
  const cache = new GrantFactsCache(store, 1_000);
  const all = await Promise.all(Array.from({ length: 50 }, () => cache.get(userId, 10_000)));
  expect(new Set(all).size).toBe(1);
  expect([...all[0]!.scopes]).toEqual(['keyrack:introspect']);
  const oneRead = store.statements;
  expect(oneRead).toBeGreaterThan(0);
  await cache.get(userId, 10_999);
  expect(store.statements).toBe(oneRead);
  await cache.get(userId, 11_000); // expired: read again, once
  expect(store.statements).toBe(2 * oneRead);
});

test('a drop during a read keeps that read from being cached: the next request reads again', async () => {
  const userId = await apiUser();
  const store = counting(core!.deps.store);
  const cache = new GrantFactsCache(store, 1_000);
  const pending = cache.get(userId, 10_000);
  cache.drop(userId); // an admin changed the user's groups while the read was on its way
  await pending;
  const afterFirst = store.statements;
  await cache.get(userId, 10_001);
  expect(store.statements).toBe(2 * afterFirst);
});
