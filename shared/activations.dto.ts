/**
 * Activations (issue 11, part 1): an administrator decides once what a service may have (the template of
 * the API user it creates), and the service registers itself at the token server's RFC 7591 endpoint with
 * the activation code. Times are epoch milliseconds; absent values are null, never undefined.
 */

/** active: codes are accepted; the other three refuse every registration (401 invalid_token). */
export const ACTIVATION_STATUSES = ['active', 'expired', 'used_up', 'revoked'] as const;
export type ActivationStatus = (typeof ACTIVATION_STATUSES)[number];

/**
 * A registration's life: pending (waiting for an administrator, token requests refused), active,
 * refused (an administrator said no: the API user is disabled), deregistered (the service said goodbye
 * through RFC 7592 DELETE, or an administrator's refusal after approval: the API user is disabled).
 */
export const REGISTRATION_STATES = ['pending', 'active', 'refused', 'deregistered'] as const;
export type RegistrationState = (typeof REGISTRATION_STATES)[number];

/** How a registered client proves who it is at the token endpoint (RFC 7591 §2 token_endpoint_auth_method). */
export const REGISTRATION_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'] as const;
export type RegistrationAuthMethod = (typeof REGISTRATION_AUTH_METHODS)[number];

/** What every API user an activation creates gets: the same fields as users.createApiUser, plus the token lifetime. */
export interface ActivationTemplate {
  groups: { id: number; name: string }[];
  mailboxes: { id: number; address: string }[];
  /** Allowlist entries, canonical (shared/allowlist.ts); empty: any address. */
  allowlist: string[];
  /** When each created API user expires; null: never. */
  userExpiresAt: number | null;
  /** Lifetime of its access tokens in seconds; null: the server's default. */
  tokenLifetimeSeconds: number | null;
  /**
   * The most a registration may ask for: the scopes (`resource:action`) and record filters the groups give
   * (shared/rights.ts combineRights), now. A registration's `scope` must be a subset of `scopes`.
   */
  scopes: string[];
  filters: Record<string, string[]>;
}

export interface ActivationInfo {
  id: number;
  name: string;
  status: ActivationStatus;
  template: ActivationTemplate;
  maxRegistrations: number;
  /** Registrations made with the code (a refused or deregistered one still counts: the code was used). */
  registrationsUsed: number;
  requiresApproval: boolean;
  expiresAt: number;
  createdAt: number;
  createdBy: string;
  revokedAt: number | null;
  revokedBy: string | null;
}

/** What a vendor needs to register: where, and with which code. */
export interface ActivationSnippet {
  /** `<issuer>/oauth2/register`; null when Keyrack does not know the address integrators reach it at. */
  registrationUrl: string | null;
  /** A ready-made curl command (null with registrationUrl). */
  curl: string | null;
  /**
   * The same as a file the vendor's set-up reads, like an exported credential file (docs/credential-files.md):
   * JSON `{ registration_endpoint, initial_access_token, expires_at }`…
   */
  json: string | null;
  /** …or a `.env` (KEYRACK_REGISTRATION_ENDPOINT, KEYRACK_ACTIVATION_CODE, KEYRACK_ACTIVATION_EXPIRES_AT). */
  env: string | null;
  /** Why registrationUrl is null: set the issuer or start the server (the code itself still works). */
  problem: string | null;
}

/** A new activation, with its code in plain text exactly once. */
export interface ActivationCreated {
  activation: ActivationInfo;
  /** The RFC 7591 initial access token (256-bit, base64url): shown once, stored only as a hash. */
  code: string;
  snippet: ActivationSnippet;
}

/** One client registered through an activation (RFC 7591), as the app shows it. */
export interface RegistrationInfo {
  id: number;
  activationId: number;
  activationName: string;
  /** null: the API user was deleted since. */
  userId: number | null;
  userName: string | null;
  clientId: string;
  /** `client_name` as the service sent it. */
  clientName: string;
  state: RegistrationState;
  authMethod: RegistrationAuthMethod;
  /** The scopes the registration asked for; null: everything the template gives. */
  scope: string[] | null;
  contacts: string[];
  softwareId: string | null;
  softwareVersion: string | null;
  /** The address the registration came from. */
  sourceIp: string | null;
  registeredAt: number;
  updatedAt: number;
  /** When and by whom it was approved or refused; null while pending, or when no approval was needed. */
  decidedAt: number | null;
  decidedBy: string | null;
}
