import { safeStorage } from 'electron';
import { headlessKeyWrapper, type KeyWrapper } from '../crypto/key-wrap.js';
import { desktopKeyWrapper } from '../shell/safe-storage-key-wrapper.js';
import { sharedStoreKeyWrapper } from '../shell/shared-store-key.js';

/**
 * The desktop KeyWrapper: Electron safeStorage (the OS keychain), or the headless master key file with a
 * logged warning where no keychain is available (the reasons are in safe-storage-key-wrapper.ts).
 * Call after `app.whenReady()`: safeStorage is not usable before, and on Linux not before the first window
 * or ready event has selected a keyring.
 */
export function electronKeyWrapper(dataDir: string, warn: (message: string) => void): KeyWrapper {
  return desktopKeyWrapper({
    storage: safeStorage,
    platform: process.platform,
    fallback: () => headlessKeyWrapper(dataDir),
    warn,
  });
}

/** The master key of a shared (PostgreSQL) store, the app's copy sealed by safeStorage (shell/shared-store-key.ts). */
export function electronSharedStoreKeyWrapper(dataDir: string, store: string, log: (message: string) => void): KeyWrapper {
  return sharedStoreKeyWrapper({ dataDir, storage: safeStorage, store, log });
}
