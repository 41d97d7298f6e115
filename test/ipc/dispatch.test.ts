import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { CHANNELS } from '../../shared/contract.js';
import { parseInputOf } from '../../shared/contract.js';
import { StoreUnavailableError } from '../../electron/db/store.js';
import { dispatch } from '../../electron/ipc/dispatch.js';
import { createHandlers, memorySessionSlot, type CallContext, type Handlers } from '../../electron/ipc/handlers.js';
import { systemActor } from '../../electron/services/context.js';
import { makeCore, type TestCore } from '../support/core.js';

let core: TestCore;
let handlers: Handlers;
let ctx: CallContext;
beforeEach(() => {
  core = makeCore();
  handlers = createHandlers(core);
  ctx = { session: memorySessionSlot() };
});
afterEach(() => core.cleanup());

test('the contract\'s channels (a new one shows up here in review)', () => {
  expect(CHANNELS).toMatchSnapshot();
  expect(Object.keys(handlers).sort()).toEqual([...CHANNELS].sort());
});

test('first run, then every channel needs a session', async () => {
  expect(await dispatch(handlers, 'auth.status', {}, ctx)).toEqual({ ok: true, value: { setupNeeded: true, session: null } });
  expect(await dispatch(handlers, 'users.list', {}, ctx)).toEqual({
    ok: false,
    error: { code: 'unauthenticated', message: 'Log in first' },
  });
  const setup = await dispatch(handlers, 'auth.setup', { name: 'alice', password: 'correct horse battery' }, ctx);
  expect(setup).toMatchObject({ ok: true, value: { name: 'alice' } });
  expect(await dispatch(handlers, 'users.list', {}, ctx)).toMatchObject({ ok: true, value: { total: 1 } });
  await dispatch(handlers, 'auth.logout', {}, ctx);
  expect(ctx.session.get()).toBeNull();
  expect(await dispatch(handlers, 'users.list', {}, ctx)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
});

test('unknown channels and bad input come back as data, before any handler runs', async () => {
  const spy = vi.spyOn(handlers, 'auth.setup');
  expect(await dispatch(handlers, 'users.dropTables', {}, ctx)).toEqual({
    ok: false,
    error: { code: 'not_found', message: 'Unknown operation' },
  });
  expect(await dispatch(handlers, '__proto__', {}, ctx)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  expect(await dispatch(handlers, 'auth.setup', { name: 'alice', password: 'short' }, ctx)).toEqual({
    ok: false,
    error: {
      code: 'validation',
      message: 'password: Password must be at least 12 characters',
      fields: { password: 'Password must be at least 12 characters' },
    },
  });
  expect(spy).not.toHaveBeenCalled();
});

test('a disabled person loses access on their next call', async () => {
  await dispatch(handlers, 'auth.setup', { name: 'alice', password: 'correct horse battery' }, ctx);
  const bobCtx: CallContext = { session: memorySessionSlot() };
  await dispatch(handlers, 'users.createPerson', { name: 'bob', password: 'another long password' }, ctx);
  expect(await dispatch(handlers, 'auth.login', { name: 'bob', password: 'another long password' }, bobCtx)).toMatchObject({ ok: true });
  const bob = bobCtx.session.get()!;
  await dispatch(handlers, 'users.disable', { id: bob.userId }, ctx);
  expect(await dispatch(handlers, 'users.list', {}, bobCtx)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  expect(bobCtx.session.get()).toBeNull();
});

test('an unexpected error is logged with its channel and hidden from the caller', async () => {
  const logged: string[] = [];
  const broken = { ...handlers, 'groups.list': () => { throw new Error('disk on fire at /secret/path'); } } as Handlers;
  const result = await dispatch(broken, 'groups.list', {}, ctx, (channel, error) => logged.push(`${channel}: ${(error as Error).message}`));
  expect(result).toEqual({ ok: false, error: { code: 'internal', message: "Something went wrong inside Keyrack; the details are in its log." } });
  expect(logged).toEqual(['groups.list: disk on fire at /secret/path']);
});

test('a store that cannot be reached is said in plain words, as unavailable, not as a fault of Keyrack', async () => {
  const logged: string[] = [];
  const cut = { ...handlers, 'groups.list': () => Promise.reject(new StoreUnavailableError('ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:5432')) } as Handlers;
  expect(await dispatch(cut, 'groups.list', {}, ctx, (channel) => logged.push(channel))).toEqual({
    ok: false,
    error: {
      code: 'unavailable',
      message:
        'The store cannot be reached right now (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:5432); Keyrack reconnects by itself when it answers again.',
    },
  });
  expect(logged).toEqual([]);
});

test('reading the log from the app is itself logged, after the page was read', async () => {
  await dispatch(handlers, 'auth.setup', { name: 'alice', password: 'correct horse battery' }, ctx);
  const first = await dispatch(handlers, 'log.search', { type: 'setup.completed' }, ctx);
  expect(first).toMatchObject({ ok: true, value: { rows: [{ type: 'setup.completed' }] } });
  const views = (await core.log.search(systemActor, parseInputOf('log.search', { actor: 'alice', type: 'log.viewed' }))).rows;
  expect(views).toHaveLength(1);
  expect(views[0]!.details).toMatchObject({ view: true, filters: { type: 'setup.completed' } });
});
