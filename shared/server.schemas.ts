import { z } from 'zod';
import { renderCredentialFileInput, renderKeyCredentialFileInput } from './credential-files.schemas.js';
import { PROVIDERS } from './domain.js';
import { message as m } from './messages.js';
import { tokenServerSettingsPatch } from './token-server.schemas.js';

/**
 * Inputs of the Token server page's channels (shared/contract-server.ts). Each builds on the schema the
 * CLI parses the same operation with, so the page and the CLI agree on every message.
 */

/**
 * What the page (and `keyrack server settings set`) may change: every token server setting that
 * docs/token-server.md lists. At least one field, so an empty save is a clear error rather than a silent restart.
 */
export const serverSettingsInput = tokenServerSettingsPatch
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: m('changeOne'), path: ['input'] });
export type ServerSettingsInput = z.input<typeof serverSettingsInput>;

/**
 * Import a provider's file: main opens the file dialog, so the page names only whose file it is (omitted:
 * recognised from the file's format). The renderer never passes a path.
 */
export const rangesImportChoiceInput = z.strictObject({
  provider: z.enum(PROVIDERS, { error: m('providerChoice', { providers: PROVIDERS.join(', ') }) }).optional(),
});
export type RangesImportChoiceInput = z.input<typeof rangesImportChoiceInput>;

/** An API user's credential file, saved where the admin chooses in main's save dialog. */
export const credentialExportInput = renderCredentialFileInput;
export type CredentialExportInput = z.input<typeof credentialExportInput>;

/**
 * The same export in key mode (`keyrack credentials export --key`): a new key pair, the public key registered
 * as a client key, the private key only in the saved file. No secret: the file authenticates with private_key_jwt.
 */
export const credentialExportKeyInput = renderKeyCredentialFileInput;
export type CredentialExportKeyInput = z.input<typeof credentialExportKeyInput>;
