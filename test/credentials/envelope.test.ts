import { describe, expect, test } from 'vitest';
import {
  DEFAULT_SCRYPT,
  decryptWithPassphrase,
  encryptWithPassphrase,
  EnvelopeDecryptError,
  EnvelopeFormatError,
  looksLikeEnvelope,
} from '../../electron/credentials/passphrase-envelope.js';

const PLAIN = '{"type":"keyrack_api_user","client_secret":"q2Zb4H0-Xn5m_Jd0E2kWb7xXvB1pPq9d8sYzLr3TtUo"}\n';
const PASS = 'correct horse battery staple';
/** The minimum the reader accepts, so these tests stay quick; the default is tested once below. */
const QUICK = { N: 2 ** 14, r: 8, p: 1 };

type Fields = Record<string, unknown>;
const edit = (text: string, change: (e: Fields) => void) => {
  const e = JSON.parse(text) as Fields;
  change(e);
  return JSON.stringify(e);
};
/** Flips one bit in a base64url field. */
const flip = (b64: string) => {
  const bytes = Buffer.from(b64, 'base64url');
  bytes[0] = bytes[0]! ^ 1;
  return bytes.toString('base64url');
};

describe('passphrase envelope', () => {
  test('the default parameters are scrypt N=2^17, r=8, p=1, and they round trip', async () => {
    expect(DEFAULT_SCRYPT).toEqual({ N: 131072, r: 8, p: 1 });
    const sealed = await encryptWithPassphrase(PLAIN, PASS, 'json');
    const envelope = JSON.parse(sealed) as Fields;
    expect(envelope).toMatchObject({ type: 'keyrack_encrypted', version: 1, content: 'json', kdf: 'scrypt', N: 131072, r: 8, p: 1, cipher: 'aes-256-gcm' });
    expect(Buffer.from(envelope.salt as string, 'base64url')).toHaveLength(16);
    expect(Buffer.from(envelope.iv as string, 'base64url')).toHaveLength(12);
    expect(Buffer.from(envelope.tag as string, 'base64url')).toHaveLength(16);
    expect(sealed).not.toContain('q2Zb4H0');
    expect(sealed).not.toContain('keyrack_api_user');
    expect(looksLikeEnvelope(sealed)).toBe(true);
    expect(await decryptWithPassphrase(sealed, PASS)).toEqual({ content: 'json', plaintext: PLAIN });
  });

  test('the same plaintext and passphrase never give the same file (fresh salt and iv)', async () => {
    const a = JSON.parse(await encryptWithPassphrase(PLAIN, PASS, 'env', QUICK)) as Fields;
    const b = JSON.parse(await encryptWithPassphrase(PLAIN, PASS, 'env', QUICK)) as Fields;
    expect(a.salt).not.toBe(b.salt);
    expect(a.iv).not.toBe(b.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  test('a passphrase typed in another Unicode normalization opens the file', async () => {
    const sealed = await encryptWithPassphrase(PLAIN, 'Kennwort für Büro 2026', 'json', QUICK);
    const decomposed = 'Kennwort für Büro 2026'.normalize('NFD');
    expect(decomposed).not.toBe('Kennwort für Büro 2026');
    expect((await decryptWithPassphrase(sealed, decomposed)).plaintext).toBe(PLAIN);
  });

  test('a wrong passphrase is refused with a message that reveals nothing', async () => {
    const sealed = await encryptWithPassphrase(PLAIN, PASS, 'json', QUICK);
    const error = await decryptWithPassphrase(sealed, 'wrong horse battery staple').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvelopeDecryptError);
    expect((error as Error).message).toBe('The passphrase is wrong, or the file was changed after it was encrypted.');
  });

  test.each<[string, (e: Fields) => void]>([
    ['ciphertext', (e) => void (e.ciphertext = flip(e.ciphertext as string))],
    ['tag', (e) => void (e.tag = flip(e.tag as string))],
    ['iv', (e) => void (e.iv = flip(e.iv as string))],
    ['salt', (e) => void (e.salt = flip(e.salt as string))],
    ['content kind (authenticated header)', (e) => void (e.content = 'env')],
    ['scrypt r (authenticated header)', (e) => void (e.r = 9)],
    ['a truncated ciphertext', (e) => void (e.ciphertext = (e.ciphertext as string).slice(0, -4))],
  ])('a changed %s is detected', async (_what, change) => {
    const sealed = await encryptWithPassphrase(PLAIN, PASS, 'json', QUICK);
    await expect(decryptWithPassphrase(edit(sealed, change), PASS)).rejects.toBeInstanceOf(EnvelopeDecryptError);
  });

  test.each<[string, (e: Fields) => void, RegExp]>([
    ['a huge N (memory exhaustion)', (e) => void (e.N = 2 ** 30), /outside what Keyrack accepts/],
    ['a weak N', (e) => void (e.N = 2 ** 10), /outside what Keyrack accepts/],
    ['an N that is not a power of two', (e) => void (e.N = 100_000), /outside what Keyrack accepts/],
    ['a fractional p', (e) => void (e.p = 1.5), /not whole numbers/],
    ['another KDF', (e) => void (e.kdf = 'pbkdf2'), /does not know/],
    ['another cipher', (e) => void (e.cipher = 'aes-128-cbc'), /does not know/],
    ['another version', (e) => void (e.version = 2), /version 2/],
    ['a short iv', (e) => void (e.iv = 'AAAA'), /iv of this file has the wrong length/],
    ['a non-base64url tag', (e) => void (e.tag = 'not base64!'), /tag of this file is not base64url/],
  ])('refuses %s before deriving any key', async (_what, change, message) => {
    const sealed = await encryptWithPassphrase(PLAIN, PASS, 'json', QUICK);
    const error = await decryptWithPassphrase(edit(sealed, change), PASS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvelopeFormatError);
    expect((error as Error).message).toMatch(message);
  });

  test('refuses to write with parameters it would refuse to read', async () => {
    await expect(encryptWithPassphrase(PLAIN, PASS, 'json', { N: 1024, r: 8, p: 1 })).rejects.toBeInstanceOf(EnvelopeFormatError);
  });

  test('text that is not an envelope is recognised as such', async () => {
    expect(looksLikeEnvelope(PLAIN)).toBe(false);
    expect(looksLikeEnvelope('KEYRACK_CLIENT_ID=x')).toBe(false);
    await expect(decryptWithPassphrase('KEYRACK_CLIENT_ID=x', PASS)).rejects.toThrow(/not JSON/);
    await expect(decryptWithPassphrase(PLAIN, PASS)).rejects.toThrow(/not an encrypted Keyrack credential file/);
  });
});
