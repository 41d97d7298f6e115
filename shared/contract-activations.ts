import type * as D from './activations.dto.js';
import * as S from './activations.schemas.js';
import { takes } from './channel-spec.js';
import { emptyInput } from './schemas.js';

/**
 * Activations (API users → Activations) and the registrations made with them (RFC 7591/7592 at the token
 * server's /oauth2/register). Approving and refusing pending registrations is also offered on the Overview.
 */
export const activationsChannels = {
  'activations.list': takes(emptyInput).returns<D.ActivationInfo[]>(),
  /** The code comes back here once, in plain text; afterwards only its hash exists. */
  'activations.create': takes(S.createActivationInput).returns<D.ActivationCreated>(),
  /** The code stops working at once; registrations made with it stay. */
  'activations.revoke': takes(S.activationRef).returns<D.ActivationInfo>(),

  'registrations.list': takes(S.listRegistrationsInput).returns<D.RegistrationInfo[]>(),
  /** Registrations waiting for an administrator (the Overview's list). */
  'registrations.pending': takes(emptyInput).returns<D.RegistrationInfo[]>(),
  /** The API user's token requests are accepted from now on. */
  'registrations.approve': takes(S.registrationRef).returns<D.RegistrationInfo>(),
  /** The API user is disabled; its token requests stay refused. */
  'registrations.refuse': takes(S.registrationRef).returns<D.RegistrationInfo>(),
} as const;
