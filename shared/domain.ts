/** Vocabulary shared by main and renderer. Each list is the single source for its SQL CHECK and zod enum. */

export const APP_PERMISSIONS = [
  'users.manage',
  'groups.manage',
  'mailboxes.manage',
  'log.view',
  'server.manage',
] as const;
export type AppPermission = (typeof APP_PERMISSIONS)[number];

export const USER_KINDS = ['person', 'api'] as const;
export type UserKind = (typeof USER_KINDS)[number];

export const USER_STATUSES = ['active', 'disabled'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/**
 * Built-in groups (Administrators) are for people only: they hold app permissions, and an API user in them
 * would carry whatever the group is given later. The services enforce it on every path that adds a member
 * (group membership, a new API user's groups, a user's group list); the UI uses it to choose what it offers.
 */
export const isGroupForPeopleOnly = (group: { builtin: boolean }): boolean => group.builtin;

/**
 * The idle lock: after this many minutes without activity the app locks (the page's timer) and the
 * server ends the session (its own clock), whichever comes first. The choice is per machine (the page
 * keeps it) and the page tells the server with `auth.setIdleLock`.
 */
export const IDLE_LOCK_CHOICES = [1, 5, 15, 30, 60] as const;
export type IdleLockMinutes = (typeof IDLE_LOCK_CHOICES)[number];
export const DEFAULT_IDLE_LOCK_MINUTES: IdleLockMinutes = 15;

/** Words that stand for a cloud provider's whole published address range. */
export const PROVIDERS = ['AWS', 'GOOGLE', 'AZURE', 'CLOUDFLARE', 'DIGITAL_OCEAN'] as const;
export type Provider = (typeof PROVIDERS)[number];

export const OUTCOMES = ['success', 'failure'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The log's one sort: by time, newest first (the default) or oldest first. */
export const LOG_ORDERS = ['newest', 'oldest'] as const;
export type LogOrder = (typeof LOG_ORDERS)[number];

export const ACTOR_KINDS = ['person', 'api', 'system', 'cli'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/** Every audit event type. Adding one: also describe it in the renderer's log filter labels. */
export const EVENT_TYPES = [
  'setup.completed',
  'auth.login',
  'auth.logout',
  'auth.password_changed',
  'user.created',
  'user.updated',
  'user.disabled',
  'user.enabled',
  'user.deleted',
  'user.password_reset',
  'user.exported',
  'secret.added',
  'secret.rotated',
  'secret.revoked',
  'key.added',
  'key.revoked',
  'group.created',
  'group.updated',
  'group.deleted',
  'group.member_added',
  'group.member_removed',
  'group.right_granted',
  'group.right_revoked',
  'rights.resource_added',
  'rights.resource_updated',
  'rights.resource_removed',
  'mailbox.created',
  'mailbox.updated',
  'mailbox.deleted',
  'mailbox.assigned',
  'mailbox.unassigned',
  'activation.created',
  'activation.revoked',
  'registration.created',
  'registration.read',
  'registration.updated',
  'registration.deleted',
  'registration.approved',
  'registration.refused',
  'mail.settings_changed',
  'mail.accepted',
  'mail.refused',
  'mail.sent',
  'mail.deferred',
  'mail.failed',
  'mail.retried',
  'mail.dropped',
  'allowlist.changed',
  'settings.changed',
  'token.issued',
  'token.denied',
  'token.revoked',
  'token.introspected',
  'keys.rotated',
  'ranges.updated',
  'server.started',
  'server.stopped',
  'credentials.exported',
  'log.exported',
  'log.verified',
  'log.viewed',
  'log.pruned',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * The algorithms an API user's public key may sign client assertions with (RFC 7518 names): ES256 (P-256),
 * RS256 (RSA of at least 2048 bits), EdDSA (Ed25519). Never `none`, never an HMAC (RFC 8725 §3.1, §3.2).
 */
export const CLIENT_KEY_ALGS = ['ES256', 'RS256', 'EdDSA'] as const;
export type ClientKeyAlg = (typeof CLIENT_KEY_ALGS)[number];

/** The prefix every API user's client id carries; reserved so it never collides with another client. */
export const CLIENT_ID_PREFIX = 'keyrack-';

/** The built-in right a resource server needs to call the introspection endpoint. */
export const INTROSPECT_SCOPE = 'keyrack:introspect';

/**
 * The right an API user's token must carry for Keyrack's mail relay to accept mail from it (SMTP OAUTHBEARER
 * or XOAUTH2, POST /v1/mail; AUTH PLAIN checks the user's rights the same way): `send` on the `mail` resource.
 */
export const MAIL_SEND_SCOPE = 'mail:send';
