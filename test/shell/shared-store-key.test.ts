import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { aesGcmKeyWrapper, MASTER_KEY_FILE, MasterKeyError } from '../../electron/crypto/key-wrap.js';
import { SEALED_MASTER_KEY_FILE, sharedStoreKeyWrapper } from '../../electron/shell/shared-store-key.js';
import { tempDir } from '../support/core.js';
import { fakeKeychain } from './support/fake-keychain.js';

const STORE = 'postgres://keyrack@db.office.lan:5432/keyrack';
const dirs: string[] = [];
const dataDir = () => {
  const dir = tempDir('keyrack-shared-key-');
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The key file as `keyrack store master-key` writes it; returns the wrapper the nodes build from it. */
function nodesKey(dir: string): ReturnType<typeof aesGcmKeyWrapper> {
  const key = randomBytes(32);
  writeFileSync(join(dir, MASTER_KEY_FILE), `${key.toString('base64url')}\n`, { mode: 0o600 });
  return aesGcmKeyWrapper(key, 'the nodes');
}

describe('the desktop app on a shared store: the nodes\' master key, its own copy sealed by the keychain', () => {
  test('the key file is read once and sealed; afterwards the app opens the nodes\' keys without the file', () => {
    const dir = dataDir();
    const nodes = nodesKey(dir);
    const keychain = fakeKeychain();
    const logged: string[] = [];
    const first = sharedStoreKeyWrapper({ dataDir: dir, storage: keychain, store: STORE, env: {}, log: (m) => logged.push(m) });
    const signingKey = randomBytes(64);
    // Both ways: what a node wrapped the app opens, and what the app wraps a node opens.
    expect(first.unwrap(nodes.wrap(signingKey))).toEqual(signingKey);
    expect(nodes.unwrap(first.wrap(signingKey))).toEqual(signingKey);

    const sealed = join(dir, SEALED_MASTER_KEY_FILE);
    expect(statSync(sealed).mode & 0o777).toBe(0o600);
    // Sealed, not the key in the clear.
    expect(readFileSync(sealed).includes(readFileSync(join(dir, MASTER_KEY_FILE), 'utf8').trim())).toBe(false);
    expect(logged).toEqual([`the master key is now kept sealed by the OS keychain in ${sealed}; ${join(dir, MASTER_KEY_FILE)} may be removed from this machine`]);

    rmSync(join(dir, MASTER_KEY_FILE));
    const later = sharedStoreKeyWrapper({ dataDir: dir, storage: keychain, store: STORE, env: {}, log: () => {} });
    expect(later.unwrap(nodes.wrap(signingKey))).toEqual(signingKey);
    // Another account's keychain cannot open the sealed copy.
    expect(() => sharedStoreKeyWrapper({ dataDir: dir, storage: fakeKeychain(), store: STORE, env: {}, log: () => {} })).toThrow(/OS keychain/);
  });

  test('KEYRACK_MASTER_KEY wins, and nothing is written', () => {
    const dir = dataDir();
    const key = randomBytes(32);
    const wrapper = sharedStoreKeyWrapper({ dataDir: dir, storage: fakeKeychain(), store: STORE, env: { KEYRACK_MASTER_KEY: key.toString('base64url') }, log: () => {} });
    const secret = randomBytes(16);
    expect(aesGcmKeyWrapper(key, 'env').unwrap(wrapper.wrap(secret))).toEqual(secret);
    expect(existsSync(join(dir, SEALED_MASTER_KEY_FILE))).toBe(false);
  });

  test('without any master key the app refuses, saying where the key goes; it never makes one of its own', () => {
    const dir = dataDir();
    const start = () => sharedStoreKeyWrapper({ dataDir: dir, storage: fakeKeychain(), store: STORE, env: {}, log: () => {} });
    expect(start).toThrow(MasterKeyError);
    expect(start).toThrow(
      `The store ${STORE} is shared by server nodes, and its private keys are wrapped with their master key. ` +
        `Put that key in ${join(dir, MASTER_KEY_FILE)} (the file the nodes were given; for a store's first machine, create one with ` +
        'keyrack store master-key), or set KEYRACK_MASTER_KEY, then start Keyrack again.',
    );
    expect(existsSync(join(dir, MASTER_KEY_FILE))).toBe(false);
    expect(existsSync(join(dir, SEALED_MASTER_KEY_FILE))).toBe(false);
  });

  test('a key file others can read is refused; without a keychain the file is used as it is, nothing sealed', () => {
    const dir = dataDir();
    nodesKey(dir);
    chmodSync(join(dir, MASTER_KEY_FILE), 0o644);
    expect(() => sharedStoreKeyWrapper({ dataDir: dir, storage: fakeKeychain(), store: STORE, env: {}, log: () => {} })).toThrow(/readable by other users/);
    rmSync(join(dir, MASTER_KEY_FILE));
    const again = nodesKey(dir);
    const wrapper = sharedStoreKeyWrapper({ dataDir: dir, storage: fakeKeychain({ available: false }), store: STORE, env: {}, log: () => {} });
    const secret = randomBytes(16);
    expect(again.unwrap(wrapper.wrap(secret))).toEqual(secret);
    expect(existsSync(join(dir, SEALED_MASTER_KEY_FILE))).toBe(false);
  });
});
