import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { aesGcmKeyWrapper } from '../../electron/crypto/key-wrap.js';
import { startWebApp, type WebApp } from '../../electron/web-bridge/web-app.js';
import { cli, makeCore, tempDir, type TestCore } from '../support/core.js';
import { seedCatalogue } from '../support/fixtures.js';

let core: TestCore;
let app: WebApp;
let saveDir: string;
let cookie = '';

beforeEach(async () => {
  core = makeCore();
  core.clock.set(Date.now());
  saveDir = tempDir('keyrack-web-saves-');
  app = await startWebApp({
    core,
    staticDir: null,
    port: 0,
    tokenServer: { port: 0, keyWrapper: aesGcmKeyWrapper(randomBytes(32), 'test master key'), tuning: { failureFloorMinMs: 1 } },
    saveDir,
    openFiles: [],
  });
  cookie = '';
});
afterEach(async () => {
  await app.close();
  core.cleanup();
});

/** One call through the bridge as the page makes it (same-origin JSON with the bridge header and the session cookie). */
async function api<T>(channel: string, input: unknown): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }> {
  const response = await fetch(`${app.bridge.url}api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-keyrack': '1', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(input),
  });
  const set = response.headers.get('set-cookie');
  if (set) cookie = set.split(';')[0]!;
  return (await response.json()) as never;
}
async function value<T>(channel: string, input: unknown): Promise<T> {
  const result = await api<T>(channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.value;
}

test('the web app starts the token server on loopback beside the bridge, and stops it on close', async () => {
  const status = (await app.tokenServer.status());
  expect(status).toMatchObject({ running: true, tls: false, listening: { host: '127.0.0.1' } });
  expect(status.urls[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect((await fetch(`${status.urls[0]}/.well-known/oauth-authorization-server`)).status).toBe(200);

  // A restart (after a settings change) keeps the address, so exported files stay right.
  const restarted = await app.tokenServer.restart();
  expect(restarted.urls).toEqual(status.urls);

  await app.close();
  expect((await app.tokenServer.status()).running).toBe(false);
  await expect(fetch(`${status.urls[0]}/healthz`)).rejects.toThrow();
});

test('through the bridge: the page sees the server, exports a credential file into the save folder, and that file gets a token', async () => {
  await value('auth.setup', { name: 'alice', password: 'correct horse battery' });
  const page = await value<{ running: boolean; urls: string[]; issuer: string }>('server.status', {});
  expect(page).toMatchObject({ running: true, urls: (await app.tokenServer.status()).urls });

  const { group } = await seedCatalogue(core, cli);
  const created = await value<{ user: { id: number }; clientId: string; secret: string }>('users.createApiUser', {
    name: 'Web shop',
    groupIds: [group.id],
  });
  const saved = await value<{ saved: true; path: string; containsSecret: boolean }>('credentials.export', {
    userId: created.user.id,
    secret: created.secret,
  });
  expect(saved).toMatchObject({ saved: true, containsSecret: true });
  expect(saved.path.startsWith(saveDir)).toBe(true);
  expect(statSync(saved.path).mode & 0o777).toBe(0o600);

  const file = JSON.parse(readFileSync(saved.path, 'utf8')) as { token_endpoint: string; client_id: string; client_secret: string; issuer: string };
  expect(file.issuer).toBe(page.issuer);
  const reply = await fetch(file.token_endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(file.client_id)}:${encodeURIComponent(file.client_secret)}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials',
  });
  expect(await reply.json()).toMatchObject({ token_type: 'Bearer' });
  expect(reply.status).toBe(200);

  // A second export of the same name does not replace the first.
  const again = await value<{ path: string }>('credentials.export', { userId: created.user.id });
  expect(again.path).not.toBe(saved.path);
  expect(JSON.parse(readFileSync(saved.path, 'utf8'))).toMatchObject({ client_secret: created.secret });
});

test('without files to import, the import says plainly that this window cannot choose files', async () => {
  await value('auth.setup', { name: 'alice', password: 'correct horse battery' });
  expect(await api('ranges.import', {})).toMatchObject({
    ok: false,
    error: { code: 'not_found', message: expect.stringContaining('KEYRACK_WEB_OPEN_FILES') },
  });
});
