import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { headlessKeyWrapper } from '../../electron/crypto/key-wrap.js';
import { createTokenServerHost } from '../../electron/token-server/host.js';
import type { TokenServerSettings } from '../../shared/token-server.dto.js';
import { keyrack } from '../support/cli.js';
import { makeCore, tempDir } from '../support/core.js';
import { TEST_TUNING } from '../token-server/support.js';

let data: string;
beforeEach(async () => {
  data = tempDir('keyrack-server-settings-');
  await keyrack(data, ['init', '--name', 'alice', '--password-stdin'], 'correct horse battery');
});
afterEach(() => rmSync(data, { recursive: true, force: true }));

const show = async () => JSON.parse((await keyrack(data, ['server', 'settings', 'show', '--json'])).stdout) as { settings: TokenServerSettings; running: unknown };

describe('keyrack server settings', () => {
  test('set changes every documented setting, validated, and logs the values before and after', async () => {
    const run = await keyrack(data, [
      'server', 'settings', 'set',
      '--issuer', 'https://keyrack.office.test:8443',
      '--default-audience', 'urn:office:lan',
      '--audience', 'https://crm.office.test', '--audience', 'urn:office:mail',
      '--signing-alg', 'RS256',
      '--port', '9443',
      '--lan-access', 'on',
      '--host', '192.168.1.5',
      '--plain-http-on-lan', 'off',
      '--trusted-proxy', '10.0.0.5', '--trusted-proxy', '10.1.0.0/16',
      '--token-lifetime', '300',
      '--metrics', 'on', '--metrics-reader', '10.2.0.9',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Changed: issuer, defaultAudience, audiences, tokenLifetimeSeconds, signingAlg, port, lanAccess, host, trustedProxies, metrics, metricsReaders.');
    expect(run.stdout).toContain('The token server is not running here; they apply when it starts.');
    expect(run.stdout).toContain('New signing keys use RS256');
    expect(await show()).toEqual({
      running: null,
      settings: {
        issuer: 'https://keyrack.office.test:8443',
        defaultAudience: 'urn:office:lan',
        audiences: ['https://crm.office.test', 'urn:office:mail'],
        tokenLifetimeSeconds: 300,
        signingAlg: 'RS256',
        port: 9443,
        lanAccess: true,
        host: '192.168.1.5',
        plainHttpOnLan: false,
        trustedProxies: ['10.0.0.5', '10.1.0.0/16'],
        metrics: true,
        metricsReaders: ['10.2.0.9'],
      },
    });
    const [event] = JSON.parse((await keyrack(data, ['log', '--type', 'settings.changed', '--json'])).stdout) as { actorName: string; details: Record<string, unknown> }[];
    expect(event).toMatchObject({ actorName: 'cli:tester', details: { area: 'token_server', before: { issuer: null, port: 8443, audiences: [] }, after: { issuer: 'https://keyrack.office.test:8443', port: 9443 } } });

    const human = await keyrack(data, ['server', 'settings', 'show']);
    expect(human.stdout).toMatch(/Issuer:\s+https:\/\/keyrack\.office\.test:8443/);
    expect(human.stdout).toMatch(/Trusted proxies:\s+10\.0\.0\.5 10\.1\.0\.0\/16/);
    expect(human.stdout).toMatch(/Metrics:\s+on: GET \/metrics for this computer and 10\.2\.0\.9/);
    expect(human.stdout).toContain('Not running on this data folder.');

    const cleared = await keyrack(data, ['server', 'settings', 'set', '--issuer', 'none', '--clear-audiences', '--clear-trusted-proxies', '--json']);
    expect(JSON.parse(cleared.stdout)).toMatchObject({ changed: ['issuer', 'audiences', 'trustedProxies'], settings: { issuer: null, audiences: [], trustedProxies: [] } });
  });

  test('the signing algorithm setting is what the next key uses (keys rotate), also once a key exists', async () => {
    expect(JSON.parse((await keyrack(data, ['keys', 'rotate', '--json'])).stdout)).toMatchObject({ alg: 'ES256' });
    await keyrack(data, ['server', 'settings', 'set', '--signing-alg', 'RS256']);
    expect(JSON.parse((await keyrack(data, ['keys', 'rotate', '--json'])).stdout)).toMatchObject({ alg: 'RS256' });
  });

  test('bad values: exit 2 naming the setting, nothing changed or logged', async () => {
    const before = await show();
    const bad = await keyrack(data, ['server', 'settings', 'set', '--issuer', 'https://keyrack.office.test/path']);
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringContaining('The issuer must be an http(s) origin') });
    expect((await keyrack(data, ['server', 'settings', 'set', '--trusted-proxy', 'proxy.lan'])).code).toBe(2);
    expect((await keyrack(data, ['server', 'settings', 'set', '--lan-access', 'maybe'])).stderr).toContain('--lan-access: "maybe" is not on or off');
    expect((await keyrack(data, ['server', 'settings', 'set', '--signing-alg', 'HS256'])).code).toBe(2);
    expect((await keyrack(data, ['server', 'settings', 'set'])).code).toBe(2);
    expect(await show()).toEqual(before);
    expect(JSON.parse((await keyrack(data, ['log', '--type', 'settings.changed', '--json'])).stdout)).toEqual([]);
  });

  test('with a server running on the data folder: set says it needs a restart, show says where it runs', async () => {
    const core = makeCore(data);
    const host = createTokenServerHost({ core, dataDir: data, keyWrapper: headlessKeyWrapper(data, {}), port: 0, tuning: TEST_TUNING, auditWriter: 'inline' });
    try {
      const status = await host.start();
      const run = await keyrack(data, ['server', 'settings', 'set', '--token-lifetime', '120', '--json']);
      expect(JSON.parse(run.stdout)).toMatchObject({ changed: ['tokenLifetimeSeconds'], running: true, restartNeeded: true });
      const human = await keyrack(data, ['server', 'settings', 'set', '--token-lifetime', '180']);
      expect(human.stdout).toContain(`The token server running on this data folder (process ${process.pid}) still uses the old settings: restart it to apply them.`);
      expect((await show()).running).toMatchObject({ pid: process.pid, issuer: status.issuer });
    } finally {
      await host.stop();
      core.close();
    }
  });
});
