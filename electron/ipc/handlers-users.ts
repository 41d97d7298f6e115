import type { usersChannels } from '../../shared/contract-users.js';
import type { Core } from '../core.js';
import type { HandlerRuntime } from '../services/runtime.js';
import { exportUserList } from '../services/user-list-export.js';
import type { ActorOf } from './actor.js';
import type { AreaHandlers } from './handlers.js';

/** Handlers of shared/contract-users.ts: people and API users, their secrets and client keys, the office policy. */
export function createUsersHandlers(core: Core, actor: ActorOf, runtime: HandlerRuntime): AreaHandlers<typeof usersChannels> {
  return {
    'users.list': async (input, ctx) => core.users.list(await actor(ctx), input),
    'users.show': async (input, ctx) => core.users.show(await actor(ctx), input),
    'users.createApiUser': async (input, ctx) => core.users.createApiUser(await actor(ctx), input),
    'users.createPerson': async (input, ctx) => core.users.createPerson(await actor(ctx), input),
    'users.update': async (input, ctx) => core.users.update(await actor(ctx), input),
    'users.setGroups': async (input, ctx) => core.users.setGroups(await actor(ctx), input),
    'users.setMailboxes': async (input, ctx) => core.users.setMailboxes(await actor(ctx), input),
    'users.setAllowlist': async (input, ctx) => core.users.setAllowlist(await actor(ctx), input),
    'users.disable': async (input, ctx) => core.users.disable(await actor(ctx), input),
    'users.enable': async (input, ctx) => core.users.enable(await actor(ctx), input),
    'users.delete': async (input, ctx) => core.users.delete(await actor(ctx), input),
    'users.effectiveRights': async (input, ctx) => core.users.effectiveRights(await actor(ctx), input),
    'users.resetPassword': async (input, ctx) => core.users.resetPassword(await actor(ctx), input),
    'users.export': async (input, ctx) => exportUserList(core, runtime, await actor(ctx), input),

    'secrets.list': async (input, ctx) => core.secrets.list(await actor(ctx), input),
    'secrets.add': async (input, ctx) => core.secrets.add(await actor(ctx), input),
    'secrets.rotate': async (input, ctx) => core.secrets.rotate(await actor(ctx), input),
    'secrets.revoke': async (input, ctx) => core.secrets.revoke(await actor(ctx), input),
    'clientKeys.list': async (input, ctx) => core.clientKeys.list(await actor(ctx), input),
    'clientKeys.add': async (input, ctx) => core.clientKeys.add(await actor(ctx), input),
    'clientKeys.revoke': async (input, ctx) => core.clientKeys.revoke(await actor(ctx), input),

    'policy.get': async (_input, ctx) => core.policy.get(await actor(ctx)),
    'policy.set': async (input, ctx) => core.policy.set(await actor(ctx), input),
  };
}
