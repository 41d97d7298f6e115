import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { headlessKeyWrapper } from '../../electron/crypto/key-wrap.js';
import {
  KeyUnwrapError,
  desktopKeyWrapper,
  safeStorageKeyWrapper,
} from '../../electron/shell/safe-storage-key-wrapper.js';
import { fakeKeychain } from './support/fake-keychain.js';

const dirs: string[] = [];
const dataDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'keyrack-keywrap-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const privateKey = Buffer.from('-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n');

describe('safeStorage key wrapper', () => {
  test('round-trips arbitrary bytes, and the wrapped form does not contain them', () => {
    const wrapper = safeStorageKeyWrapper(fakeKeychain(), 'gnome_libsecret');
    const binary = randomBytes(300);
    for (const plain of [privateKey, binary, Buffer.alloc(0)]) {
      const wrapped = wrapper.wrap(plain);
      expect(wrapper.unwrap(wrapped).equals(plain)).toBe(true);
      if (plain.length > 0) expect(wrapped.includes(plain.subarray(0, 16))).toBe(false);
    }
    expect(wrapper.description).toContain('keychain');
  });

  test('refuses a blob from another keychain or in another format, without echoing it', () => {
    const mine = safeStorageKeyWrapper(fakeKeychain(), 'kwallet');
    const theirs = safeStorageKeyWrapper(fakeKeychain(), 'kwallet');
    expect(() => mine.unwrap(theirs.wrap(privateKey))).toThrow(KeyUnwrapError);
    expect(() => mine.unwrap(Buffer.from([1, 2, 3]))).toThrow(/not wrapped with the OS keychain/);
  });
});

describe('the desktop choice', () => {
  test('uses the keychain when a real one is available, and never creates the key file', () => {
    const keychain = fakeKeychain({ backend: 'gnome_libsecret' });
    let fallbackCreated = false;
    const warnings: string[] = [];
    const wrapper = desktopKeyWrapper({
      storage: keychain,
      platform: 'linux',
      fallback: () => {
        fallbackCreated = true;
        return headlessKeyWrapper(dataDir(), {});
      },
      warn: (m) => warnings.push(m),
    });
    expect(wrapper.unwrap(wrapper.wrap(privateKey)).equals(privateKey)).toBe(true);
    expect(keychain.calls).toBe(1);
    expect(fallbackCreated).toBe(false);
    expect(warnings).toEqual([]);
  });

  test.each([
    ['encryption unavailable', { available: false }, 'darwin'],
    ['a Linux desktop without a keyring (basic_text)', { backend: 'basic_text' }, 'linux'],
    ['an unknown Linux backend', { backend: 'unknown' }, 'linux'],
  ] as const)('falls back to the master key file with a warning: %s', (_label, options, platform) => {
    const dir = dataDir();
    const keychain = fakeKeychain(options);
    const warnings: string[] = [];
    const wrapper = desktopKeyWrapper({
      storage: keychain,
      platform,
      fallback: () => headlessKeyWrapper(dir, {}),
      warn: (m) => warnings.push(m),
    });
    const wrapped = wrapper.wrap(privateKey);
    expect(keychain.calls).toBe(0);
    expect(wrapper.description).toContain('master key file');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/master key file/);
    // The same folder's key file opens it: the headless `keyrack` on this folder reads the same keys.
    expect(headlessKeyWrapper(dir, {}).unwrap(wrapped).equals(privateKey)).toBe(true);
  });

  test('keys wrapped by the key file before a keychain appeared still open, new ones go to the keychain', () => {
    const dir = dataDir();
    const before = headlessKeyWrapper(dir, {}).wrap(privateKey);
    const wrapper = desktopKeyWrapper({
      storage: fakeKeychain(),
      platform: 'win32',
      fallback: () => headlessKeyWrapper(dir, {}),
      warn: () => undefined,
    });
    expect(wrapper.unwrap(before).equals(privateKey)).toBe(true);
    const after = wrapper.wrap(privateKey);
    expect(() => headlessKeyWrapper(dir, {}).unwrap(after)).toThrow();
    expect(wrapper.unwrap(after).equals(privateKey)).toBe(true);
  });
});
