import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SafeStorageLike } from '../../../electron/shell/safe-storage-key-wrapper.js';

/** A stand-in for Electron's safeStorage: real encryption under a key only this "keychain" holds. */
export function fakeKeychain(options: { available?: boolean; backend?: string } = {}): SafeStorageLike & { calls: number } {
  const key = randomBytes(32);
  const keychain = {
    calls: 0,
    isEncryptionAvailable: () => options.available ?? true,
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    encryptString(plain: string) {
      keychain.calls++;
      const iv = randomBytes(16);
      const cipher = createCipheriv('aes-256-cbc', key, iv);
      return Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]);
    },
    decryptString(data: Buffer) {
      const decipher = createDecipheriv('aes-256-cbc', key, data.subarray(0, 16));
      return Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]).toString('utf8');
    },
  };
  return keychain;
}
