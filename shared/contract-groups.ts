import { takes } from './channel-spec.js';
import type * as D from './dto.js';
import * as S from './schemas.js';

/** Groups (app permissions, API rights, members) and the rights catalogue their rights come from. */
export const groupsChannels = {
  'groups.list': takes(S.emptyInput).returns<D.GroupSummary[]>(),
  'groups.show': takes(S.groupRef).returns<D.GroupDetail>(),
  'groups.create': takes(S.createGroupInput).returns<D.GroupDetail>(),
  'groups.update': takes(S.updateGroupInput).returns<D.GroupDetail>(),
  'groups.delete': takes(S.groupRef).returns<null>(),
  'groups.addMember': takes(S.membershipInput).returns<D.GroupDetail>(),
  'groups.removeMember': takes(S.membershipInput).returns<D.GroupDetail>(),
  'groups.grant': takes(S.grantInput).returns<D.GroupDetail>(),
  'groups.revoke': takes(S.grantInput).returns<D.GroupDetail>(),

  'rights.list': takes(S.emptyInput).returns<D.ResourceInfo[]>(),
  'rights.addResource': takes(S.addResourceInput).returns<D.ResourceInfo>(),
  'rights.updateResource': takes(S.updateResourceInput).returns<D.ResourceInfo>(),
  'rights.removeResource': takes(S.resourceRef).returns<null>(),
} as const;
