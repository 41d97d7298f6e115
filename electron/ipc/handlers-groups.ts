import type { groupsChannels } from '../../shared/contract-groups.js';
import type { Core } from '../core.js';
import type { ActorOf } from './actor.js';
import type { AreaHandlers } from './handlers.js';

/** Handlers of shared/contract-groups.ts: groups and the rights catalogue. */
export function createGroupsHandlers(core: Core, actor: ActorOf): AreaHandlers<typeof groupsChannels> {
  return {
    'groups.list': async (_input, ctx) => core.groups.list(await actor(ctx)),
    'groups.show': async (input, ctx) => core.groups.show(await actor(ctx), input),
    'groups.create': async (input, ctx) => core.groups.create(await actor(ctx), input),
    'groups.update': async (input, ctx) => core.groups.update(await actor(ctx), input),
    'groups.delete': async (input, ctx) => core.groups.delete(await actor(ctx), input),
    'groups.addMember': async (input, ctx) => core.groups.addMember(await actor(ctx), input),
    'groups.removeMember': async (input, ctx) => core.groups.removeMember(await actor(ctx), input),
    'groups.grant': async (input, ctx) => core.groups.grant(await actor(ctx), input),
    'groups.revoke': async (input, ctx) => core.groups.revoke(await actor(ctx), input),

    'rights.list': async (_input, ctx) => core.rights.list(await actor(ctx)),
    'rights.addResource': async (input, ctx) => core.rights.addResource(await actor(ctx), input),
    'rights.updateResource': async (input, ctx) => core.rights.updateResource(await actor(ctx), input),
    'rights.removeResource': async (input, ctx) => core.rights.removeResource(await actor(ctx), input),
  };
}
