import { z } from 'zod';
import { parseAllowlistEntry } from './allowlist.js';
import { APP_PERMISSIONS, EVENT_TYPES, IDLE_LOCK_CHOICES, LOG_ORDERS, OUTCOMES, USER_KINDS, USER_STATUSES } from './domain.js';
import { CONTROL_CHARACTER, nameProblem } from './text.js';
import { HORIZON_MESSAGE, latestTime } from './time.js';
import { message as m, type FieldLabel } from './messages.js';

/**
 * Input schemas for every operation: the forms validate with them, and each call is parsed with them
 * once before its service runs (dispatch for IPC and the HTTP bridge, the CLI where it reads its
 * arguments: shared/contract.ts parseInputOf). Messages are written for the person who typed the value,
 * under stable keys (messages.ts) that the renderer shows in the person's language.
 */

const text = (label: FieldLabel, max: number) =>
  z
    .string({ error: m('mustBeText', { label }) })
    .trim()
    .max(max, m('tooLong', { label, max }))
    .refine((v) => !CONTROL_CHARACTER.test(v), m('controlCharacters', { label }));

const requiredText = (label: FieldLabel, max: number) => text(label, max).pipe(z.string().min(1, m('required', { label })));

/** Every name-like field (user, group, secret label, mailbox display name): also no hidden characters. */
const nameLike = <T extends z.ZodType<string>>(schema: T, label: FieldLabel) =>
  schema.superRefine((v, ctx) => {
    const problem = nameProblem(v, label);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
export const nameText = (label: FieldLabel, max: number) => nameLike(requiredText(label, max), label);

export const id = z.int(m('wholeNumber')).positive(m('positiveId'));
/**
 * Every time in the contract. The horizon is checked against the wall clock, where the schema runs (the
 * form, the main process): it is a sanity bound, not a rule that tests move the clock for; "must be in the
 * future" is the services' rule, on their injected clock.
 */
export const timestamp = z
  .int(m('epochMs'))
  .nonnegative(m('epochMs'))
  .refine((ms) => ms <= latestTime(Date.now()), HORIZON_MESSAGE);

export const userName = nameText('Name', 64).refine(
  (v) => /[\p{L}\p{N}]/u.test(v),
  m('nameLetterOrDigit'),
);
export const email = z.email(m('email')).max(254);
export const password = z
  .string({ error: m('mustBeText', { label: 'Password' }) })
  .min(12, m('tooShort', { label: 'Password', min: 12 }))
  .max(1024, m('tooLong', { label: 'Password', max: 1024 }));
export const description = text('Description', 500);
export const secretLabel = nameText('Label', 64);

export const allowlistEntryText = z.string({ error: m('mustBeText', { label: 'Allowlist entry' }) }).superRefine((value, ctx) => {
  const parsed = parseAllowlistEntry(value);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
});
export const allowlist = z.array(allowlistEntryText).max(200, m('allowlistTooLong', { max: 200 }));

export const idList = (label: FieldLabel) =>
  z
    .array(id)
    .max(500)
    .refine((v) => new Set(v).size === v.length, m('listedTwice', { label }));

// --- auth ---------------------------------------------------------------------------------------

export const setupInput = z.strictObject({ name: userName, password });
export const loginInput = z.strictObject({
  name: requiredText('Name', 64),
  password: z.string().min(1, m('required', { label: 'Password' })).max(1024),
});
/** The page's idle lock, so that the server ends the session after the same idle period. */
export const idleLockInput = z.strictObject({
  minutes: z.literal(IDLE_LOCK_CHOICES, { error: m('idleChoices', { choices: IDLE_LOCK_CHOICES.join(', ') }) }),
});
export const changePasswordInput = z.strictObject({
  currentPassword: z.string().min(1, m('required', { label: 'Current password' })).max(1024),
  newPassword: password,
});

// --- users --------------------------------------------------------------------------------------

export const USER_SORTS = ['name', 'createdAt', 'lastUsedAt', 'expiresAt'] as const;

export const listUsersInput = z.strictObject({
  search: text('Search', 200).optional(),
  kind: z.enum(USER_KINDS).optional(),
  status: z.enum([...USER_STATUSES, 'expired']).optional(),
  groupId: id.optional(),
  sort: z.enum(USER_SORTS).default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
  page: z.int().min(1, m('pageStart')).default(1),
  pageSize: z.int().min(1).max(200, m('rowsPerPage', { max: 200 })).default(25),
});

export const createApiUserInput = z.strictObject({
  name: userName,
  email: email.optional(),
  description: description.default(''),
  groupIds: idList('Groups').default([]),
  mailboxIds: idList('Mailboxes').default([]),
  allowlist: allowlist.default([]),
  expiresAt: timestamp.optional(),
  secretLabel: secretLabel.default('Initial secret'),
  secretExpiresAt: timestamp.optional(),
});

export const createPersonInput = z.strictObject({
  name: userName,
  email: email.optional(),
  password,
  groupIds: idList('Groups').default([]),
});

/** An API user's access-token lifetime (users.update, an activation's template). */
export const tokenLifetimeSeconds = z.int().min(60, m('atLeastSeconds', { min: 60 })).max(86_400, m('atMostOneDay'));

export const updateUserInput = z.strictObject({
  id,
  name: userName.optional(),
  email: email.nullable().optional(),
  description: description.optional(),
  expiresAt: timestamp.nullable().optional(),
  tokenLifetimeSeconds: tokenLifetimeSeconds.nullable().optional(),
});

export const userRef = z.strictObject({ id });
/** The users selected on the Users page, for a CSV export (at least one). */
export const exportUsersInput = z.strictObject({ ids: idList('Users').min(1, m('chooseUsers')) });
export const setUserGroupsInput = z.strictObject({ id, groupIds: idList('Groups') });
export const setUserMailboxesInput = z.strictObject({ id, mailboxIds: idList('Mailboxes') });
export const setAllowlistInput = z.strictObject({ id, entries: allowlist });
/** An administrator sets another person's password (no current password: they may have forgotten it). */
export const resetPasswordInput = z.strictObject({ id, newPassword: password });

// --- secrets ------------------------------------------------------------------------------------

export const listSecretsInput = z.strictObject({ userId: id });
export const addSecretInput = z.strictObject({
  userId: id,
  label: secretLabel,
  expiresAt: timestamp.optional(),
});
export const rotateSecretInput = z.strictObject({
  userId: id,
  secretId: id,
  /** Until when the old secret keeps working. Now (or earlier) ends it at once. */
  graceUntil: timestamp,
  label: secretLabel.optional(),
  /** Omitted: the old secret's expiry carries over (rotating never extends a credential's life); null: never. */
  expiresAt: timestamp.nullable().optional(),
});
export const revokeSecretInput = z.strictObject({ userId: id, secretId: id });

// --- client keys (private_key_jwt) --------------------------------------------------------------------

export const listClientKeysInput = z.strictObject({ userId: id });
export const addClientKeyInput = z.strictObject({
  userId: id,
  /** A public key as PEM (SPKI, `-----BEGIN PUBLIC KEY-----`) or as a JWK (JSON); read in the core. */
  key: z.string({ error: m('mustBeText', { label: 'Public key' }) }).min(1, m('required', { label: 'Public key' })).max(16_384, m('tooLong', { label: 'Public key', max: 16_384 })),
  label: secretLabel,
  expiresAt: timestamp.optional(),
});
export const revokeClientKeyInput = z.strictObject({ userId: id, kid: z.string().min(1).max(128) });

// --- groups and rights --------------------------------------------------------------------------

const rightName = (label: FieldLabel) =>
  z
    .string({ error: m('mustBeText', { label }) })
    .trim()
    .regex(/^[a-z][a-z0-9_-]{0,47}$/, m('rightName', { label }));

/**
 * A resource may be endpoint-style, for per-endpoint rights (Konnektive): segments of lowercase letters,
 * digits, _ or -, joined by `/`, like `orders/import`. Its scope `orders/import:read` stays a valid RFC 6749
 * §3.3 scope-token (`/` and `:` are allowed there); the UI groups such resources by their first segment.
 */
export const RESOURCE_NAME_MAX = 96;
export const resourceName = z
  .string({ error: m('mustBeText', { label: 'Resource' }) })
  .trim()
  .max(RESOURCE_NAME_MAX, m('tooLong', { label: 'Resource', max: RESOURCE_NAME_MAX }))
  .regex(/^[a-z][a-z0-9_-]*(\/[a-z0-9_-]+)*$/, m('resourceName'));
export const actionName = rightName('Action');
export const filterName = rightName('Filter');

export const apiRight = z.strictObject({ resource: resourceName, action: actionName });

export const createGroupInput = z.strictObject({
  name: nameText('Group name', 64),
  description: description.default(''),
  appPermissions: z.array(z.enum(APP_PERMISSIONS)).max(APP_PERMISSIONS.length).default([]),
  rights: z.array(apiRight).max(1000).default([]),
  filterIds: idList('Filters').default([]),
});
export const updateGroupInput = z.strictObject({
  id,
  name: nameText('Group name', 64).optional(),
  description: description.optional(),
  appPermissions: z.array(z.enum(APP_PERMISSIONS)).max(APP_PERMISSIONS.length).optional(),
  rights: z.array(apiRight).max(1000).optional(),
  filterIds: idList('Filters').optional(),
});
export const groupRef = z.strictObject({ id });
export const membershipInput = z.strictObject({ groupId: id, userId: id });
export const grantInput = z.strictObject({ groupId: id, resource: resourceName, action: actionName });

const filterSpec = z.strictObject({ name: filterName, description: description.default('') });
export const addResourceInput = z.strictObject({
  name: resourceName,
  description: description.default(''),
  actions: z
    .array(actionName)
    .min(1, m('oneAction'))
    .max(50)
    .refine((v) => new Set(v).size === v.length, m('listedTwice', { label: 'Actions' })),
  filters: z.array(filterSpec).max(50).default([]),
});
export const updateResourceInput = z.strictObject({
  id,
  description: description.optional(),
  actions: addResourceInput.shape.actions.optional(),
  filters: z.array(filterSpec).max(50).optional(),
});
export const resourceRef = z.strictObject({ id });

// --- mailboxes ----------------------------------------------------------------------------------

const displayName = nameLike(text('Display name', 128), 'Display name');
export const createMailboxInput = z.strictObject({
  address: email,
  displayName: displayName.default(''),
});
export const updateMailboxInput = z.strictObject({
  id,
  address: email.optional(),
  displayName: displayName.optional(),
});
export const mailboxRef = z.strictObject({ id });
export const assignmentInput = z.strictObject({ mailboxId: id, userId: id });

// --- log ----------------------------------------------------------------------------------------

export const logQueryInput = z
  .strictObject({
    since: timestamp.optional(),
    until: timestamp.optional(),
    actor: text('Actor', 64).optional(),
    targetUserId: id.optional(),
    /** Done by or concerning this user: a user page's "everything about this user". */
    involving: id.optional(),
    type: z.enum(EVENT_TYPES).optional(),
    outcome: z.enum(OUTCOMES).optional(),
    sourceIp: z.union([z.ipv4(), z.ipv6()], { error: m('oneIp') }).optional(),
    text: text('Search', 200).optional(),
    /** By time: newest first (when absent) or oldest first. Only time sorts: the other columns filter. */
    order: z.enum(LOG_ORDERS).optional(),
    /** Keyset cursor newest first: the id of the last event of the previous page (events older than it). */
    before: id.optional(),
    /** Keyset cursor oldest first: the id of the last event of the previous page (events newer than it). */
    after: id.optional(),
    limit: z.int().min(1).max(500, m('eventsPerPage', { max: 500 })).default(50),
  })
  .refine((q) => q.since === undefined || q.until === undefined || q.since <= q.until, {
    message: m('rangeOrder'),
    path: ['since'],
  });

export const emptyInput = z.strictObject({});

// --- office policy ------------------------------------------------------------------------------

/** Office-wide rules every face obeys (enforced in the services). At least one field. */
export const officePolicyInput = z
  .strictObject({
    /** Every API user must have an allowlist: creating one without, or emptying one's list, is refused. */
    requireAllowlist: z.boolean({ error: m('onOff') }).optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: m('changeOne'), path: ['input'] });
