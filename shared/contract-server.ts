import { takes } from './channel-spec.js';
import type { RangeInfo, RangeUpdateReport } from './ranges.dto.js';
import { rangesUpdateInput } from './ranges.schemas.js';
import type * as D from './server.dto.js';
import * as S from './server.schemas.js';
import { emptyInput } from './schemas.js';
import type { SigningKeyInfo } from './token-server.dto.js';
import { rotateSigningKeyInput } from './token-server.schemas.js';

/**
 * The token server's channels (status, settings, keys, TLS, provider ranges, credential files).
 * Files go through main's dialogs (electron/shell/save-file.ts, open-file.ts): no input names a path.
 */
export const serverChannels = {
  'server.status': takes(emptyInput).returns<D.ServerPageStatus>(),
  'server.start': takes(emptyInput).returns<D.ServerPageStatus>(),
  'server.stop': takes(emptyInput).returns<D.ServerPageStatus>(),
  /** Saves the settings, then restarts the server if it runs (the status says if the restart failed). */
  'server.updateSettings': takes(S.serverSettingsInput).returns<D.ServerPageStatus>(),
  /** A new signing key; the previous one stays in the JWKS until every token it signed has expired. */
  'server.rotateKey': takes(rotateSigningKeyInput).returns<SigningKeyInfo>(),
  'server.saveCaCertificate': takes(emptyInput).returns<D.CaCertificateSaved>(),

  'ranges.status': takes(emptyInput).returns<RangeInfo[]>(),
  /** Downloads the providers' official files; poll ranges.progress meanwhile. */
  'ranges.update': takes(rangesUpdateInput).returns<RangeUpdateReport>(),
  'ranges.progress': takes(emptyInput).returns<D.RangesUpdateProgress>(),
  'ranges.import': takes(S.rangesImportChoiceInput).returns<D.RangesImported>(),

  'credentials.export': takes(S.credentialExportInput).returns<D.CredentialFileSaved>(),
  /** Key mode: a new key pair, its public key registered, its private key only in the file saved. */
  'credentials.exportKey': takes(S.credentialExportKeyInput).returns<D.CredentialFileSaved>(),
  /** The issuer and token endpoint an export would write now, and whether only this computer reaches them. */
  'credentials.destination': takes(emptyInput).returns<D.CredentialFileDestination>(),
} as const;
