import type { CredentialFileFormat } from './credential-files.dto.js';
import type { Provider } from './domain.js';
import type { RangeInfo } from './ranges.dto.js';
import type { TokenServerStatus } from './token-server.dto.js';

/** What the Token server page's channels hand out (shared/contract-server.ts). */

/** Keyrack's certificate authority (or the top of an installed chain), for integrators to trust. */
export interface CaCertificateInfo {
  /** SHA-256 of the certificate, uppercase hex pairs joined by ':' (as browsers show it). */
  fingerprint: string;
  source: 'generated' | 'installed';
  subject: string;
  /** Epoch ms. */
  notAfter: number;
}

export interface ServerPageStatus extends TokenServerStatus {
  /** The CA on disk, whether or not the running server speaks TLS; null before one was ever created. */
  ca: CaCertificateInfo | null;
  /** Where the signing keys' private halves are wrapped (the OS keychain, or a key file). */
  keyProtection: string;
}

/** Where an export went; nothing was written when the admin cancelled the save dialog. */
export type SavedFile = { saved: true; path: string } | { saved: false };

export type CaCertificateSaved = SavedFile & { fingerprint: string };

export type CredentialFileSaved =
  | { saved: false }
  | {
      saved: true;
      path: string;
      fileName: string;
      format: CredentialFileFormat;
      encrypted: boolean;
      /** False for a re-export: the file holds no secret (Keyrack shows a secret only when it is made). */
      containsSecret: boolean;
      /** Key mode (credentials.exportKey): the registered public key's id; its private key is only in the file. */
      kid?: string;
    };

/**
 * Where a credential file exported now would send integrators (electron/credentials/endpoints.ts), asked by
 * the export dialog before anything is saved. `known: false`: no issuer is set and no server runs on the data
 * folder, so an export is refused until one of them changes.
 */
export type CredentialFileDestination =
  | {
      known: true;
      issuer: string;
      tokenEndpoint: string;
      /** The issuer is a loopback address or a localhost name: no other machine reaches it. */
      thisComputerOnly: boolean;
      /** The LAN access setting, so the dialog can say which of the two fixes applies. */
      lanAccess: boolean;
    }
  | { known: false; lanAccess: boolean };

export type RangesImported = { imported: false } | { imported: true; info: RangeInfo };

/** The progress of a provider-range download started by `ranges.update`, for the page to poll. */
export interface RangesUpdateProgress {
  /** True while a download runs. */
  running: boolean;
  providers: Array<{ provider: Provider; phase: 'waiting' | 'downloading' | 'done' | 'failed'; error: string | null }>;
  /** Epoch ms of the start of the latest download; null before any. */
  startedAt: number | null;
}
