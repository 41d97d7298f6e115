import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { aesGcmKeyWrapper } from '../../electron/crypto/key-wrap.js';
import { createDesktopServices } from '../../electron/shell/desktop-services.js';
import { makeCore, type TestCore } from '../support/core.js';

let core: TestCore;
let logged: string[];
const keyWrapper = aesGcmKeyWrapper(randomBytes(32), 'test keychain');
beforeEach(() => {
  core = makeCore();
  core.clock.set(Date.now());
  logged = [];
});
afterEach(() => core.cleanup());

const health = async (url: string) => (await fetch(`${url}/healthz`)).status;

test('the token server starts with the app (loopback by default) and stops on quit', async () => {
  const desktop = createDesktopServices({ core, keyWrapper, log: (m) => logged.push(m) }, { host: { port: 0 } });
  expect((await desktop.tokenServer.host.status()).running).toBe(false);

  const running = await desktop.start();
  expect(running.names).toEqual(['token server', 'log retention']);
  const status = (await desktop.tokenServer.host.status());
  expect(status).toMatchObject({ running: true, tls: false, listening: { host: '127.0.0.1' } });
  expect(await health(status.urls[0]!)).toBe(200);
  expect(logged).toContain(`token server answers on ${status.urls[0]} (issuer ${status.issuer})`);
  // The signing key was created on first start, wrapped with the desktop's key wrapper.
  expect(status.signingKeys).toHaveLength(1);

  await running.stop();
  expect((await desktop.tokenServer.host.status()).running).toBe(false);
  await expect(fetch(`${status.urls[0]}/healthz`)).rejects.toThrow();
});

test('a start that fails is logged, the app opens anyway, and quitting stops a server started later', async () => {
  const blocker: Server = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const taken = (blocker.address() as { port: number }).port;
  const desktop = createDesktopServices({ core, keyWrapper, log: (m) => logged.push(m) }, { host: { port: taken } });
  const running = await desktop.start();
  expect(running.names).toEqual(['log retention']);
  expect(logged.some((m) => m.startsWith('token server did not start: Port') && m.includes(String(taken)))).toBe(true);
  expect((await desktop.tokenServer.host.status())).toMatchObject({ running: false, lastError: expect.stringContaining(String(taken)) });

  // The other program lets go of the port; the admin starts the server from the page.
  await new Promise<void>((resolve) => blocker.close(() => resolve()));
  const started = await desktop.tokenServer.host.start();
  expect(started).toMatchObject({ running: true, listening: { port: taken } });
  await running.stop();
  expect((await desktop.tokenServer.host.status()).running).toBe(false);
});

test('with notifications, the expiry notices run beside the token server and stop with it', async () => {
  const desktop = createDesktopServices(
    { core, keyWrapper, log: (m) => logged.push(m) },
    { host: { port: 0 }, showNotification: () => undefined },
  );
  const running = await desktop.start();
  expect(running.names).toEqual(['token server', 'log retention', 'expiry notifications']);
  await running.stop();
  expect(logged).toContain('expiry notifications stopped');
  expect(logged).toContain('token server stopped');
});
