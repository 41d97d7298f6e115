import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import {
  buildEnv,
  explainFailure,
  nodeGypArgs,
  planElectronNativeBuild,
  prebuildInstallArgs,
  summarizeToolOutput,
} from '../../scripts/electron-native-plan.mjs';

const root = new URL('../..', import.meta.url).pathname;
const script = join(root, 'scripts', 'build-electron-native.mjs');

describe('the decision', () => {
  const base = { appRoot: '/app', electronVersion: '45.4.1', platform: 'linux', arch: 'x64' };

  test('builds when the binary for this exact version is missing', () => {
    const seen: string[] = [];
    const plan = planElectronNativeBuild({ ...base, exists: (p) => (seen.push(p), false) });
    expect(plan).toEqual({
      action: 'build',
      outDir: join('/app', '.native', 'electron', '45.4.1-linux-x64'),
      binary: join('/app', '.native', 'electron', '45.4.1-linux-x64', 'better_sqlite3.node'),
    });
    expect(seen).toEqual([join('/app', '.native', 'electron', '45.4.1-linux-x64', 'better_sqlite3.node')]);
  });

  test('skips when it exists, unless forced', () => {
    expect(planElectronNativeBuild({ ...base, exists: () => true }).action).toBe('skip');
    expect(planElectronNativeBuild({ ...base, exists: () => true, force: true }).action).toBe('build');
  });

  test('a binary for another Electron version does not count', () => {
    const built = join('/app', '.native', 'electron', '44.0.0-linux-x64', 'better_sqlite3.node');
    expect(planElectronNativeBuild({ ...base, exists: (p) => p === built }).action).toBe('build');
  });

  test('refuses clearly when Electron is not installed', () => {
    const plan = planElectronNativeBuild({ ...base, electronVersion: undefined, exists: () => true });
    expect(plan).toEqual({ action: 'fail', message: expect.stringMatching(/npm ci/) });
  });
});

describe('the tool invocations', () => {
  test('target Electron, never Node', () => {
    expect(prebuildInstallArgs({ electronVersion: '45.4.1', platform: 'linux', arch: 'x64' })).toEqual(
      expect.arrayContaining(['--runtime=electron', '--target=45.4.1', '--platform=linux', '--arch=x64']),
    );
    const online = nodeGypArgs({ electronVersion: '45.4.1', arch: 'x64' });
    expect(online).toEqual(expect.arrayContaining(['rebuild', '--release', '--runtime=electron', '--target=45.4.1']));
    expect(online).toContain('--dist-url=https://electronjs.org/headers');
    const offline = nodeGypArgs({ electronVersion: '45.4.1', arch: 'x64', headersDir: '/opt/electron-headers' });
    expect(offline).toContain('--nodedir=/opt/electron-headers');
    expect(offline.some((a) => a.startsWith('--dist-url'))).toBe(false);
  });

  test("npm's nodedir and target overrides are removed from the environment (they would build for Node)", () => {
    const env = buildEnv({
      PATH: '/usr/bin',
      npm_config_nodedir: '/usr',
      NPM_CONFIG_NODEDIR: '/usr',
      npm_config_target: '20.20.2',
      npm_config_runtime: 'node',
      npm_config_disturl: 'https://nodejs.org/dist',
      npm_config_cache: '/root/.npm',
    });
    expect(env).toEqual({ PATH: '/usr/bin', npm_config_cache: '/root/.npm' });
  });

  test('failure messages name each attempt, the network need and the offline way, and reassure about Node', () => {
    const message = explainFailure({ electronVersion: '45.4.1', prebuildError: 'ENOTFOUND github.com', gypError: 'no headers' });
    expect(message).toMatch(/Electron 45\.4\.1/);
    expect(message).toMatch(/ENOTFOUND github\.com/);
    expect(message).toMatch(/no headers/);
    expect(message).toMatch(/ELECTRON_HEADERS_DIR/);
    expect(message).toMatch(/npm test/);
  });

  test('tool output is summarised to the lines that say why', () => {
    const gyp = [
      'gyp info it worked if it ends with ok',
      'gyp http GET https://electronjs.org/headers/v45.4.1/node-v45.4.1-headers.tar.gz',
      'gyp ERR! stack Error: This is most likely not a problem with node-gyp or the package itself and',
      'gyp ERR! stack is related to network connectivity. In most cases you are behind a proxy or have bad',
      'gyp ERR! stack at go (/x/install.js:244:21)',
      'gyp ERR! node -v v20.20.2',
      'gyp ERR! not ok',
    ].join('\n');
    const summary = summarizeToolOutput(gyp);
    expect(summary).toMatch(/^downloading https:\/\/electronjs\.org\/headers\/v45\.4\.1\//);
    expect(summary).toMatch(/network connectivity/);
    expect(summary).not.toMatch(/install\.js|node -v|not ok/);
  });
});

describe('the script', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const fakeRoot = (electronVersion?: string): string => {
    const dir = mkdtempSync(join(tmpdir(), 'keyrack-native-root-'));
    dirs.push(dir);
    if (electronVersion) {
      mkdirSync(join(dir, 'node_modules', 'electron'), { recursive: true });
      writeFileSync(join(dir, 'node_modules', 'electron', 'package.json'), JSON.stringify({ version: electronVersion }));
    }
    return dir;
  };
  const run = (appRoot: string) =>
    spawnSync(process.execPath, [script, '--root', appRoot], { encoding: 'utf8', timeout: 20_000 });

  test('does nothing when the binary for the installed Electron is already there', () => {
    const appRoot = fakeRoot('45.4.1');
    const outDir = join(appRoot, '.native', 'electron', `45.4.1-${process.platform}-${process.arch}`);
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'better_sqlite3.node'), 'built earlier');
    const result = run(appRoot);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/already built/);
    expect(readdirSync(outDir)).toEqual(['better_sqlite3.node']);
  });

  test('exits 1 with a clear message when Electron or better-sqlite3 is not installed', () => {
    const noElectron = run(fakeRoot());
    expect(noElectron.status).toBe(1);
    expect(noElectron.stderr).toMatch(/Electron is not installed.*npm ci/);

    const noSqlite = run(fakeRoot('45.4.1'));
    expect(noSqlite.status).toBe(1);
    expect(noSqlite.stderr).toMatch(/better-sqlite3 is not installed.*npm ci/);
  });
});
