import type { groupsChannels } from '../../shared/contract-groups.js';
import type { Core } from '../core.js';
import type { ActorOf } from './actor.js';
import type { AreaHandlers } from './handlers.js';

/** Handlers of shared/contract-groups.ts: groups and the rights catalogue. */
export function createGroupsHandlers(core: Core, actor: ActorOf): AreaHandlers<typeof groupsChannels> {
  return {
    'groups.list': (_input, ctx) => core.groups.list(actor(ctx)),
    'groups.show': (input, ctx) => core.groups.show(actor(ctx), input),
    'groups.create': (input, ctx) => core.groups.create(actor(ctx), input),
    'groups.update': (input, ctx) => core.groups.update(actor(ctx), input),
    'groups.delete': (input, ctx) => core.groups.delete(actor(ctx), input),
    'groups.addMember': (input, ctx) => core.groups.addMember(actor(ctx), input),
    'groups.removeMember': (input, ctx) => core.groups.removeMember(actor(ctx), input),
    'groups.grant': (input, ctx) => core.groups.grant(actor(ctx), input),
    'groups.revoke': (input, ctx) => core.groups.revoke(actor(ctx), input),

    'rights.list': (_input, ctx) => core.rights.list(actor(ctx)),
    'rights.addResource': (input, ctx) => core.rights.addResource(actor(ctx), input),
    'rights.updateResource': (input, ctx) => core.rights.updateResource(actor(ctx), input),
    'rights.removeResource': (input, ctx) => core.rights.removeResource(actor(ctx), input),
  };
}
