import type { ActorKind, AppPermission, ClientKeyAlg, EventType, Outcome, UserKind, UserStatus } from './domain.js';
import type { AllowlistEntry } from './allowlist.js';
import type { SecretState } from './liveness.js';

/** What the core hands out. Times are epoch milliseconds; absent values are null, never undefined. */

export interface Session {
  userId: number;
  name: string;
  permissions: AppPermission[];
}

export interface AuthStatus {
  setupNeeded: boolean;
  session: Session | null;
}

export interface Page<T> {
  total: number;
  rows: T[];
}

export interface UserSummary {
  id: number;
  kind: UserKind;
  name: string;
  email: string | null;
  description: string;
  status: UserStatus;
  /** True when the account's own expiry has passed (status stays what the admin set). */
  expired: boolean;
  expiresAt: number | null;
  createdAt: number;
  createdBy: string;
  clientId: string | null;
  lastUsedAt: number | null;
  lastUsedIp: string | null;
  /** The soonest expiry among the user's live secrets. */
  nextSecretExpiry: number | null;
  groups: { id: number; name: string }[];
}

export interface UserDetail extends UserSummary {
  tokenLifetimeSeconds: number | null;
  mailboxes: { id: number; address: string; displayName: string }[];
  allowlist: AllowlistEntry[];
}

/** The life every credential of an API user has, a secret or a public key alike. */
export interface CredentialLife {
  id: number;
  label: string;
  createdAt: number;
  createdBy: string;
  expiresAt: number | null;
  lastUsedAt: number | null;
  lastUsedIp: string | null;
  revokedAt: number | null;
  /** live = usable now; expired = past its expiry (including a rotation's grace); revoked (shared/liveness.ts). */
  state: SecretState;
}

export type SecretInfo = CredentialLife;

/** A public key an API user signs its client assertions with (private_key_jwt); never a private one. */
export interface ClientKeyInfo extends CredentialLife {
  kid: string;
  alg: ClientKeyAlg;
  /** The public JWK as stored (kty, crv or n/e, x/y, kid, alg, use). */
  publicJwk: Record<string, unknown>;
}

/** A new secret, in plain text exactly once. */
export interface NewSecret {
  clientId: string;
  secret: string;
  info: SecretInfo;
}

export interface ApiUserCreated {
  user: UserDetail;
  clientId: string;
  secret: string;
  secretInfo: SecretInfo;
}

export interface EffectiveRights {
  /** `resource:action`, sorted: the scopes a token for this user may carry. */
  scopes: string[];
  /** Record filters per resource, as they appear in a token's `filters` claim. */
  filters: Record<string, string[]>;
  mailboxes: string[];
}

export interface GroupSummary {
  id: number;
  name: string;
  description: string;
  builtin: boolean;
  memberCount: number;
}

export interface GroupDetail extends GroupSummary {
  appPermissions: AppPermission[];
  rights: { resource: string; action: string }[];
  filters: { id: number; resource: string; name: string }[];
  members: { id: number; name: string; kind: UserKind; status: UserStatus }[];
}

export interface ResourceInfo {
  id: number;
  name: string;
  description: string;
  builtin: boolean;
  actions: string[];
  filters: { id: number; name: string; description: string }[];
}

export interface MailboxInfo {
  id: number;
  address: string;
  displayName: string;
  createdAt: number;
  users: { id: number; name: string }[];
}

export interface AuditEvent {
  id: number;
  at: number;
  actorKind: ActorKind;
  actorId: number | null;
  actorName: string;
  type: EventType;
  targetUserId: number | null;
  targetName: string | null;
  outcome: Outcome;
  reason: string | null;
  sourceIp: string | null;
  details: Record<string, unknown> | null;
}

export interface LogPage {
  rows: AuditEvent[];
  /** Pass as `before` for the next (older) page; null at the end. */
  nextCursor: number | null;
}

/** Office-wide rules (policy.get / policy.set); each is off until an administrator turns it on. */
export interface OfficePolicy {
  /** API users must have an allowlist (at least one address, range or provider). */
  requireAllowlist: boolean;
}
