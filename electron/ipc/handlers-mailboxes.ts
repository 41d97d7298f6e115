import type { mailboxesChannels } from '../../shared/contract-mailboxes.js';
import type { Core } from '../core.js';
import type { ActorOf } from './actor.js';
import type { AreaHandlers } from './handlers.js';

/** Handlers of shared/contract-mailboxes.ts. */
export function createMailboxesHandlers(core: Core, actor: ActorOf): AreaHandlers<typeof mailboxesChannels> {
  return {
    'mailboxes.list': async (_input, ctx) => core.mailboxes.list(await actor(ctx)),
    'mailboxes.create': async (input, ctx) => core.mailboxes.create(await actor(ctx), input),
    'mailboxes.update': async (input, ctx) => core.mailboxes.update(await actor(ctx), input),
    'mailboxes.delete': async (input, ctx) => core.mailboxes.delete(await actor(ctx), input),
    'mailboxes.assign': async (input, ctx) => core.mailboxes.assign(await actor(ctx), input),
    'mailboxes.unassign': async (input, ctx) => core.mailboxes.unassign(await actor(ctx), input),
  };
}
