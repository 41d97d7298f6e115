import { createCipheriv, createDecipheriv, randomBytes, scrypt, type ScryptOptions } from 'node:crypto';

/**
 * Passphrase encryption for exported credential files (format in docs/credential-files.md):
 *
 *   { "type": "keyrack_encrypted", "version": 1, "content": "json" | "env",
 *     "kdf": "scrypt", "N": 131072, "r": 8, "p": 1, "salt": b64u(16 bytes),
 *     "cipher": "aes-256-gcm", "iv": b64u(12 bytes), "tag": b64u(16 bytes), "ciphertext": b64u }
 *
 * key = scrypt(NFC(passphrase) as UTF-8, salt, N, r, p, 32 bytes) (RFC 7914). The header (every field but
 * iv, tag and ciphertext) is authenticated as GCM additional data, so changing the parameters or the content
 * kind is detected like changing the ciphertext.
 */

export const ENVELOPE_TYPE = 'keyrack_encrypted';
export const ENVELOPE_VERSION = 1;
export type EnvelopeContent = 'json' | 'env';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/**
 * N = 2^17, r = 8: 128 MiB and roughly half a second per try on an office PC, the cost OWASP's password
 * storage guidance names for scrypt at rest; a file that leaks is then slow to guess offline.
 */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };

/**
 * What an envelope may ask of the reader. The upper bounds stop a crafted file from making `open` allocate
 * gigabytes; the lower bounds refuse files made with parameters too weak to protect anything.
 */
const LIMITS = { minN: 2 ** 14, maxN: 2 ** 20, maxR: 16, maxP: 4, maxCiphertext: 1_000_000 };
const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

interface EnvelopeHeader extends ScryptParams {
  type: typeof ENVELOPE_TYPE;
  version: typeof ENVELOPE_VERSION;
  content: EnvelopeContent;
  kdf: 'scrypt';
  salt: string;
  cipher: 'aes-256-gcm';
}

export interface Envelope extends EnvelopeHeader {
  iv: string;
  tag: string;
  ciphertext: string;
}

/** The file is not a Keyrack envelope, or one this version cannot read. Nothing about the passphrase. */
export class EnvelopeFormatError extends Error {
  override name = 'EnvelopeFormatError';
}

/** Authentication failed: the passphrase is wrong or the file was changed. GCM cannot tell which. */
export class EnvelopeDecryptError extends Error {
  override name = 'EnvelopeDecryptError';
  constructor() {
    super('The passphrase is wrong, or the file was changed after it was encrypted.');
  }
}

export async function encryptWithPassphrase(
  plaintext: string,
  passphrase: string,
  content: EnvelopeContent,
  params: ScryptParams = DEFAULT_SCRYPT,
): Promise<string> {
  checkParams(params);
  const header: EnvelopeHeader = {
    type: ENVELOPE_TYPE,
    version: ENVELOPE_VERSION,
    content,
    kdf: 'scrypt',
    N: params.N,
    r: params.r,
    p: params.p,
    salt: randomBytes(SALT_BYTES).toString('base64url'),
    cipher: 'aes-256-gcm',
  };
  const key = await deriveKey(passphrase, header);
  try {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(additionalData(header));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const envelope: Envelope = {
      ...header,
      iv: iv.toString('base64url'),
      tag: cipher.getAuthTag().toString('base64url'),
      ciphertext: ciphertext.toString('base64url'),
    };
    return `${JSON.stringify(envelope, null, 2)}\n`;
  } finally {
    key.fill(0);
  }
}

/** True when `text` is JSON that claims to be an envelope (whether or not it is a valid one). */
export function looksLikeEnvelope(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === ENVELOPE_TYPE;
  } catch {
    return false;
  }
}

export async function decryptWithPassphrase(text: string, passphrase: string): Promise<{ content: EnvelopeContent; plaintext: string }> {
  const envelope = parseEnvelope(text);
  const key = await deriveKey(passphrase, envelope);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.iv, 'base64url'));
    decipher.setAAD(additionalData(envelope));
    decipher.setAuthTag(Buffer.from(envelope.tag, 'base64url'));
    const plain = Buffer.concat([decipher.update(Buffer.from(envelope.ciphertext, 'base64url')), decipher.final()]);
    return { content: envelope.content, plaintext: plain.toString('utf8') };
  } catch {
    throw new EnvelopeDecryptError();
  } finally {
    key.fill(0);
  }
}

function parseEnvelope(text: string): Envelope {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new EnvelopeFormatError('This is not an encrypted Keyrack credential file (it is not JSON).');
  }
  const e = value as Partial<Record<keyof Envelope, unknown>>;
  if (typeof value !== 'object' || value === null || e.type !== ENVELOPE_TYPE) {
    throw new EnvelopeFormatError('This is not an encrypted Keyrack credential file.');
  }
  if (e.version !== ENVELOPE_VERSION) {
    throw new EnvelopeFormatError(`This encrypted file has version ${String(e.version)}; this Keyrack reads version ${ENVELOPE_VERSION}.`);
  }
  if (e.kdf !== 'scrypt' || e.cipher !== 'aes-256-gcm' || (e.content !== 'json' && e.content !== 'env')) {
    throw new EnvelopeFormatError('This encrypted file uses a key derivation, cipher or content kind Keyrack does not know.');
  }
  if (![e.N, e.r, e.p].every((n) => Number.isSafeInteger(n))) {
    throw new EnvelopeFormatError('The scrypt parameters of this file are not whole numbers.');
  }
  checkParams({ N: e.N as number, r: e.r as number, p: e.p as number });
  const bytes = (field: 'salt' | 'iv' | 'tag' | 'ciphertext', expected?: number) => {
    const raw = e[field];
    if (typeof raw !== 'string' || !/^[A-Za-z0-9_-]*$/.test(raw)) {
      throw new EnvelopeFormatError(`The ${field} of this file is not base64url.`);
    }
    const length = Buffer.from(raw, 'base64url').length;
    if (expected !== undefined && length !== expected) throw new EnvelopeFormatError(`The ${field} of this file has the wrong length.`);
    if (length > LIMITS.maxCiphertext) throw new EnvelopeFormatError('This encrypted file is too large to be a credential file.');
  };
  bytes('salt', SALT_BYTES);
  bytes('iv', IV_BYTES);
  bytes('tag', TAG_BYTES);
  bytes('ciphertext');
  return e as Envelope;
}

function checkParams({ N, r, p }: ScryptParams): void {
  const powerOfTwo = N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || N < LIMITS.minN || N > LIMITS.maxN || r < 1 || r > LIMITS.maxR || p < 1 || p > LIMITS.maxP) {
    throw new EnvelopeFormatError(
      `scrypt parameters N=${N}, r=${r}, p=${p} are outside what Keyrack accepts (N a power of two from 2^14 to 2^20, r ≤ 16, p ≤ 4).`,
    );
  }
}

/** The authenticated header, in a fixed field order so writer and reader build the same bytes. */
function additionalData(h: EnvelopeHeader): Buffer {
  return Buffer.from(
    JSON.stringify([h.type, h.version, h.content, h.kdf, h.N, h.r, h.p, h.salt, h.cipher]),
    'utf8',
  );
}

function deriveKey(passphrase: string, h: ScryptParams & { salt: string }): Promise<Buffer> {
  const options: ScryptOptions = { N: h.N, r: h.r, p: h.p, maxmem: 256 * h.N * h.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    // Async scrypt runs on libuv's thread pool, so the Electron main process stays responsive meanwhile.
    scrypt(Buffer.from(passphrase.normalize('NFC'), 'utf8'), Buffer.from(h.salt, 'base64url'), KEY_BYTES, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}
