import { spec } from './channel-spec.js';
import type { RangeInfo, RangeUpdateReport } from './ranges.dto.js';
import { rangesUpdateInput } from './ranges.schemas.js';
import type * as D from './server.dto.js';
import * as S from './server.schemas.js';
import { emptyInput } from './schemas.js';
import type { SigningKeyInfo } from './token-server.dto.js';
import { rotateSigningKeyInput } from './token-server.schemas.js';

/**
 * The token server's channels (status, settings, keys, TLS, provider ranges, credential files). Adding one:
 * its name in channels-server.ts, its handler in electron/ipc/handlers-server.ts, then the channel snapshot.
 * Files go through main's dialogs (electron/shell/save-file.ts, open-file.ts): no input names a path.
 */
export const serverChannels = {
  'server.status': spec<typeof emptyInput, D.ServerPageStatus>(emptyInput),
  'server.start': spec<typeof emptyInput, D.ServerPageStatus>(emptyInput),
  'server.stop': spec<typeof emptyInput, D.ServerPageStatus>(emptyInput),
  /** Saves the settings, then restarts the server if it runs (the status says if the restart failed). */
  'server.updateSettings': spec<typeof S.serverSettingsInput, D.ServerPageStatus>(S.serverSettingsInput),
  /** A new signing key; the previous one stays in the JWKS until every token it signed has expired. */
  'server.rotateKey': spec<typeof rotateSigningKeyInput, SigningKeyInfo>(rotateSigningKeyInput),
  'server.saveCaCertificate': spec<typeof emptyInput, D.CaCertificateSaved>(emptyInput),

  'ranges.status': spec<typeof emptyInput, RangeInfo[]>(emptyInput),
  /** Downloads the providers' official files; poll ranges.progress meanwhile. */
  'ranges.update': spec<typeof rangesUpdateInput, RangeUpdateReport>(rangesUpdateInput),
  'ranges.progress': spec<typeof emptyInput, D.RangesUpdateProgress>(emptyInput),
  'ranges.import': spec<typeof S.rangesImportChoiceInput, D.RangesImported>(S.rangesImportChoiceInput),

  'credentials.export': spec<typeof S.credentialExportInput, D.CredentialFileSaved>(S.credentialExportInput),
} as const;
