import { takes } from './channel-spec.js';
import type * as D from './dto.js';
import * as S from './schemas.js';
import type { SavedFile } from './server.dto.js';

/** People and API users, their client secrets, and the office policy that governs API users. */
export const usersChannels = {
  'users.list': takes(S.listUsersInput).returns<D.Page<D.UserSummary>>(),
  'users.show': takes(S.userRef).returns<D.UserDetail>(),
  'users.createApiUser': takes(S.createApiUserInput).returns<D.ApiUserCreated>(),
  'users.createPerson': takes(S.createPersonInput).returns<D.UserDetail>(),
  'users.update': takes(S.updateUserInput).returns<D.UserDetail>(),
  'users.setGroups': takes(S.setUserGroupsInput).returns<D.UserDetail>(),
  'users.setMailboxes': takes(S.setUserMailboxesInput).returns<D.UserDetail>(),
  'users.setAllowlist': takes(S.setAllowlistInput).returns<D.UserDetail>(),
  'users.disable': takes(S.userRef).returns<D.UserDetail>(),
  'users.enable': takes(S.userRef).returns<D.UserDetail>(),
  'users.delete': takes(S.userRef).returns<null>(),
  'users.effectiveRights': takes(S.userRef).returns<D.EffectiveRights>(),
  'users.resetPassword': takes(S.resetPasswordInput).returns<null>(),
  /** The selected users as a CSV file, saved where the admin chooses; logged as user.exported. */
  'users.export': takes(S.exportUsersInput).returns<SavedFile>(),

  'secrets.list': takes(S.listSecretsInput).returns<D.SecretInfo[]>(),
  'secrets.add': takes(S.addSecretInput).returns<D.NewSecret>(),
  'secrets.rotate': takes(S.rotateSecretInput).returns<D.NewSecret>(),
  'secrets.revoke': takes(S.revokeSecretInput).returns<D.SecretInfo>(),

  /** Public keys for private_key_jwt (RFC 7523 §2.2): added from PEM or JWK, listed, revoked by kid. */
  'clientKeys.list': takes(S.listClientKeysInput).returns<D.ClientKeyInfo[]>(),
  'clientKeys.add': takes(S.addClientKeyInput).returns<D.ClientKeyInfo>(),
  'clientKeys.revoke': takes(S.revokeClientKeyInput).returns<D.ClientKeyInfo>(),

  /** Office-wide rules every face obeys (enforced in the services), e.g. "API users must have an allowlist". */
  'policy.get': takes(S.emptyInput).returns<D.OfficePolicy>(),
  'policy.set': takes(S.officePolicyInput).returns<D.OfficePolicy>(),
} as const;
