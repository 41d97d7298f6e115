import { EVENT_TYPES, type ActorKind, type EventType, type Outcome } from '../../../shared/domain.js';

/**
 * Plain words for every audit event type. A Record over EventType, so adding a type in
 * shared/domain.ts fails to compile here until it has a label.
 */
export const EVENT_TYPE_LABELS: Record<EventType, string> = {
  'setup.completed': 'First administrator created',
  'auth.login': 'Logged in',
  'auth.logout': 'Logged out',
  'auth.password_changed': 'Password changed',
  'user.password_reset': 'Password reset by an administrator',
  'user.created': 'User created',
  'user.updated': 'User changed',
  'user.disabled': 'User disabled',
  'user.enabled': 'User enabled',
  'user.deleted': 'User deleted',
  'secret.added': 'Secret added',
  'secret.rotated': 'Secret rotated',
  'secret.revoked': 'Secret revoked',
  'group.created': 'Group created',
  'group.updated': 'Group changed',
  'group.deleted': 'Group deleted',
  'group.member_added': 'Member added to group',
  'group.member_removed': 'Member removed from group',
  'group.right_granted': 'Right granted to group',
  'group.right_revoked': 'Right taken from group',
  'rights.resource_added': 'Resource added to catalogue',
  'rights.resource_updated': 'Resource changed in catalogue',
  'rights.resource_removed': 'Resource removed from catalogue',
  'mailbox.created': 'Mailbox created',
  'mailbox.updated': 'Mailbox changed',
  'mailbox.deleted': 'Mailbox deleted',
  'mailbox.assigned': 'Mailbox given to API user',
  'mailbox.unassigned': 'Mailbox taken from API user',
  'allowlist.changed': 'IP allowlist changed',
  'settings.changed': 'Settings changed',
  'token.issued': 'Token issued',
  'token.denied': 'Token refused',
  'token.revoked': 'Token revoked',
  'token.introspected': 'Token checked (introspection)',
  'keys.rotated': 'Signing key rotated',
  'ranges.updated': 'Provider ranges updated',
  'server.started': 'Token server started',
  'server.stopped': 'Token server stopped',
  'credentials.exported': 'Credential file exported',
  'log.exported': 'Log exported',
  'log.verified': 'Log integrity checked',
  'log.viewed': 'Log read',
  'log.pruned': 'Old events archived',
};

export const eventTypeLabel = (type: EventType): string => EVENT_TYPE_LABELS[type] ?? type;

/** The options of the event type filter, in the order of the domain list. */
export const EVENT_TYPE_OPTIONS = EVENT_TYPES.map((value) => ({ value, label: `${EVENT_TYPE_LABELS[value]} (${value})` }));

export const ACTOR_KIND_LABELS: Record<ActorKind, string> = {
  person: 'Person',
  api: 'API user',
  system: 'Keyrack',
  cli: 'Command line',
};

export const OUTCOME_LABELS: Record<Outcome, string> = { success: 'Success', failure: 'Failure' };

/** Plain words for the token server's denial reasons (the log keeps the codes; unknown codes show as is). */
export const DENIAL_REASON_LABELS: Record<string, string> = {
  wrong_secret: 'Wrong secret',
  unknown_client: 'Unknown client id',
  no_credentials: 'No credentials sent',
  malformed_basic_auth: 'Malformed Basic authentication',
  address_not_allowed: 'Address not on the allowlist',
  ip_not_allowed: 'Address not on the allowlist',
  user_disabled: 'API user disabled',
  user_expired: 'API user expired',
  user_deleted: 'API user deleted',
  secret_expired: 'Secret expired',
  secret_revoked: 'Secret revoked',
  scope_not_granted: 'Scope not granted',
  invalid_scope: 'Scope not granted',
  no_rights: 'Holds no rights',
  rate_limited_client: 'Too many attempts (client)',
  rate_limited_address: 'Too many attempts (address)',
  plain_http: 'Credentials over plain HTTP',
  wrong_password: 'Wrong password',
};

export const reasonLabel = (reason: string): string => DENIAL_REASON_LABELS[reason] ?? reason.replaceAll('_', ' ');
