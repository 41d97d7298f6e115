import type { mailboxesChannels } from '../../shared/contract-mailboxes.js';
import type { Core } from '../core.js';
import type { ActorOf } from './actor.js';
import type { AreaHandlers } from './handlers.js';

/** Handlers of shared/contract-mailboxes.ts. */
export function createMailboxesHandlers(core: Core, actor: ActorOf): AreaHandlers<typeof mailboxesChannels> {
  return {
    'mailboxes.list': (_input, ctx) => core.mailboxes.list(actor(ctx)),
    'mailboxes.create': (input, ctx) => core.mailboxes.create(actor(ctx), input),
    'mailboxes.update': (input, ctx) => core.mailboxes.update(actor(ctx), input),
    'mailboxes.delete': (input, ctx) => core.mailboxes.delete(actor(ctx), input),
    'mailboxes.assign': (input, ctx) => core.mailboxes.assign(actor(ctx), input),
    'mailboxes.unassign': (input, ctx) => core.mailboxes.unassign(actor(ctx), input),
  };
}
