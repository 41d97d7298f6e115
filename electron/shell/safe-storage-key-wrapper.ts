import type { KeyWrapper } from '../crypto/key-wrap.js';

/**
 * Reversible secrets (private signing keys, the TLS CA key) wrapped with Electron safeStorage, i.e. the
 * OS keychain: Keychain on macOS, DPAPI on Windows, libsecret or KWallet on Linux. Plain Node: main passes
 * Electron's `safeStorage` (electron/ipc/electron-safe-storage.ts), tests pass a fake.
 */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only in Electron: which keyring backs safeStorage. */
  getSelectedStorageBackend?(): string;
}

/** Marks a blob as safeStorage-wrapped, so unwrap can tell it from a master-key blob (which starts 0x01). */
const MAGIC = Buffer.from('KRSS1', 'ascii');

export class KeyUnwrapError extends Error {
  override name = 'KeyUnwrapError';
}

export function safeStorageKeyWrapper(storage: SafeStorageLike, backend: string): KeyWrapper {
  return {
    description: `the operating system keychain (Electron safeStorage, ${backend})`,
    wrap(plain) {
      // safeStorage encrypts strings; base64 carries arbitrary bytes (DER keys) through unchanged.
      return Buffer.concat([MAGIC, storage.encryptString(plain.toString('base64'))]);
    },
    unwrap(wrapped) {
      if (!isSafeStorageBlob(wrapped)) throw new KeyUnwrapError('this key was not wrapped with the OS keychain');
      try {
        return Buffer.from(storage.decryptString(wrapped.subarray(MAGIC.length)), 'base64');
      } catch {
        throw new KeyUnwrapError(
          'a stored key does not decrypt with this account\'s OS keychain (another user or machine, or a reset keychain)',
        );
      }
    },
  };
}

export const isSafeStorageBlob = (wrapped: Buffer): boolean =>
  wrapped.length > MAGIC.length && wrapped.subarray(0, MAGIC.length).equals(MAGIC);

/**
 * Linux backends that give no protection beyond the file's permissions: `basic_text` encrypts with a
 * password hard-coded in Chromium, `unknown` means no keyring was selected.
 */
const WEAK_LINUX_BACKENDS: ReadonlySet<string> = new Set(['basic_text', 'unknown']);

export interface DesktopKeyWrapperOptions {
  storage: SafeStorageLike;
  platform: NodeJS.Platform;
  /** The headless wrapper (master key file 0600 in the data folder), created only when needed. */
  fallback: () => KeyWrapper;
  warn: (message: string) => void;
}

/**
 * The desktop app's choice. With a real keychain: safeStorage. Without one (encryption unavailable, or a
 * Linux desktop with no keyring, where Chromium falls back to a hard-coded password): the headless master
 * key file, with a warning in the log. Refusing to start instead would lock an office out of its own
 * credentials on such a machine, and the key file is exactly the protection a headless server relies on.
 *
 * Either way, unwrap reads both formats, so keys wrapped before a keychain appeared (or by the headless
 * `keyrack serve` on the same folder) still open; new keys are wrapped with the current choice.
 */
export function desktopKeyWrapper(options: DesktopKeyWrapperOptions): KeyWrapper {
  const backend = options.platform === 'linux' ? (options.storage.getSelectedStorageBackend?.() ?? 'unknown') : 'native';
  const weak = !options.storage.isEncryptionAvailable()
    ? 'OS keychain encryption is not available'
    : options.platform === 'linux' && WEAK_LINUX_BACKENDS.has(backend)
      ? `no keyring is available (safeStorage backend "${backend}")`
      : null;

  let fallback: KeyWrapper | undefined;
  const headless = (): KeyWrapper => (fallback ??= options.fallback());

  if (weak) {
    const wrapper = headless();
    options.warn(`${weak}; keys are wrapped with ${wrapper.description} instead. Keep that file private.`);
    return wrapper;
  }
  const keychain = safeStorageKeyWrapper(options.storage, backend);
  return {
    description: keychain.description,
    wrap: (plain) => keychain.wrap(plain),
    unwrap: (wrapped) => (isSafeStorageBlob(wrapped) ? keychain.unwrap(wrapped) : headless().unwrap(wrapped)),
  };
}
