import { afterEach, describe, expect, test, vi } from 'vitest';
import { IPC_CHANNEL } from '../../shared/api.js';
import { CHANNELS } from '../../shared/contract.js';
import type { Result } from '../../shared/result.js';
import { createHandlers, type Handlers } from '../../electron/ipc/handlers.js';
import {
  checkSender,
  registerIpc,
  sessionPerSender,
  type InvokeEventLike,
  type InvokeListener,
  type IpcMainLike,
} from '../../electron/ipc/register.js';
import { makeCore, type TestCore } from '../support/core.js';

/** Stands in for Electron's ipcMain: keeps the registered listener so the test can call it like Electron would. */
function fakeIpcMain() {
  const listeners = new Map<string, InvokeListener>();
  const ipcMain: IpcMainLike = {
    handle(channel, listener) {
      if (listeners.has(channel)) throw new Error(`second handler for ${channel}`);
      listeners.set(channel, listener);
    },
    removeHandler: (channel) => void listeners.delete(channel),
  };
  const invoke = (event: InvokeEventLike, ...args: unknown[]): Promise<Result<unknown>> => {
    const listener = listeners.get(IPC_CHANNEL);
    if (!listener) throw new Error('no handler registered');
    return listener(event, ...args);
  };
  return { ipcMain, listeners, invoke };
}

const fromFrame = (url: string, senderId = 1, parent: unknown = null): InvokeEventLike => ({
  sender: { id: senderId },
  senderFrame: { url, parent },
});

/** Every channel's handler is a spy, so a test can prove that none ran. */
function spyHandlers(): Handlers {
  return Object.fromEntries(CHANNELS.map((c) => [c, vi.fn(() => `ran ${c}`)])) as unknown as Handlers;
}
const calls = (handlers: Handlers): number =>
  CHANNELS.reduce((n, c) => n + (handlers[c] as unknown as ReturnType<typeof vi.fn>).mock.calls.length, 0);

describe('the sender check (Electron security checklist 17)', () => {
  test.each([
    ['the app entry page', 'app://keyrack/index.html'],
    ['a client-side route', 'app://keyrack/users/12#credentials'],
  ])('trusts %s', (_label, url) => {
    expect(checkSender(fromFrame(url))).toEqual({ trusted: true });
  });

  test.each([
    ['a remote page', 'https://evil.example/'],
    ['a local file', 'file:///home/alice/index.html'],
    ['a look-alike host', 'app://keyrack.evil.example/index.html'],
    ['the app host on a port', 'app://keyrack:8080/index.html'],
    ['the app host with a user', 'app://mallory@keyrack/index.html'],
    ['another scheme with the app host', 'http://keyrack/index.html'],
    ['the devtools', 'devtools://devtools/bundled/inspector.html'],
    ['about:blank', 'about:blank'],
    ['an empty URL', ''],
    ['garbage', 'not a url'],
  ])('refuses %s', (_label, url) => {
    expect(checkSender(fromFrame(url)).trusted).toBe(false);
  });

  test('refuses a subframe even on the app origin, and a frame that is gone', () => {
    expect(checkSender(fromFrame('app://keyrack/index.html', 1, { url: 'app://keyrack/' })).trusted).toBe(false);
    expect(checkSender({ sender: { id: 1 }, senderFrame: null }).trusted).toBe(false);
  });
});

describe('registerIpc', () => {
  test('registers exactly one handler, on the contract channel, and removes it again', () => {
    const { ipcMain, listeners } = fakeIpcMain();
    const unregister = registerIpc(ipcMain, { handlers: spyHandlers(), sessions: sessionPerSender() });
    expect([...listeners.keys()]).toEqual([IPC_CHANNEL]);
    unregister();
    expect(listeners.size).toBe(0);
  });

  test('a call from the app window reaches its handler with the parsed input', async () => {
    const { ipcMain, invoke } = fakeIpcMain();
    const handlers = spyHandlers();
    registerIpc(ipcMain, { handlers, sessions: sessionPerSender() });
    const result = await invoke(fromFrame('app://keyrack/index.html'), 'users.show', { id: 7 });
    expect(result).toEqual({ ok: true, value: 'ran users.show' });
    expect(handlers['users.show']).toHaveBeenCalledTimes(1);
    expect((handlers['users.show'] as unknown as ReturnType<typeof vi.fn>).mock.calls[0]?.[0]).toEqual({ id: 7 });
  });

  test('a bad sender gets forbidden, is reported without its input, and no handler runs', async () => {
    const { ipcMain, invoke } = fakeIpcMain();
    const handlers = spyHandlers();
    const refused: Array<[string, string | null]> = [];
    registerIpc(ipcMain, {
      handlers,
      sessions: sessionPerSender(),
      onRefusedSender: (reason, url) => refused.push([reason, url]),
    });
    const login = { name: 'alice', password: 'correct horse battery' };
    for (const event of [
      fromFrame('https://evil.example/'),
      fromFrame('file:///tmp/x.html'),
      fromFrame('app://keyrack/index.html', 1, {}),
      { sender: { id: 1 }, senderFrame: null },
    ]) {
      const result = await invoke(event, 'auth.login', login);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('forbidden');
    }
    expect(calls(handlers)).toBe(0);
    expect(refused).toHaveLength(4);
    expect(JSON.stringify(refused)).not.toContain(login.password);
  });

  test.each<[string, unknown, unknown]>([
    ['an unknown channel', 'users.dropAll', {}],
    ['a channel that is not a string', 42, {}],
    ['a prototype key as channel', '__proto__', {}],
    ['input of the wrong type', 'users.show', { id: 'seven' }],
    ['an extra field', 'users.show', { id: 7, admin: true }],
    ['input that is not an object', 'auth.login', 'alice:password'],
  ])('%s is refused before any handler runs', async (_label, channel, input) => {
    const { ipcMain, invoke } = fakeIpcMain();
    const handlers = spyHandlers();
    registerIpc(ipcMain, { handlers, sessions: sessionPerSender() });
    const result = await invoke(fromFrame('app://keyrack/index.html'), channel, input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(['validation', 'not_found']).toContain(result.error.code);
    expect(calls(handlers)).toBe(0);
  });
});

describe('with the real core', () => {
  let core: TestCore | undefined;
  afterEach(() => core?.cleanup());

  test('each window has its own login: a session made in one is not usable from another', async () => {
    core = makeCore();
    const { ipcMain, invoke } = fakeIpcMain();
    const sessions = sessionPerSender();
    registerIpc(ipcMain, { handlers: createHandlers(core), sessions });
    const windowA = fromFrame('app://keyrack/index.html', 1);
    const windowB = fromFrame('app://keyrack/index.html', 2);

    const setup = await invoke(windowA, 'auth.setup', { name: 'alice', password: 'correct horse battery' });
    expect(setup.ok).toBe(true);
    expect((await invoke(windowA, 'users.list', {})).ok).toBe(true);

    const fromB = await invoke(windowB, 'users.list', {});
    expect(fromB.ok).toBe(false);
    if (!fromB.ok) expect(fromB.error.code).toBe('unauthenticated');

    // A closed window's session is forgotten; a new window with a reused id starts logged out.
    sessions.forget(1);
    const afterClose = await invoke(windowA, 'users.list', {});
    expect(afterClose.ok).toBe(false);
  });

  test('a refused sender cannot set up the first administrator', async () => {
    core = makeCore();
    const { ipcMain, invoke } = fakeIpcMain();
    registerIpc(ipcMain, { handlers: createHandlers(core), sessions: sessionPerSender() });
    const result = await invoke(fromFrame('https://evil.example/'), 'auth.setup', {
      name: 'mallory',
      password: 'correct horse battery',
    });
    expect(result.ok).toBe(false);
    expect(await core.auth.setupNeeded()).toBe(true);
  });
});

