import { hostname } from 'node:os';
import { afterEach, describe, expect, test } from 'vitest';
import { endpointsFromStoredSettings } from '../../electron/credentials/endpoints.js';
import { loadOrCreateTlsMaterial } from '../../electron/crypto/tls.js';
import { headlessKeyWrapper } from '../../electron/crypto/key-wrap.js';
import { updateTokenServerSettings } from '../../electron/services/token-server-settings.js';
import { cli, makeCore, type TestCore } from '../support/core.js';

/** A credential file must name the URL the server will really answer on (token-server/host.ts rules). */
describe('endpointsFromStoredSettings', () => {
  let core: TestCore;
  afterEach(() => core.close());

  test('LAN access off: plain HTTP on loopback, no CA', () => {
    core = makeCore();
    expect(endpointsFromStoredSettings(core.dataDir, core.deps.db)).toEqual({
      issuer: 'http://127.0.0.1:8443',
      tokenEndpoint: 'http://127.0.0.1:8443/oauth2/token',
      caCertificate: null,
    });
  });

  test("LAN access on: HTTPS on the machine's name with Keyrack's CA", async () => {
    core = makeCore();
    const tls = await loadOrCreateTlsMaterial(core.dataDir, headlessKeyWrapper(core.dataDir, {}));
    updateTokenServerSettings(core.deps, cli, { lanAccess: true, host: '0.0.0.0', port: 9443 });
    const endpoints = endpointsFromStoredSettings(core.dataDir, core.deps.db);
    const host = /^[a-z0-9.-]+$/.test(hostname().toLowerCase()) ? hostname().toLowerCase() : 'localhost';
    expect(endpoints.tokenEndpoint).toBe(`https://${host}:9443/oauth2/token`);
    expect(endpoints.caCertificate).toBe(tls.caCert);
  });

  test('LAN access with the plain-HTTP opt-in: http, no CA; a configured issuer wins', () => {
    core = makeCore();
    updateTokenServerSettings(core.deps, cli, { lanAccess: true, plainHttpOnLan: true, issuer: 'http://keys.office.test:8080' });
    expect(endpointsFromStoredSettings(core.dataDir, core.deps.db)).toEqual({
      issuer: 'http://keys.office.test:8080',
      tokenEndpoint: 'http://keys.office.test:8080/oauth2/token',
      caCertificate: null,
    });
  });
});
