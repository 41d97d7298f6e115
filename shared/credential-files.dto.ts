import type { ClientKeyAlg } from './domain.js';

/** Exported credential files: what the core hands the UI and the CLI. Format: docs/credential-files.md. */

export const CREDENTIAL_FILE_TYPE = 'keyrack_api_user';
export const CREDENTIAL_FILE_VERSION = 1;

export type CredentialFileFormat = 'json' | 'env';

/** A private JWK as a key file holds it: kty and its members (d among them), kid, alg and use. */
export interface PrivateJwk {
  kty: string;
  d: string;
  kid: string;
  alg: ClientKeyAlg;
  use: 'sig';
  [member: string]: unknown;
}

/**
 * The JSON credential file as written. Field names are snake_case because this is a file format read by
 * integrators' code and tools (like OAuth metadata), not an object of Keyrack's own API.
 */
export interface CredentialFileDocument {
  type: typeof CREDENTIAL_FILE_TYPE;
  version: typeof CREDENTIAL_FILE_VERSION;
  /** The API user's name. */
  name: string;
  client_id: string;
  /** Only in a file exported when the secret was created or rotated; Keyrack cannot show it later. */
  client_secret?: string;
  /** Present when neither client_secret nor private_jwk is: says why and what to do. */
  note?: string;
  /** Key files only (`credentials export --key`): how the client authenticates, RFC 7523 §2.2. */
  token_endpoint_auth_method?: 'private_key_jwt';
  /** Key files only: the registered public key's id (its RFC 7638 thumbprint); the assertion's `kid` header. */
  kid?: string;
  /** Key files only: the algorithm the key signs with (ES256, EdDSA or RS256). */
  alg?: ClientKeyAlg;
  /**
   * Key files only: the private key as a JWK (with kid, alg, use "sig"); Keyrack keeps only its public half.
   * In the .env rendering it is KEYRACK_PRIVATE_KEY, a PKCS#8 PEM.
   */
  private_jwk?: PrivateJwk;
  issuer: string;
  token_endpoint: string;
  /** Every scope the API user holds now (`resource:action`); a token request may ask for fewer. */
  scopes: string[];
  /** Addresses the API user may send mail as. */
  mailboxes: string[];
  /** PEM of Keyrack's own CA, when the token server uses it; absent with an admin-installed certificate. */
  ca_certificate?: string;
  /** When this file was exported (ISO 8601, UTC). */
  created_at: string;
  /** When these credentials stop working: the secret's or the account's expiry, whichever is first; null: no expiry. */
  expires_at: string | null;
}

/** A credential file ready to save: the content, and what the save dialog needs. */
export interface RenderedCredentialFile {
  /** Suggested file name, e.g. `keyrack-crm-sync.json` (`.encrypted` appended when encrypted). */
  fileName: string;
  /** The whole file. Holds a client secret when `containsSecret`: handle it like the secret itself. */
  content: string;
  format: CredentialFileFormat;
  encrypted: boolean;
  containsSecret: boolean;
  /** A key file (`credentials export --key`): holds a private key, handle it like a secret. */
  containsPrivateKey?: boolean;
  mediaType: string;
}

export interface WrittenCredentialFile extends Omit<RenderedCredentialFile, 'content'> {
  /** Absolute path the file was written to (mode 0600). */
  path: string;
}
