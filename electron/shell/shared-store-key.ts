import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { aesGcmKeyWrapper, MASTER_KEY_ENV, MASTER_KEY_FILE, MasterKeyError, type KeyWrapper } from '../crypto/key-wrap.js';
import { safeStorageKeyWrapper, type SafeStorageLike } from './safe-storage-key-wrapper.js';

/**
 * The desktop app's key wrapper on a shared (PostgreSQL) store. There the private keys in the store (signing
 * keys, the log's checkpoint key) are wrapped with the master key every `keyrack serve` node is given, not
 * with this account's keychain, which no node could open. The app keeps its own copy of that master key
 * sealed by the keychain (Electron safeStorage) in the data folder, so after the first start it needs the
 * plain key file no more: the administrator may remove it from this machine.
 *
 * Where the key comes from, first found: KEYRACK_MASTER_KEY; the app's sealed copy; the plain key file in
 * the data folder (as `keyrack store master-key` writes it), which is then sealed for next time. Without
 * any of them the app refuses to start on the store, saying what to do: a new key of its own would make it
 * the one machine able to open keys it creates.
 */
export const SEALED_MASTER_KEY_FILE = 'master.key.keychain';

export interface SharedStoreKeyOptions {
  dataDir: string;
  storage: SafeStorageLike;
  env?: NodeJS.ProcessEnv;
  /** Where the store is, for the refusal's words (never holding a password). */
  store: string;
  log: (message: string) => void;
}

export function sharedStoreKeyWrapper(options: SharedStoreKeyOptions): KeyWrapper {
  const env = options.env ?? process.env;
  const fromEnv = env[MASTER_KEY_ENV];
  if (fromEnv) return aesGcmKeyWrapper(decodeKey(fromEnv, MASTER_KEY_ENV), `master key from ${MASTER_KEY_ENV}`);

  const keychain = options.storage.isEncryptionAvailable() ? safeStorageKeyWrapper(options.storage, 'the app\'s copy') : undefined;
  const sealed = join(options.dataDir, SEALED_MASTER_KEY_FILE);
  if (keychain && existsSync(sealed)) {
    return aesGcmKeyWrapper(keychain.unwrap(readFileSync(sealed)), 'master key (the app\'s copy, sealed by the OS keychain)');
  }
  const file = join(options.dataDir, MASTER_KEY_FILE);
  if (!existsSync(file)) {
    throw new MasterKeyError(
      `The store ${options.store} is shared by server nodes, and its private keys are wrapped with their master key. ` +
        `Put that key in ${file} (the file the nodes were given; for a store's first machine, create one with ` +
        `keyrack store master-key), or set ${MASTER_KEY_ENV}, then start Keyrack again.`,
    );
  }
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
    throw new MasterKeyError(`${file} is readable by other users; run: chmod 600 ${file}`);
  }
  const key = decodeKey(readFileSync(file, 'utf8'), file);
  if (keychain) {
    writeFileAtomic(sealed, keychain.wrap(key)); // owner-only
    options.log(`the master key is now kept sealed by the OS keychain in ${sealed}; ${file} may be removed from this machine`);
  }
  return aesGcmKeyWrapper(key, `master key file ${file}`);
}

function decodeKey(text: string, where: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64url');
  if (key.length !== 32) throw new MasterKeyError(`${where} does not hold a 32-byte base64url key`);
  return key;
}
