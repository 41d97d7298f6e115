import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { credentialFileDestination, isLoopbackHost, knownEndpoints, UNKNOWN_SERVER_ADDRESS } from '../../electron/credentials/endpoints.js';
import { exportDestination } from '../../electron/services/credential-export.js';
import { ForbiddenError } from '../../shared/errors.js';
import { powerlessPerson } from '../support/fixtures.js';
import { aesGcmKeyWrapper, headlessKeyWrapper } from '../../electron/crypto/key-wrap.js';
import { loadOrCreateTlsMaterial } from '../../electron/crypto/tls.js';
import { tlsHome } from '../../electron/services/tls-certificates.js';
import { createTokenServerHost, type TokenServerHost } from '../../electron/token-server/host.js';
import { readRunningRecord, RUNNING_RECORD_FILE } from '../../electron/token-server/running-record.js';
import { cli, coreWithAdmin, makeCore, type TestCore } from '../support/core.js';
import { updateTokenServerSettings } from '../../electron/services/token-server-settings.js';
import { TEST_TUNING } from '../token-server/support.js';

/** A credential file names the server as integrators reach it, or is refused: never a guess from settings. */
describe('knownEndpoints', () => {
  let core: TestCore;
  afterEach(() => core.close());

  test('nothing known (no issuer, no running server): refused with the way out', async () => {
    core = makeCore();
    await expect(knownEndpoints(tlsHome(core), { issuer: null }, null)).rejects.toThrow(UNKNOWN_SERVER_ADDRESS);
    expect(UNKNOWN_SERVER_ADDRESS).toContain('keyrack server settings set --issuer');
  });

  test("the issuer setting wins; an https issuer carries Keyrack's CA, an http one none", async () => {
    core = makeCore();
    const tls = await loadOrCreateTlsMaterial(tlsHome(core), headlessKeyWrapper(core.dataDir, {}));
    const running = { issuer: 'http://127.0.0.1:18443', tls: false, tlsSource: null };
    expect(await knownEndpoints(tlsHome(core), { issuer: 'https://keyrack.office.test:8443' }, running)).toEqual({
      issuer: 'https://keyrack.office.test:8443',
      tokenEndpoint: 'https://keyrack.office.test:8443/oauth2/token',
      caCertificate: tls.caCert,
    });
    expect(await knownEndpoints(tlsHome(core), { issuer: 'http://keys.office.test:8080' }, null)).toEqual({
      issuer: 'http://keys.office.test:8080',
      tokenEndpoint: 'http://keys.office.test:8080/oauth2/token',
      caCertificate: null,
    });
  });

  test("without an issuer, the running server's own: its CA only when it speaks TLS with Keyrack's CA", async () => {
    core = makeCore();
    const tls = await loadOrCreateTlsMaterial(tlsHome(core), headlessKeyWrapper(core.dataDir, {}));
    expect(await knownEndpoints(tlsHome(core), { issuer: null }, { issuer: 'http://127.0.0.1:18443', tls: false, tlsSource: null })).toEqual({
      issuer: 'http://127.0.0.1:18443',
      tokenEndpoint: 'http://127.0.0.1:18443/oauth2/token',
      caCertificate: null,
    });
    expect((await knownEndpoints(tlsHome(core), { issuer: null }, { issuer: 'https://10.0.0.5:9443', tls: true, tlsSource: 'generated' })).caCertificate).toBe(tls.caCert);
    expect((await knownEndpoints(tlsHome(core), { issuer: null }, { issuer: 'https://10.0.0.5:9443', tls: true, tlsSource: 'installed' })).caCertificate).toBeNull();
  });
});

describe('the running-server record', () => {
  let core: TestCore;
  let host: TokenServerHost;
  afterEach(async () => {
    await host?.stop();
    core.cleanup();
  });

  test('written while a host runs (with its real port, not the stored one), removed when it stops', async () => {
    core = makeCore();
    host = createTokenServerHost({
      core,
      dataDir: core.dataDir,
      keyWrapper: aesGcmKeyWrapper(randomBytes(32), 'test'),
      port: 0,
      tuning: TEST_TUNING,
      auditWriter: 'inline',
    });
    expect(readRunningRecord(core.dataDir)).toBeNull();
    const status = await host.start();
    expect(status.listening!.port).not.toBe(8443);
    expect(readRunningRecord(core.dataDir)).toMatchObject({
      pid: process.pid,
      issuer: status.issuer,
      urls: status.urls,
      tls: false,
      port: status.listening!.port,
    });
    await host.stop();
    expect(existsSync(join(core.dataDir, RUNNING_RECORD_FILE))).toBe(false);
  });

  test("a record whose process has ended is ignored (a server that was killed)", async () => {
    core = makeCore();
    await updateTokenServerSettings(core.deps, cli, { port: 9443 }); // nothing from the settings is used either
    writeFileSync(
      join(core.dataDir, RUNNING_RECORD_FILE),
      JSON.stringify({ pid: 2 ** 22 + 12_345, issuer: 'http://127.0.0.1:18443', urls: [], tls: false, tlsSource: null, host: '127.0.0.1', port: 18443, startedAt: 0 }),
    );
    expect(readRunningRecord(core.dataDir)).toBeNull();
  });
});

/**
 * Issue 13 item 7: with LAN access off the file named http://127.0.0.1:<port>, which no other machine reaches,
 * and the export dialog said nothing. The dialog now asks where a file would point before it is saved.
 */
describe('credentialFileDestination', () => {
  const loopbackServer = { issuer: 'http://127.0.0.1:53127' };

  test('the running loopback server, no issuer: only this computer reaches it, and LAN access is off', () => {
    expect(credentialFileDestination({ issuer: null, lanAccess: false }, loopbackServer)).toEqual({
      known: true,
      issuer: 'http://127.0.0.1:53127',
      tokenEndpoint: 'http://127.0.0.1:53127/oauth2/token',
      thisComputerOnly: true,
      lanAccess: false,
    });
  });

  test('an issuer the office set wins over the loopback server, as it does in the file', () => {
    expect(credentialFileDestination({ issuer: 'https://keyrack.office.test:8443', lanAccess: false }, loopbackServer)).toMatchObject({
      tokenEndpoint: 'https://keyrack.office.test:8443/oauth2/token',
      thisComputerOnly: false,
    });
  });

  test('LAN access on, but the server still answers on loopback (started with a fixed address): still this computer only', () => {
    expect(credentialFileDestination({ issuer: null, lanAccess: true }, loopbackServer)).toMatchObject({ thisComputerOnly: true, lanAccess: true });
    expect(credentialFileDestination({ issuer: null, lanAccess: true }, { issuer: 'https://192.168.1.5:8443' })).toMatchObject({ thisComputerOnly: false });
  });

  test('nothing known: the export would be refused, and the dialog can say so first', () => {
    expect(credentialFileDestination({ issuer: null, lanAccess: true }, null)).toEqual({ known: false, lanAccess: true });
  });

  test.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['[::1]', true],
    ['[::ffff:127.0.0.1]', true],
    ['localhost', true],
    ['LOCALHOST.', true],
    ['keyrack.localhost', true],
    ['192.168.1.5', false],
    ['[fe80::1]', false],
    ['keyrack.office.lan', false],
    ['localhost.example.com', false],
  ])('isLoopbackHost(%s) is %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });

  test('exportDestination reads the settings and the running record, with the export\'s permission', async () => {
    const { core: store, admin } = await coreWithAdmin();
    try {
      expect(await exportDestination(store, admin)).toEqual({ known: false, lanAccess: false });
      await updateTokenServerSettings(store.deps, admin, { issuer: 'http://localhost:8080' });
      expect(await exportDestination(store, admin)).toMatchObject({ known: true, thisComputerOnly: true, tokenEndpoint: 'http://localhost:8080/oauth2/token' });
      const bob = await powerlessPerson(store, admin);
      await expect(exportDestination(store, bob)).rejects.toThrow(ForbiddenError);
    } finally {
      store.cleanup();
    }
  });
});
