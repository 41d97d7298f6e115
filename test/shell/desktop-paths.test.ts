import { join, sep } from 'node:path';
import { describe, expect, test } from 'vitest';
import { APP_FOLDER_NAME, defaultDataDir } from '../../electron/paths.js';
import { desktopDataDir } from '../../electron/shell/desktop-paths.js';
import { safeFileName } from '../../electron/shell/export-file-name.js';
import {
  NativeModuleMissingError,
  electronNativeDir,
  electronSqliteBinding,
  unpackedFromAsar,
} from '../../electron/shell/native-binding.js';
import * as plan from '../../scripts/electron-native-plan.mjs';

describe('the data folder', () => {
  test("is Electron's userData unless KEYRACK_DATA says otherwise, as for the CLI", () => {
    expect(desktopDataDir('/home/a/.config/Keyrack', {})).toBe('/home/a/.config/Keyrack');
    expect(desktopDataDir('/home/a/.config/Keyrack', { KEYRACK_DATA: '/srv/keyrack' })).toBe('/srv/keyrack');
  });

  test("the CLI's default is <appData>/Keyrack, which is where main points userData", () => {
    expect(APP_FOLDER_NAME).toBe('Keyrack');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/x' }, 'linux')).toBe(join('/x', 'Keyrack'));
  });
});

describe('the Electron build of better-sqlite3', () => {
  test('the app and the build script agree on where it lives', () => {
    for (const [version, platform, arch] of [
      ['45.4.1', 'linux', 'x64'],
      ['46.0.0', 'darwin', 'arm64'],
      ['45.4.1', 'win32', 'x64'],
    ] as const) {
      expect(electronNativeDir('/app', version, platform, arch)).toBe(plan.electronNativeDir('/app', version, platform, arch));
    }
    expect(electronNativeDir('/app', '45.4.1', 'linux', 'x64')).toBe(join('/app', '.native', 'electron', '45.4.1-linux-x64'));
  });

  test('is found beside the app, or unpacked beside the asar archive when packaged', () => {
    const dev = electronSqliteBinding({ appRoot: '/p', electronVersion: '45.4.1', platform: 'linux', arch: 'x64', exists: () => true });
    expect(dev).toBe(join('/p', '.native', 'electron', '45.4.1-linux-x64', 'better_sqlite3.node'));
    const packaged = electronSqliteBinding({
      appRoot: join('/opt', 'Keyrack', 'resources', 'app.asar'),
      electronVersion: '45.4.1',
      platform: 'linux',
      arch: 'x64',
      exists: () => true,
    });
    expect(packaged).toContain(`${sep}app.asar.unpacked${sep}.native${sep}`);
    expect(unpackedFromAsar(join('/a', 'b.asarx', 'c'))).toBe(join('/a', 'b.asarx', 'c'));
  });

  test('a missing binary is refused with the command that builds it', () => {
    expect(() =>
      electronSqliteBinding({ appRoot: '/p', electronVersion: '45.4.1', platform: 'linux', arch: 'x64', exists: () => false }),
    ).toThrow(NativeModuleMissingError);
    expect(() =>
      electronSqliteBinding({ appRoot: '/p', electronVersion: '45.4.1', platform: 'linux', arch: 'x64', exists: () => false }),
    ).toThrow(/npm run rebuild:electron/);
  });
});

describe('export file names suggested by the save dialog', () => {
  test.each([
    ['CRM Sync.keyrack.json', 'CRM Sync.keyrack.json'],
    ['../../etc/passwd', 'etc-passwd'],
    ['a/b\\c:d*e?f"g<h>i|j', 'a-b-c-d-e-f-g-h-i-j'],
    ['line\nbreak\u0000nul', 'line-break-nul'],
    ['.hidden', 'hidden'],
    ['trailing dots...', 'trailing dots'],
    ['CON', 'export'],
    ['nul.txt', 'export'],
    ['', 'export'],
    ['///', 'export'],
  ])('%j → %j', (input, expected) => {
    expect(safeFileName(input)).toBe(expected);
  });

  test('long names are cut', () => {
    expect(safeFileName('x'.repeat(500)).length).toBe(120);
  });
});
