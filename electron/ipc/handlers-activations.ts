import type { activationsChannels } from '../../shared/contract-activations.js';
import type { Core } from '../core.js';
import type { ActorOf } from './actor.js';
import type { AreaHandlers } from './handlers.js';

/** Handlers of shared/contract-activations.ts. */
export function createActivationsHandlers(core: Core, actor: ActorOf): AreaHandlers<typeof activationsChannels> {
  return {
    'activations.list': (_input, ctx) => core.activations.list(actor(ctx)),
    'activations.create': (input, ctx) => core.activations.create(actor(ctx), input),
    'activations.revoke': (input, ctx) => core.activations.revoke(actor(ctx), input),
    'registrations.list': (input, ctx) => core.activations.registrations(actor(ctx), input),
    'registrations.pending': (_input, ctx) => core.activations.pending(actor(ctx)),
    'registrations.approve': (input, ctx) => core.activations.approve(actor(ctx), input),
    'registrations.refuse': (input, ctx) => core.activations.refuse(actor(ctx), input),
  };
}
