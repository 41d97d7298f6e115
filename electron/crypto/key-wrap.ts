import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Encrypts reversible secrets (private signing keys, the TLS CA key) before they reach the disk.
 * The desktop app wraps with Electron safeStorage (the OS keychain); headless Keyrack uses a master key
 * from KEYRACK_MASTER_KEY or from a key file only its owner can read.
 */
export interface KeyWrapper {
  /** Shown to admins and written to the log: where the wrapping key lives. */
  readonly description: string;
  wrap(plain: Buffer): Buffer;
  unwrap(wrapped: Buffer): Buffer;
}

export const MASTER_KEY_FILE = 'master.key';
export const MASTER_KEY_ENV = 'KEYRACK_MASTER_KEY';

/** The master key file or variable is missing, malformed, or readable by others. */
export class MasterKeyError extends Error {
  override name = 'MasterKeyError';
}

const FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM under a 32-byte key: version | iv | tag | ciphertext. Tampering fails authentication. */
export function aesGcmKeyWrapper(key: Buffer, description: string): KeyWrapper {
  if (key.length !== 32) throw new MasterKeyError('a master key is 32 bytes');
  return {
    description,
    wrap(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([Buffer.from([FORMAT_VERSION]), iv, cipher.getAuthTag(), body]);
    },
    unwrap(wrapped) {
      if (wrapped.length < 1 + IV_BYTES + TAG_BYTES || wrapped[0] !== FORMAT_VERSION) {
        throw new MasterKeyError('this key was not wrapped by Keyrack\'s master key format');
      }
      const iv = wrapped.subarray(1, 1 + IV_BYTES);
      const tag = wrapped.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(wrapped.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
      } catch {
        throw new MasterKeyError('a stored key does not decrypt with this master key (wrong key, or the data was altered)');
      }
    },
  };
}

/**
 * Headless mode: `KEYRACK_MASTER_KEY` (base64url, 32 bytes) if set, else `<dataDir>/master.key`, created
 * on first use with mode 0600. A key file that group or others can read is refused, like ssh does.
 */
export function headlessKeyWrapper(dataDir: string, env: NodeJS.ProcessEnv = process.env): KeyWrapper {
  const fromEnv = env[MASTER_KEY_ENV];
  if (fromEnv) {
    const key = Buffer.from(fromEnv.trim(), 'base64url');
    if (key.length !== 32) throw new MasterKeyError(`${MASTER_KEY_ENV} must be 32 bytes, base64url-encoded`);
    return aesGcmKeyWrapper(key, `master key from ${MASTER_KEY_ENV}`);
  }
  const file = join(dataDir, MASTER_KEY_FILE);
  if (!existsSync(file)) createKeyFile(file);
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
    throw new MasterKeyError(`${file} is readable by other users; run: chmod 600 ${file}`);
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
  if (key.length !== 32) throw new MasterKeyError(`${file} does not hold a 32-byte base64url key`);
  return aesGcmKeyWrapper(key, `master key file ${file}`);
}

/**
 * The data folder's master.key alone, whatever KEYRACK_MASTER_KEY says; undefined when there is none (never
 * created here). `keyrack store copy` re-wraps keys it wrapped for nodes given another key in the variable.
 */
export function keyFileWrapper(dataDir: string): KeyWrapper | undefined {
  return existsSync(join(dataDir, MASTER_KEY_FILE)) ? headlessKeyWrapper(dataDir, {}) : undefined;
}

/** A new 256-bit master key as the key file and KEYRACK_MASTER_KEY hold it: base64url, one line. */
export function newMasterKeyText(): string {
  return `${randomBytes(32).toString('base64url')}\n`;
}

/**
 * Writes `text` (newMasterKeyText) to a new owner-only file, the form headlessKeyWrapper reads; refuses an
 * existing file (replacing a key makes every key wrapped with it unreadable). `keyrack store master-key`
 * uses it too.
 */
export function createKeyFile(file: string, text = newMasterKeyText()): void {
  // 'wx': fail rather than overwrite if another process created it a moment ago.
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  chmodSync(file, 0o600);
}
