import type { usersChannels } from '../../shared/contract-users.js';
import type { Core } from '../core.js';
import type { HandlerRuntime } from '../services/runtime.js';
import { exportUserList } from '../services/user-list-export.js';
import type { ActorOf } from './actor.js';
import type { AreaHandlers } from './handlers.js';

/** Handlers of shared/contract-users.ts: people and API users, their secrets and client keys, the office policy. */
export function createUsersHandlers(core: Core, actor: ActorOf, runtime: HandlerRuntime): AreaHandlers<typeof usersChannels> {
  return {
    'users.list': (input, ctx) => core.users.list(actor(ctx), input),
    'users.show': (input, ctx) => core.users.show(actor(ctx), input),
    'users.createApiUser': (input, ctx) => core.users.createApiUser(actor(ctx), input),
    'users.createPerson': (input, ctx) => core.users.createPerson(actor(ctx), input),
    'users.update': (input, ctx) => core.users.update(actor(ctx), input),
    'users.setGroups': (input, ctx) => core.users.setGroups(actor(ctx), input),
    'users.setMailboxes': (input, ctx) => core.users.setMailboxes(actor(ctx), input),
    'users.setAllowlist': (input, ctx) => core.users.setAllowlist(actor(ctx), input),
    'users.disable': (input, ctx) => core.users.disable(actor(ctx), input),
    'users.enable': (input, ctx) => core.users.enable(actor(ctx), input),
    'users.delete': (input, ctx) => core.users.delete(actor(ctx), input),
    'users.effectiveRights': (input, ctx) => core.users.effectiveRights(actor(ctx), input),
    'users.resetPassword': (input, ctx) => core.users.resetPassword(actor(ctx), input),
    'users.export': (input, ctx) => exportUserList(core, runtime, actor(ctx), input),

    'secrets.list': (input, ctx) => core.secrets.list(actor(ctx), input),
    'secrets.add': (input, ctx) => core.secrets.add(actor(ctx), input),
    'secrets.rotate': (input, ctx) => core.secrets.rotate(actor(ctx), input),
    'secrets.revoke': (input, ctx) => core.secrets.revoke(actor(ctx), input),
    'clientKeys.list': (input, ctx) => core.clientKeys.list(actor(ctx), input),
    'clientKeys.add': (input, ctx) => core.clientKeys.add(actor(ctx), input),
    'clientKeys.revoke': (input, ctx) => core.clientKeys.revoke(actor(ctx), input),

    'policy.get': (_input, ctx) => core.policy.get(actor(ctx)),
    'policy.set': (input, ctx) => core.policy.set(actor(ctx), input),
  };
}
