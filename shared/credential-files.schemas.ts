import { z } from 'zod';
import { message as m } from './messages.js';
import { CLIENT_KEY_ALGS } from './domain.js';
import { id } from './schemas.js';

/** Inputs of the credential file export (CredentialFilesService); the UI's export dialog validates with these. */

export const credentialFileFormat = z.enum(['json', 'env'], { error: m('fileFormat') });

/** What a client secret looks like: 256 random bits in base64url (electron/crypto/secrets.ts). */
export const clientSecretText = z
  .string({ error: m('mustBeText', { label: 'Secret' }) })
  .regex(/^[A-Za-z0-9_-]{43}$/, m('notASecret'));

/** Protects a file at rest that may travel by mail or USB stick: long enough to resist offline guessing. */
export const exportPassphrase = z
  .string({ error: m('mustBeText', { label: 'Passphrase' }) })
  .min(12, m('tooShort', { label: 'Passphrase', min: 12 }))
  .max(1024, m('tooLong', { label: 'Passphrase', max: 1024 }));

export const renderCredentialFileInput = z.strictObject({
  userId: id,
  /** The secret just shown at creation or rotation; without it the file says it holds no secret. */
  secret: clientSecretText.optional(),
  format: credentialFileFormat.default('json'),
  passphrase: exportPassphrase.optional(),
});

export const writeCredentialFileInput = renderCredentialFileInput.extend({
  path: z
    .string({ error: m('mustBeText', { label: 'Path' }) })
    .min(1, m('required', { label: 'Path' }))
    .max(4096, m('pathTooLong', { label: 'Path' }))
    .refine((p) => !p.includes('\u0000'), m('pathNul', { label: 'Path' })),
  /** Replace an existing file at `path`; off by default so an export never silently overwrites one. */
  overwrite: z.boolean().default(false),
});

/**
 * `credentials export --key`: a new key pair whose private half goes only into the file; no secret option
 * (a key file authenticates with private_key_jwt, never with a secret).
 */
const keyAlg = z.enum(CLIENT_KEY_ALGS, { error: `Choose one of ${CLIENT_KEY_ALGS.join(', ')}` }).default('ES256');
export const writeKeyCredentialFileInput = writeCredentialFileInput.omit({ secret: true }).extend({ alg: keyAlg });

/** The same key file saved through main's save dialog (the app's export dialog in key mode): no path. */
export const renderKeyCredentialFileInput = renderCredentialFileInput.omit({ secret: true }).extend({ alg: keyAlg });

export type RenderCredentialFileInput = z.input<typeof renderCredentialFileInput>;
export type RenderKeyCredentialFileInput = z.input<typeof renderKeyCredentialFileInput>;
export type WriteCredentialFileInput = z.input<typeof writeCredentialFileInput>;
