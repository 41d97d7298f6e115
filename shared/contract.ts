import type { z } from 'zod';
import { spec, type ChannelSpec } from './channel-spec.js';
export type { ChannelSpec } from './channel-spec.js';
import { logChannels } from './contract-log.js';
import { serverChannels } from './contract-server.js';
import type * as Dto from './dto.js';
import * as S from './schemas.js';

/**
 * The contract between the renderer and the core: channel `entity.verb` → input schema → output type.
 * The preload, the IPC handlers, the HTTP bridge and the renderer client are all typed from it, so a
 * channel that is missing or extra on any side fails to compile. Adding a channel: add it here, then
 * its handler in electron/ipc/handlers.ts (the compiler will insist), then update the channel snapshot test.
 */
export const contract = {
  'auth.status': spec<typeof S.emptyInput, Dto.AuthStatus>(S.emptyInput),
  'auth.setup': spec<typeof S.setupInput, Dto.Session>(S.setupInput),
  'auth.login': spec<typeof S.loginInput, Dto.Session>(S.loginInput),
  'auth.logout': spec<typeof S.emptyInput, null>(S.emptyInput),
  'auth.changePassword': spec<typeof S.changePasswordInput, null>(S.changePasswordInput),
  'auth.setIdleLock': spec<typeof S.idleLockInput, null>(S.idleLockInput),

  'users.list': spec<typeof S.listUsersInput, Dto.Page<Dto.UserSummary>>(S.listUsersInput),
  'users.show': spec<typeof S.userRef, Dto.UserDetail>(S.userRef),
  'users.createApiUser': spec<typeof S.createApiUserInput, Dto.ApiUserCreated>(S.createApiUserInput),
  'users.createPerson': spec<typeof S.createPersonInput, Dto.UserDetail>(S.createPersonInput),
  'users.update': spec<typeof S.updateUserInput, Dto.UserDetail>(S.updateUserInput),
  'users.setGroups': spec<typeof S.setUserGroupsInput, Dto.UserDetail>(S.setUserGroupsInput),
  'users.setMailboxes': spec<typeof S.setUserMailboxesInput, Dto.UserDetail>(S.setUserMailboxesInput),
  'users.setAllowlist': spec<typeof S.setAllowlistInput, Dto.UserDetail>(S.setAllowlistInput),
  'users.disable': spec<typeof S.userRef, Dto.UserDetail>(S.userRef),
  'users.enable': spec<typeof S.userRef, Dto.UserDetail>(S.userRef),
  'users.delete': spec<typeof S.userRef, null>(S.userRef),
  'users.effectiveRights': spec<typeof S.userRef, Dto.EffectiveRights>(S.userRef),
  'users.resetPassword': spec<typeof S.resetPasswordInput, null>(S.resetPasswordInput),

  'secrets.list': spec<typeof S.listSecretsInput, Dto.SecretInfo[]>(S.listSecretsInput),
  'secrets.add': spec<typeof S.addSecretInput, Dto.NewSecret>(S.addSecretInput),
  'secrets.rotate': spec<typeof S.rotateSecretInput, Dto.NewSecret>(S.rotateSecretInput),
  'secrets.revoke': spec<typeof S.revokeSecretInput, Dto.SecretInfo>(S.revokeSecretInput),

  'groups.list': spec<typeof S.emptyInput, Dto.GroupSummary[]>(S.emptyInput),
  'groups.show': spec<typeof S.groupRef, Dto.GroupDetail>(S.groupRef),
  'groups.create': spec<typeof S.createGroupInput, Dto.GroupDetail>(S.createGroupInput),
  'groups.update': spec<typeof S.updateGroupInput, Dto.GroupDetail>(S.updateGroupInput),
  'groups.delete': spec<typeof S.groupRef, null>(S.groupRef),
  'groups.addMember': spec<typeof S.membershipInput, Dto.GroupDetail>(S.membershipInput),
  'groups.removeMember': spec<typeof S.membershipInput, Dto.GroupDetail>(S.membershipInput),
  'groups.grant': spec<typeof S.grantInput, Dto.GroupDetail>(S.grantInput),
  'groups.revoke': spec<typeof S.grantInput, Dto.GroupDetail>(S.grantInput),

  'rights.list': spec<typeof S.emptyInput, Dto.ResourceInfo[]>(S.emptyInput),
  'rights.addResource': spec<typeof S.addResourceInput, Dto.ResourceInfo>(S.addResourceInput),
  'rights.updateResource': spec<typeof S.updateResourceInput, Dto.ResourceInfo>(S.updateResourceInput),
  'rights.removeResource': spec<typeof S.resourceRef, null>(S.resourceRef),

  'mailboxes.list': spec<typeof S.emptyInput, Dto.MailboxInfo[]>(S.emptyInput),
  'mailboxes.create': spec<typeof S.createMailboxInput, Dto.MailboxInfo>(S.createMailboxInput),
  'mailboxes.update': spec<typeof S.updateMailboxInput, Dto.MailboxInfo>(S.updateMailboxInput),
  'mailboxes.delete': spec<typeof S.mailboxRef, null>(S.mailboxRef),
  'mailboxes.assign': spec<typeof S.assignmentInput, Dto.MailboxInfo>(S.assignmentInput),
  'mailboxes.unassign': spec<typeof S.assignmentInput, Dto.MailboxInfo>(S.assignmentInput),

  'log.search': spec<typeof S.logQueryInput, Dto.LogPage>(S.logQueryInput),

  /** Office-wide rules every face obeys (enforced in the services), e.g. "API users must have an allowlist". */
  'policy.get': spec<typeof S.emptyInput, Dto.OfficePolicy>(S.emptyInput),
  'policy.set': spec<typeof S.officePolicyInput, Dto.OfficePolicy>(S.officePolicyInput),

  // Areas with many channels keep them in their own file.
  ...logChannels,
  ...serverChannels,
} satisfies Record<`${string}.${string}`, ChannelSpec>;

export type Contract = typeof contract;
export type Channel = keyof Contract;
/** What a caller passes (defaults may be omitted). */
export type InputOf<C extends Channel> = z.input<Contract[C]['input']>;
/** What a handler receives after parsing (defaults filled in). */
export type ParsedInputOf<C extends Channel> = z.output<Contract[C]['input']>;
export type OutputOf<C extends Channel> = Contract[C]['output'];

export const CHANNELS = Object.keys(contract) as Channel[];
