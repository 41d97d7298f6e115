import type { activationsChannels } from '../../shared/contract-activations.js';
import type { Core } from '../core.js';
import type { ActorOf } from './actor.js';
import type { AreaHandlers } from './handlers.js';

/** Handlers of shared/contract-activations.ts. */
export function createActivationsHandlers(core: Core, actor: ActorOf): AreaHandlers<typeof activationsChannels> {
  return {
    'activations.list': async (_input, ctx) => core.activations.list(await actor(ctx)),
    'activations.create': async (input, ctx) => core.activations.create(await actor(ctx), input),
    'activations.revoke': async (input, ctx) => core.activations.revoke(await actor(ctx), input),
    'registrations.list': async (input, ctx) => core.activations.registrations(await actor(ctx), input),
    'registrations.pending': async (_input, ctx) => core.activations.pending(await actor(ctx)),
    'registrations.approve': async (input, ctx) => core.activations.approve(await actor(ctx), input),
    'registrations.refuse': async (input, ctx) => core.activations.refuse(await actor(ctx), input),
  };
}
