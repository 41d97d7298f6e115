import { z } from 'zod';
import { REGISTRATION_STATES } from './activations.dto.js';
import { allowlist, id, idList, nameText, timestamp, tokenLifetimeSeconds } from './schemas.js';

/** Input schemas of the activation operations (ActivationsService; the UI's forms validate with them too). */

/** Default number of registrations one code allows. */
export const DEFAULT_MAX_REGISTRATIONS = 1;
export const MAX_REGISTRATIONS_LIMIT = 1000;
/** Default life of an activation code: 7 days. */
export const DEFAULT_ACTIVATION_DAYS = 7;

export const createActivationInput = z.strictObject({
  name: nameText('Name', 64),
  /** The template of the API user each registration creates (as users.createApiUser takes it). */
  groupIds: idList('Groups').default([]),
  mailboxIds: idList('Mailboxes').default([]),
  allowlist: allowlist.default([]),
  userExpiresAt: timestamp.optional(),
  tokenLifetimeSeconds: tokenLifetimeSeconds.optional(),
  /** How many services may register with the code. */
  maxRegistrations: z.int().min(1).max(MAX_REGISTRATIONS_LIMIT).default(DEFAULT_MAX_REGISTRATIONS),
  /** Until when the code works; omitted: 7 days from now. */
  expiresAt: timestamp.optional(),
  /** Each registration waits for an administrator before its tokens are issued. */
  requiresApproval: z.boolean().default(false),
});

export const activationRef = z.strictObject({ id });

/** Registrations, filtered; without filters, all of them, newest first. */
export const listRegistrationsInput = z.strictObject({
  activationId: id.optional(),
  state: z.enum(REGISTRATION_STATES).optional(),
});

export const registrationRef = z.strictObject({ id });
