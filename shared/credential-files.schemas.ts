import { z } from 'zod';
import { id } from './schemas.js';

/** Inputs of the credential file export (CredentialFilesService); the UI's export dialog validates with these. */

export const credentialFileFormat = z.enum(['json', 'env'], { error: 'Format is json or env' });

/** What a client secret looks like: 256 random bits in base64url (electron/crypto/secrets.ts). */
export const clientSecretText = z
  .string({ error: 'Secret must be text' })
  .regex(/^[A-Za-z0-9_-]{43}$/, 'This is not a Keyrack client secret (43 characters, letters, digits, - and _)');

/** Protects a file at rest that may travel by mail or USB stick: long enough to resist offline guessing. */
export const exportPassphrase = z
  .string({ error: 'Passphrase must be text' })
  .min(12, 'Passphrase must be at least 12 characters')
  .max(1024, 'Passphrase can be at most 1024 characters');

export const renderCredentialFileInput = z.strictObject({
  userId: id,
  /** The secret just shown at creation or rotation; without it the file says it holds no secret. */
  secret: clientSecretText.optional(),
  format: credentialFileFormat.default('json'),
  passphrase: exportPassphrase.optional(),
});

export const writeCredentialFileInput = renderCredentialFileInput.extend({
  path: z
    .string({ error: 'Path must be text' })
    .min(1, 'Path is required')
    .max(4096, 'Path is too long')
    .refine((p) => !p.includes('\u0000'), 'Path cannot contain NUL'),
  /** Replace an existing file at `path`; off by default so an export never silently overwrites one. */
  overwrite: z.boolean().default(false),
});

export type RenderCredentialFileInput = z.input<typeof renderCredentialFileInput>;
export type WriteCredentialFileInput = z.input<typeof writeCredentialFileInput>;
